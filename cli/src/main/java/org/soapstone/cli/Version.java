package org.soapstone.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the Soapstone version from the jar manifest (or "development" when run from classes). */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"soapstone " + (v == null ? "development" : v) + " (Java " + Runtime.version() + ")"};
    }
}
