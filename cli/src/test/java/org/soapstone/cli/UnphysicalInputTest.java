package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;

/**
 * Input no energy model can describe, and runs that go wrong, stop every command with exit 1 and one line naming the
 * file and frame (eval, fit) or the step (md), and the atoms — never a NaN written with exit 0 — and leave earlier
 * results alone.
 */
class UnphysicalInputTest {
    @TempDir
    Path dir;

    private static String sw() {
        return "sw:" + CliTesting.testData("Si.sw");
    }

    /** gap_fit's Si SOAP model in ../shared (skips where it is absent). */
    private static String gap() {
        return SharedData.gapFit("si-soap").resolve("gp.xml").toString();
    }

    /** Two frames of 8-atom diamond Si with an energy; in the second, atom 2 sits on atom 1 (line 14 of the file). */
    private Path secondFrameOverlaps() throws Exception {
        Structure good = Crystal.diamond(14, 5.431, 1);
        Structure bad = good.copy();
        System.arraycopy(bad.positions(), 0, bad.positions(), 3, 3);
        good.info().put("energy", -34.7);
        bad.info().put("energy", -30.0);
        Path file = dir.resolve("overlap.xyz");
        ExtXyz.write(file, List.of(good, bad));
        assertEquals("Si 0.0 0.0 0.0", Files.readAllLines(file).get(13).replaceAll("\\s+", " ").strip()
                .substring(0, 14), "atom 2 of frame 2 is on line 14");
        return file;
    }

