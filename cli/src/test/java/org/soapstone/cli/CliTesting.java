package org.soapstone.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the {@code soapstone} command in-process and captures its exit code, standard output and errors. */
final class CliTesting {
    record Run(int exitCode, String out, String err) {}

    private CliTesting() {}

    static Path testData(String name) {
        return Path.of(System.getProperty("soapstone.root"), "test-data", name);
    }

    static synchronized Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            CommandLine cl = SoapstoneCommand.commandLine();
            cl.setOut(new PrintWriter(o, true));
            cl.setErr(new PrintWriter(e, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * Runs a Python script with {@code /usr/bin/python3} (which has ASE and NumPy) in {@code dir}; the calling test
     * is skipped where that Python is absent.
     *
     * @return its exit code and its standard output and errors together (in {@code out})
     */
    static Run python(Path dir, String script) throws java.io.IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(python),
                "skipped: /usr/bin/python3 (with NumPy) is absent");
        Process p = new ProcessBuilder(python.toString(), "-c", script).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("python did not finish: " + out);
        }
        return new Run(p.exitValue(), out, "");
    }
}
