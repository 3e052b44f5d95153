package org.soapstone.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs an example as a user would (a JDK tool or another program) and returns its standard output. */
final class ExampleRun {
    /** The repository root. */
    static final Path ROOT = Path.of(System.getProperty("soapstone.root"));
    private static final long TIMEOUT_SECONDS = 120;

    private ExampleRun() {}

    /** @return {@code bin/NAME} of the JDK running the tests (java, jshell) */
    static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /**
     * @return the test class path (Soapstone's classes and dependencies, what the shaded jar holds), entries that
     *     exist only (jshell rejects missing ones)
     */
    static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isEmpty() && Files.exists(Path.of(e))).collect(Collectors.joining(File.pathSeparator));
    }

    /** The JVM option SOAP needs (the JDK's incubating Vector API), as the {@code soapstone} launcher passes it. */
    static final String[] VECTOR = {"--add-modules", "jdk.incubator.vector"};

    /** @return the command that runs the {@code soapstone} CLI from the test class path */
    static List<String> soapstone() {
        return List.of(jdkTool("java"), VECTOR[0], VECTOR[1], "-cp", classPath(), "org.soapstone.cli.SoapstoneCommand");
    }

    /**
     * Runs {@code command} in the repository root.
     *
     * @return its standard output; a non-zero exit or a run over two minutes fails the test with its errors
     */
    static String run(List<String> command) {
        try {
            Path out = Files.createTempFile("soapstone-example", ".out");
            Path err = Files.createTempFile("soapstone-example", ".err");
            try {
                Process p = new ProcessBuilder(new ArrayList<>(command)).directory(ROOT.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                p.getOutputStream().close();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail(command.get(0) + " did not finish in " + TIMEOUT_SECONDS + " s:\n" + Files.readString(err));
                }
                if (p.exitValue() != 0) {
                    fail(String.join(" ", command) + "\nexited with " + p.exitValue() + ":\n" + Files.readString(err)
                            + Files.readString(out));
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return fail("cannot run " + command.get(0) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted", e);
        }
    }

    /**
     * @return the command README's examples table gives for {@code file} (the first code span of its row's
     *     second column), e.g. {@code ./soapstone jshell examples/jshell/quick-eval.jsh}
     */
    static String readmeCommand(String file) throws IOException {
        String row = "| `" + file + "` | `";
        for (String line : Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith(row)) {
                return line.substring(row.length(), line.indexOf('`', row.length()));
            }
        }
        return fail("README's examples table has no row for " + file);
    }

    /**
     * Runs a command line exactly as README writes it, with bash in the repository root, as on a machine whose
     * default {@code java} is older than 25 (the first older JDK under /usr/lib/jvm first on the PATH, where there is
     * one), without {@code JAVA_HOME}, and with no {@code soapstone} on the PATH.
     *
     * @return its standard output; a non-zero exit or a run over two minutes fails the test with its errors
     */
    static String runAsWritten(String commandLine) throws IOException {
        Path older = ReadmeCommandsTest.olderJdk();
        String path = (older != null ? older.resolve("bin") + ":" : "") + "/usr/bin:/bin";
        return run(List.of("env", "-i", "HOME=" + System.getProperty("user.home"), "PATH=" + path, "bash", "-c",
                commandLine));
    }

    /** @return the whitespace-separated numbers of each line of {@code text} that does not start with '#' */
    static List<double[]> table(String text) {
        List<double[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.strip().split("\\s+");
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = Double.parseDouble(f[i]);
            }
            rows.add(d);
        }
        return rows;
    }
}
