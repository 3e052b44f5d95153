package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs a Python script with ASE through {@code /usr/bin/python3}, failing the test if it cannot. */
final class Ase {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private Ase() {}

    /** @return the script's standard output; fails the test with its standard error if it exits non-zero */
    static String run(String script) {
        if (!Files.isExecutable(PYTHON)) {
            fail(PYTHON + " not found: install python3 and python3-ase (CI installs them)");
        }
        try {
            Path file = Files.createTempFile("soapstone-ase", ".py");
            try {
                Files.writeString(file, script);
                Process p = new ProcessBuilder(PYTHON.toString(), file.toString()).start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                byte[] err = p.getErrorStream().readAllBytes();
                if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    fail("python3 with ASE failed (is python3-ase installed?):\n"
                            + new String(err, StandardCharsets.UTF_8));
                }
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            return fail("cannot run " + PYTHON + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + PYTHON, e);
        }
    }

    /** @return a Python list literal of {@code values}, with every digit Java needs to round-trip them */
    static String list(double[] values) {
        StringBuilder b = new StringBuilder("[");
        for (double v : values) {
            b.append(Double.toString(v)).append(',');
        }
        return b.append(']').toString();
    }
}
