package org.soapstone.cli;

import org.soapstone.engine.io.Spelling;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code soapstone} command: fit, evaluate and run Gaussian Approximation Potentials. */
@Command(
        name = "soapstone",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Gaussian Approximation Potentials for the JVM. Units: eV, Å, fs, amu, K.",
        subcommands = {FitCommand.class, TuneCommand.class, EvalCommand.class, MdCommand.class, LearnCommand.class,
            DescribeCommand.class, ConvertCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class SoapstoneCommand {
    private SoapstoneCommand() {}

    /**
     * @return the command line with every subcommand, ready to execute: an error — a bad command line as much as a
     *     failure — is one line on standard error, {@code soapstone COMMAND: error: …}, and exit code 1
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SoapstoneCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: " + describe(ex));
            if (System.getenv("SOAPSTONE_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            String name = cmd.getCommandSpec().qualifiedName();
            String problem = ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                    ? unmatched(cmd.getCommandSpec(), u.getUnmatched().getFirst()) : ex.getMessage();
            cmd.getErr().println(name + ": error: " + problem + " (" + name + " --help lists the "
                    + (cmd.getSubcommands().isEmpty() ? "options)" : "commands)"));
            return 1;
        });
        return cl;
    }

    /** @return "unknown option '--x'; did you mean --y?" (or command, or argument) for an argument nobody takes */
    private static String unmatched(CommandSpec spec, String argument) {
        boolean option = argument.startsWith("-");
        String what = option ? "unknown option" : spec.subcommands().isEmpty() ? "unexpected argument"
                : "unknown command";
        return what + " '" + argument + "'" + Spelling.closest(argument, option ? spec.optionsMap().keySet()
                : spec.subcommands().keySet()).map(n -> "; did you mean " + n + "?").orElse("");
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
