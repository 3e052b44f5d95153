package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.gap.ObservedVariance;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;

/**
 * {@code soapstone md --sigma-every N --stop-if-uncertain-force EV/Å} with a model fitted here (5-fold calibrated, so
 * with a force-σ proxy): the thermo log marks the exact steps; the final frame's force σ (an exact step) equals the
 * reference path's observed σ recomputed independently; a run with a threshold between the largest force σ before
 * some step k and the one at k stops exactly at k, naming the atom with the largest force σ written; a force σ of
 * an imported model is refused with one line.
 */
class MdForceSigmaTest {
    @TempDir
    static Path dir;
    private static Path model;
    private static Path start;

    @BeforeAll
    static void fit() throws Exception {
        model = dir.resolve("si.gap");
        CliTesting.Run fit = CliTesting.run("fit", "--threads", "2", "--calibration", "scale",
                "at_file=" + SharedData.gapFit("si-soap").resolve("train.xyz"),
                "gap={soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 zeta=4 cutoff_transition_width=0.5 delta=1.0 "
                        + "covariance_type=dot_product n_sparse=40 sparse_method=cur_points}",
                "default_sigma={0.01 0.05 0.01 1}", "sparse_jitter=1e-8", "e0={Si:-0.79}",
                "energy_parameter_name=energy", "force_parameter_name=forces", "virial_parameter_name=NO_virial",
                "stress_parameter_name=NO_stress", "rnd_seed=1", "gp_file=" + model);
        assertEquals(0, fit.exitCode(), fit.err());
        assertNotNull(GapModelFile.read(model).model().calibration().forceProxy(), "the fit calibrated a proxy");
        start = dir.resolve("si-64.xyz");
        ExtXyz.write(start, List.of(Crystal.diamond(14, 5.431, 2)));
    }

