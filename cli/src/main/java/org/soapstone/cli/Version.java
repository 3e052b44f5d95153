package org.soapstone.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the Soapstone version from the jar manifest (or "development" when run from classes). */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"soapstone " + get() + " (Java " + Runtime.version() + ")"};
    }

    /** @return the version of the running Soapstone, "development" when run from classes */
    static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
