package org.soapstone.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code soapstone} command: fit, evaluate and run Gaussian Approximation Potentials. */
@Command(
        name = "soapstone",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Gaussian Approximation Potentials for the JVM. Units: eV, Å, fs, amu, K.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Soapstone {
    private Soapstone() {}

    /** @return the command line with every subcommand, ready to execute */
    public static CommandLine commandLine() {
        return new CommandLine(new Soapstone());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
