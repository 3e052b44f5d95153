package org.soapstone.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-the-fly learning demo {@code examples/learn/learn-si-sw.sh}, shortened (300 learning steps, 1000-step
 * unseen SW runs): it must run to the end, call the SW reference, and its learnt model must predict the forces of
 * SW frames it never saw (at 1200 K and 1600 K, scored by the script's own {@code learn_errors.py}) far better than
 * knowing nothing (|F| is ≈ 1 eV/Å there).
 */
class LearnExampleTest {
    private static final Pattern ERRORS = Pattern.compile(
            "(pred\\d+)\\.xyz: (\\d+) frames, energy MAE ([0-9.]+) meV/atom, force MAE ([0-9.]+) eV/Å");

    @Test
    void shortenedLearningDemoLearnsStillingerWeber(@TempDir Path dir) {
        String soapstone = String.join(" ", ExampleRun.soapstone());
        String out = ExampleRun.run(List.of("env", "STEPS=300", "MD_STEPS=1000", "SOAPSTONE=" + soapstone, "bash",
                "examples/learn/learn-si-sw.sh", dir.resolve("learn").toString()));
        assertTrue(out.contains("reference calls, sparse points, training frames:"), out);
        List<String> files = new ArrayList<>();
        Matcher m = ERRORS.matcher(out);
        while (m.find()) {
            files.add(m.group(1));
            assertEquals(50, Integer.parseInt(m.group(2)), "frames of the unseen run: " + out);
            double force = Double.parseDouble(m.group(4));
            assertTrue(force < 0.15, m.group(1) + ": force MAE " + force + " eV/Å (0.064 and 0.102 measured)");
        }
        assertEquals(List.of("pred1200", "pred1600"), files, out);
    }
}
