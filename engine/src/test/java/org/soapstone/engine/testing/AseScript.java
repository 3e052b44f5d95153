package org.soapstone.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script with ASE (3.22, importable only from {@code /usr/bin/python3}) and returns what it
 * prints, for tests that compare with ASE. A missing interpreter or ASE, a failing script or one running over
 * two minutes fails the test with a clear message (never skips it).
 */
public final class AseScript {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final long TIMEOUT_SECONDS = 120;

    private AseScript() {}

    /** @return the standard output of {@code script} run by {@code /usr/bin/python3} with arguments {@code args} */
    public static String run(String script, String... args) {
        List<String> command = new ArrayList<>(List.of("-c", script));
        command.addAll(List.of(args));
        return execute(command);
    }

    /**
     * @param script a Python file (its directory is on Python's path, so modules beside it import)
     * @param args its arguments
     * @return the standard output of {@code /usr/bin/python3 script args…}
     */
    public static String runFile(Path script, String... args) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        return execute(command);
    }

    private static String execute(List<String> arguments) {
        if (!Files.isExecutable(PYTHON)) {
            fail(PYTHON + " is missing: install python3 and python3-ase (CI does); this test compares with ASE");
        }
        try {
            Path out = Files.createTempFile("soapstone-ase-stdout", ".txt");
            Path err = Files.createTempFile("soapstone-ase-stderr", ".txt");
            try {
                List<String> command = new ArrayList<>(List.of(PYTHON.toString()));
                command.addAll(arguments);
                Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .start();
                p.getOutputStream().close();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    fail(PYTHON + " did not finish within " + TIMEOUT_SECONDS + " s:\n" + Files.readString(err));
                }
                String stderr = Files.readString(err);
                if (stderr.contains("No module named 'ase'") || stderr.contains("No module named 'numpy'")) {
                    fail("ASE is not importable from " + PYTHON + " (install python3-ase; CI does):\n" + stderr);
                }
                if (p.exitValue() != 0) {
                    fail(PYTHON + " exited with status " + p.exitValue() + ":\n" + stderr);
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return fail("cannot run " + PYTHON + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + PYTHON, e);
        }
    }

    /** @return a Python list literal of {@code values} in Java's shortest round-trip form (exact in Python) */
    public static String list(double[] values) {
        StringBuilder b = new StringBuilder("[");
        for (double v : values) {
            b.append(v).append(',');
        }
        return b.append(']').toString();
    }
}
