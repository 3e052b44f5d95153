package org.soapstone.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code soapstone} command: fit, evaluate and run Gaussian Approximation Potentials. */
@Command(
        name = "soapstone",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Gaussian Approximation Potentials for the JVM. Units: eV, Å, fs, amu, K.",
        subcommands = {FitCommand.class, TuneCommand.class, EvalCommand.class, MdCommand.class, LearnCommand.class,
            DescribeCommand.class, ConvertCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class Soapstone {
    private Soapstone() {}

    /** @return the command line with every subcommand, ready to execute */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Soapstone());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("soapstone " + cmd.getCommandName() + ": error: " + describe(ex));
            if (System.getenv("SOAPSTONE_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl;
    }

    /** @return the message of an error as a user should read it: the message, never just a class name */
    static String describe(Throwable ex) {
        Throwable t = ex;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t instanceof java.nio.file.NoSuchFileException ? "no such file: " + m
                : m == null ? t.getClass().getSimpleName() : m;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