    private void assertOneLineAndUntouched(CliTesting.Run r, String expected, Path kept) throws Exception {
        assertEquals(1, r.exitCode(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("soapstone")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.getFirst().contains(expected), "expected '" + expected + "' in: " + r.err());
        if (kept != null) {
            assertEquals("precious", Files.readString(kept));
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void evalOfOverlappingAtomsNamesFileLineFrameAndAtomsForSwAndGap() throws Exception {
        Path in = secondFrameOverlaps();
        Path out = dir.resolve("out.xyz");
        Files.writeString(out, "precious");
        for (String[] model : new String[][] {{"--potential", sw()}, {"--model", gap()}}) {
            CliTesting.Run r = CliTesting.run("eval", model[0], model[1], in.toString(), "-o", out.toString());
            assertOneLineAndUntouched(r, "overlap.xyz:14: frame 2: atoms 1 and 2 (Si, Si) are at the same position",
                    out);
        }
    }

    @Test
    void mdFromOverlappingAtomsNamesTheFileAndAtomsForSwAndGap() throws Exception {
        Path in = secondFrameOverlaps();
        for (String[] model : new String[][] {{"--potential", sw()}, {"--model", gap()}}) {
            Path out = dir.resolve("md-" + model[0].substring(2));
            CliTesting.Run r = CliTesting.run("md", model[0], model[1], "--steps", "5", "--temperature", "300",
                    "--output", out.toString(), in.toString());
            assertOneLineAndUntouched(r, "overlap.xyz: the last frame: atoms 1 and 2 (Si, Si) are at the same position",
                    null);
            assertFalse(Files.exists(out.resolve("final.xyz")));
        }
    }

    @Test
    void fitOfOverlappingAtomsNamesFileLineFrameAndAtoms() throws Exception {
        Path in = secondFrameOverlaps();
        Path model = dir.resolve("model.gap");
        CliTesting.Run r = CliTesting.run("fit", "at_file=" + in, "gap={soap cutoff=3 n_max=4 l_max=4 atom_sigma=0.5 "
                + "zeta=2 delta=1 covariance_type=dot_product n_sparse=4 sparse_method=random}",
                "default_sigma={0.01 0.1 0.1 0}", "e0=0", "gp_file=" + model);
        assertOneLineAndUntouched(r, "overlap.xyz:14: frame 2 (index 1), 'pos': atoms 1 and 2 (Si, Si) are at the "
                + "same position", null);
        assertFalse(Files.exists(model));
    }

    /** SW silicon with a 100 fs time step: 2·10⁶ K after one step (it used to reach 3·10¹⁴ K and exit 0). */
    @Test
    void aDivergingMdRunStopsAtTheStepItDiverged() throws Exception {
        Path in = dir.resolve("si.xyz");
        ExtXyz.write(in, List.of(Crystal.diamond(14, 5.431, 2)));
        Path out = dir.resolve("md");
        CliTesting.Run r = CliTesting.run("md", "--potential", sw(), "--steps", "200", "--timestep", "100",
                "--temperature", "300", "--output", out.toString(), in.toString());
        assertOneLineAndUntouched(r, "step 1: the run diverged: the conserved energy", null);
        assertFalse(Files.exists(out.resolve("final.xyz")));
        CliTesting.Run sound = CliTesting.run("md", "--potential", sw(), "--steps", "200", "--timestep", "2",
                "--temperature", "1500", "--output", out.toString(), in.toString());
        assertEquals(0, sound.exitCode(), sound.err());
    }

    @Test
    void evalOfAnEmptyFileIsAnError() throws Exception {
        Path in = Files.writeString(dir.resolve("empty.xyz"), "\n");
        Path out = Files.writeString(dir.resolve("out.xyz"), "precious");
        CliTesting.Run r = CliTesting.run("eval", "--potential", sw(), in.toString(), "-o", out.toString());
        assertOneLineAndUntouched(r, "empty.xyz: no frames", out);
    }

    @Test
    void everyNonsensicalIntervalOrStepIsNamed() throws Exception {
        Path in = dir.resolve("si.xyz");
        ExtXyz.write(in, List.of(Crystal.diamond(14, 5.431, 1)));
        Path out = dir.resolve("never");
        String[][] md = {{"--trajectory-every", "-3"}, {"--thermo-every", "0"}, {"--steps", "-1"}, {"--timestep", "0"},
            {"--timestep", "NaN"}, {"--friction", "0"}, {"--tau", "-5"}, {"--sigma-rank", "-1"}, {"--threads", "0"}};
        for (String[] bad : md) {
            String steps = bad[0].equals("--steps") ? bad[1] : "5";
            String[] other = bad[0].equals("--steps") ? new String[] {"--seed", "1"} : bad;
            CliTesting.Run r = CliTesting.run("md", "--potential", sw(), "--steps", steps, "--temperature", "300",
                    "--ensemble", "nvt", other[0], other[1], "--output", out.toString(), in.toString());
            assertOneLineAndUntouched(r, bad[0] + " must be", null);
            assertTrue(r.err().contains(bad[1]), r.err());
        }
        String[][] learn = {{"--trajectory-every", "0"}, {"--thermo-every", "-1"}, {"--std-tolerance", "0"},
            {"--jitter", "-1"}, {"--reference-timeout", "0"}};
        for (String[] bad : learn) {
            CliTesting.Run r = CliTesting.run("learn", "--reference", sw(), "--descriptor", "soap cutoff=3 n_max=2 "
                    + "l_max=2 atom_sigma=0.5 zeta=2 delta=1 covariance_type=dot_product", "--steps", "5",
                    "--temperature", "300", bad[0], bad[1], "--output", out.toString(), in.toString());
            assertOneLineAndUntouched(r, bad[0] + " must be", null);
        }
        assertFalse(Files.exists(out), "nothing written");
    }

    /** More threads than cores: capped at the cores with one warning line, the same as every command. */
    @Test
    void tooManyThreadsAreCappedWithAWarning() throws Exception {
        Path in = dir.resolve("si.xyz");
        ExtXyz.write(in, List.of(Crystal.diamond(14, 5.431, 1)));
        int cores = Runtime.getRuntime().availableProcessors();
        CliTesting.Run r = CliTesting.run("eval", "--potential", sw(), "--threads", "1000", in.toString(), "-o",
                dir.resolve("out.xyz").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: --threads 1000 is more than the " + cores + " cores of this machine; "
                + "using " + cores), r.err());
    }
}