    private static CliTesting.Run md(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("md", "--model", model.toString(), "--ensemble", "nvt",
                "--thermostat", "bussi", "--tau", "5", "--temperature", "2500", "--timestep", "2", "--steps", "20",
                "--seed", "3", "--threads", "2", "--thermo-every", "1", "--trajectory-every", "10", "--sigma-every",
                "5", "--output", out.toString()));
        args.addAll(List.of(extra));
        args.add(start.toString());
        return CliTesting.run(args.toArray(String[]::new));
    }

    @Test
    void exactStepsMatchTheReferenceAndStopIfUncertainForceStopsAtTheFirstStepOver() throws Exception {
        CliTesting.Run full = md(dir.resolve("full"));
        assertEquals(0, full.exitCode(), full.err());
        List<String> log = Files.readAllLines(dir.resolve("full").resolve("thermo.log"));
        assertTrue(log.get(0).endsWith("force_sigma_max_eV/A force_sigma_mean_eV/A force_sigma_step force_sigma_exact"),
                log.get(0));
        List<double[]> rows = new ArrayList<>();
        for (String line : log.subList(1, log.size())) {
            String[] f = line.trim().split("\\s+");
            double step = Double.parseDouble(f[0]);
            rows.add(new double[] {step, Double.parseDouble(f[9]), Double.parseDouble(f[10])});
            assertEquals(step, Double.parseDouble(f[11]), "every step has a force σ (the proxy between exact ones)");
            assertEquals(step % 5 == 0 ? 1 : 0, Double.parseDouble(f[12]), "exact every 5 steps: " + line);
        }
        assertEquals(21, rows.size(), "steps 0..20");

        Structure last = ExtXyz.read(dir.resolve("full").resolve("final.xyz")).getFirst();
        double[] written = last.properties().get("force_sigma").reals();
        try (WorkerPool pool = new WorkerPool(1)) {
            ObservedVariance want = new ReferenceGapCalculator(GapModelFile.read(model).model(), pool)
                    .observedVariance(last, null);
            for (int k = 0; k < written.length; k++) {
                assertEquals(Math.sqrt(want.forces()[k]), written[k], 1e-9 * written[k], "force σ " + k
                        + " of step 20 (exact)");
            }
        }

        int k = -1;
        double before = 0;
        double running = rows.get(0)[1];
        for (int s = 1; s < rows.size(); s++) {
            if (rows.get(s)[1] > running && s >= 3) {
                k = s;
                before = running;
            }
            running = Math.max(running, rows.get(s)[1]);
        }
        assertTrue(k > 0, "the force σ never grew in a 2500 K run: " + rows.stream().map(r -> r[1]).toList());
        double threshold = 0.5 * (before + rows.get(k)[1]);
        Path out = dir.resolve("stopped");
        CliTesting.Run stopped = md(out, "--stop-if-uncertain-force", Double.toString(threshold));
        assertEquals(0, stopped.exitCode(), stopped.err());
        assertTrue(stopped.out().contains("stopped at step " + k + ":"), stopped.out());
        assertTrue(stopped.out().contains(k % 5 == 0 ? "exact σ" : "proxy σ"), stopped.out());
        Structure fin = ExtXyz.read(out.resolve("final.xyz")).getFirst();
        assertEquals(k, ((Number) fin.info().get("step")).longValue(), "final.xyz is the state of step " + k);
        int atom = Integer.parseInt(stopped.out().replaceAll("(?s).*stopped at step \\d+: atom (\\d+).*", "$1"));
        double[] sigma = fin.properties().get("force_sigma").reals();
        int worst = 0;
        for (int a = 0; a < sigma.length / 3; a++) {
            worst = atomMax(sigma, a) > atomMax(sigma, worst) ? a : worst;
        }
        assertEquals(worst, atom, "the atom named has the largest force σ");
        assertTrue(atomMax(sigma, atom) > threshold);
    }

    /** The proxy is calibrated on local variances of its own rank: another --sigma-rank turns it off, saying so. */
    @Test
    void anotherSigmaRankLeavesTheForceSigmaToTheExactSteps() throws Exception {
        int proxyRank = GapModelFile.read(model).model().calibration().forceProxy().rank(40);
        assertEquals(40, proxyRank, "40 sparse points: the proxy's projection is exact");
        CliTesting.Run r = md(dir.resolve("rank10"), "--sigma-rank", "10");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("note: --sigma-rank 10: the model's force-σ proxy is calibrated on rank 40"),
                r.err());
        List<String> log = Files.readAllLines(dir.resolve("rank10").resolve("thermo.log"));
        for (String line : log.subList(1, log.size())) {
            String[] f = line.trim().split("\\s+");
            double step = Double.parseDouble(f[0]);
            assertEquals(step - step % 5, Double.parseDouble(f[11]), "the force σ is the last exact step's: " + line);
            assertEquals(1, Double.parseDouble(f[12]), line);
        }
        CliTesting.Run same = md(dir.resolve("rank40"), "--sigma-rank", "0");
        assertEquals(0, same.exitCode(), same.err());
        assertTrue(!same.err().contains("note: --sigma-rank"), "rank 0 is the exact rank 40 here: " + same.err());
    }

    @Test
    void aForceSigmaOfAnImportedModelIsRefused() {
        for (String option : List.of("--sigma-every", "--stop-if-uncertain-force")) {
            CliTesting.Run r = CliTesting.run("md", "--model", SharedData.gapFit("si-soap").resolve("gp.xml")
                    .toString(), "--steps", "1", option, "1", "--output", dir.resolve("x").toString(),
                    start.toString());
            assertEquals(1, r.exitCode(), r.out());
            assertTrue(r.err().contains(option + " needs a model fitted by soapstone"), r.err());
        }
    }

    @Test
    void badForceSigmaOptionsAreNamedAndTouchNothing() {
        Path out = dir.resolve("bad");
        for (String[] bad : new String[][] {{"--sigma-every", "-1"}, {"--stop-if-uncertain-force", "0"},
                {"--stop-if-uncertain-force", "-0.2"}}) {
            CliTesting.Run r = CliTesting.run("md", "--model", model.toString(), "--steps", "1", bad[0], bad[1],
                    "--output", out.toString(), start.toString());
            assertEquals(1, r.exitCode(), String.join(" ", bad));
            assertTrue(r.err().contains(bad[0]) && r.err().contains(bad[1]), r.err());
            assertTrue(!Files.exists(out), "nothing written for " + String.join(" ", bad));
        }
    }

    private static double atomMax(double[] sigma, int a) {
        return Math.max(sigma[3 * a], Math.max(sigma[3 * a + 1], sigma[3 * a + 2]));
    }
}
