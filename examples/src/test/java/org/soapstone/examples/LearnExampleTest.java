package org.soapstone.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-the-fly learning demo {@code examples/learn/learn-si-sw.sh}, shortened (300 learning steps, 1000-step
 * unseen reference runs): it must run to the end, call the reference, and its learnt model must predict the forces
 * of reference frames it never saw (at 1200 K and 1600 K, scored by the script's own {@code learn_errors.py}) far
 * better than knowing nothing (|F| is ≈ 1 eV/Å there) — with SW (the default) and with Tersoff, whose
 * reference-specific SOAP defaults this checks.
 */
class LearnExampleTest {
    private static final Pattern ERRORS = Pattern.compile(
            "(pred\\d+)\\.xyz: (\\d+) frames, energy MAE ([0-9.]+) meV/atom, force MAE ([0-9.]+) eV/Å");

    @Test
    void shortenedLearningDemoLearnsStillingerWeber(@TempDir Path dir) {
        Map<String, Double> force = forceErrors(dir, "sw:test-data/Si.sw");
        force.forEach((file, mae) -> assertTrue(mae < 0.15, file + ": force MAE " + mae
                + " eV/Å (0.064 and 0.102 measured)"));
    }

    /**
     * Tersoff with the script's Tersoff defaults (SOAP cut at 3.3 Å, atom_sigma 0.3): measured 0.068 / 0.136 eV/Å;
     * the SW settings (cutoff 4.5 Å, atom_sigma 0.5) give 0.126 / 0.203 on the same run and fail both bounds.
     */
    @Test
    void shortenedLearningDemoLearnsTersoffWithItsOwnDescriptor(@TempDir Path dir) {
        Map<String, Double> force = forceErrors(dir, "tersoff:test-data/Si.tersoff");
        assertTrue(force.get("pred1200") < 0.10,
                "1200 K: force MAE " + force.get("pred1200") + " eV/Å (0.068 measured)");
        assertTrue(force.get("pred1600") < 0.17,
                "1600 K: force MAE " + force.get("pred1600") + " eV/Å (0.136 measured)");
    }

    /** Runs the shortened demo with {@code reference} and returns the force MAE (eV/Å) of pred1200 and pred1600. */
    private static Map<String, Double> forceErrors(Path dir, String reference) {
        String soapstone = String.join(" ", ExampleRun.soapstone());
        String out = ExampleRun.run(List.of("env", "STEPS=300", "MD_STEPS=1000", "REFERENCE=" + reference,
                "SOAPSTONE=" + soapstone, "bash", "examples/learn/learn-si-sw.sh", dir.resolve("learn").toString()));
        assertTrue(out.contains("reference calls, sparse points, training frames:"), out);
        Map<String, Double> force = new LinkedHashMap<>();
        Matcher m = ERRORS.matcher(out);
        while (m.find()) {
            assertEquals(50, Integer.parseInt(m.group(2)), "frames of the unseen run: " + out);
            force.put(m.group(1), Double.parseDouble(m.group(4)));
        }
        assertEquals(List.of("pred1200", "pred1600"), new ArrayList<>(force.keySet()), out);
        return force;
    }
}
