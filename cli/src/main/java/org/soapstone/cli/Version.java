package org.soapstone.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the Soapstone version from the jar manifest (or "development" when run from classes). */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"soapstone " + number() + " (Java " + Runtime.version() + ")"};
    }

    /** @return the Soapstone version, e.g. {@code 0.1.0}, or {@code development} when run from classes */
    static String number() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
