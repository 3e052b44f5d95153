package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.SharedData;

/**
 * {@code soapstone md --model ... --stop-if-uncertain SIGMA}: a hot GAP run logs σ_max every step; a second,
 * identical run with a threshold between the largest σ_max before some step k and σ_max at k must stop exactly at
 * step k, name the atom, and leave a final frame whose deviations — recomputed independently by
 * {@link ReferenceGapCalculator}'s QUIP variance — put that atom above the threshold.
 */
class MdUncertaintyTest {
    @TempDir
    Path dir;

    private CliTesting.Run md(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("md", "--model",
                SharedData.gapFit("si-soap").resolve("gp.xml").toString(), "--ensemble", "nvt", "--thermostat",
                "bussi", "--tau", "5", "--temperature", "2500", "--timestep", "2", "--steps", "30", "--seed", "3",
                "--threads", "2", "--thermo-every", "1", "--trajectory-every", "10", "--output", out.toString()));
        args.addAll(List.of(extra));
        args.add(dir.resolve("si-64.xyz").toString());
        return CliTesting.run(args.toArray(String[]::new));
    }

    @Test
    void stopIfUncertainEndsTheRunAtTheFirstStepOverTheThreshold() throws Exception {
        ExtXyz.write(dir.resolve("si-64.xyz"), List.of(Crystal.diamond(14, 5.431, 2)));
        CliTesting.Run full = md(dir.resolve("full"));
        assertEquals(0, full.exitCode(), full.err());
        List<String> log = Files.readAllLines(dir.resolve("full").resolve("thermo.log"));
        assertTrue(log.get(0).endsWith("sigma_max_eV sigma_mean_eV"), log.get(0));
        List<double[]> rows = new ArrayList<>();
        for (String line : log.subList(1, log.size())) {
            String[] f = line.trim().split("\\s+");
            rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[7]), Double.parseDouble(f[8])});
        }
        assertEquals(31, rows.size(), "steps 0..30");
        // the last step whose σ_max is a new record, at least 5 steps in
        int k = -1;
        double before = 0;
        double running = rows.get(0)[1];
        for (int s = 1; s < rows.size(); s++) {
            if (rows.get(s)[1] > running && s >= 5) {
                k = s;
                before = running;
            }
            running = Math.max(running, rows.get(s)[1]);
        }
        assertTrue(k > 0, "σ_max never grew in a 2500 K run: " + rows.stream().map(r -> r[1]).toList());
        assertTrue(rows.get(k)[2] <= rows.get(k)[1], "mean ≤ max");
        double threshold = 0.5 * (before + rows.get(k)[1]);

        Path out = dir.resolve("stopped");
        CliTesting.Run stopped = md(out, "--stop-if-uncertain", Double.toString(threshold));
        assertEquals(0, stopped.exitCode(), stopped.err());
        assertTrue(stopped.out().contains("stopped at step " + k + ":"), stopped.out());
        List<String> log2 = Files.readAllLines(out.resolve("thermo.log"));
        assertEquals(k + 2, log2.size(), "header and steps 0.." + k);
        Structure fin = ExtXyz.read(out.resolve("final.xyz")).getFirst();
        assertEquals(k, ((Number) fin.info().get("step")).longValue(), "final.xyz is the state of step " + k);
        String atomText = stopped.out().replaceAll("(?s).*stopped at step \\d+: atom (\\d+).*", "$1");
        int atom = Integer.parseInt(atomText);
        double[] written = fin.properties().get("local_energy_sigma").reals();
        try (WorkerPool pool = new WorkerPool(1)) {
            GapModel model = GapModel.readQuip(SharedData.gapFit("si-soap").resolve("gp.xml"));
            double[] var = new ReferenceGapCalculator(model, pool).localVariance(fin);
            int worst = 0;
            for (int a = 0; a < var.length; a++) {
                assertEquals(Math.sqrt(var[a]), written[a], 1e-9, "written deviation of atom " + a);
                worst = var[a] > var[worst] ? a : worst;
            }
            assertEquals(worst, atom, "the atom named is the most uncertain one");
            assertTrue(Math.sqrt(var[atom]) > threshold, "its deviation exceeds the threshold");
        }
    }

    @Test
    void stopIfUncertainNeedsAModel() {
        CliTesting.Run r = CliTesting.run("md", "--potential", "sw:" + CliTesting.testData("Si.sw"), "--steps", "1",
                "--stop-if-uncertain", "0.1", "--output", dir.resolve("x").toString(),
                CliTesting.testData("si-diamond-512.xyz").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("--stop-if-uncertain needs --model"), r.err());
    }

    @Test
    void noSigmaDropsTheDeviationsButNotTheDynamics() throws Exception {
        Path in = dir.resolve("si-64.xyz");
        ExtXyz.write(in, List.of(Crystal.diamond(14, 5.431, 2)));
        String[] common = {"md", "--model", SharedData.gapFit("si-soap").resolve("gp.xml").toString(), "--ensemble",
            "nve", "--temperature", "600", "--seed", "3", "--timestep", "1", "--steps", "3", "--thermo-every", "1",
            "--trajectory-every", "0", in.toString(), "--output"};
        CliTesting.Run with = CliTesting.run(concat(common, dir.resolve("with").toString()));
        CliTesting.Run without = CliTesting.run(concat(common, dir.resolve("without").toString(), "--no-sigma"));
        assertEquals(0, with.exitCode(), with.err());
        assertEquals(0, without.exitCode(), without.err());
        List<String> a = Files.readAllLines(dir.resolve("with").resolve("thermo.log"));
        List<String> b = Files.readAllLines(dir.resolve("without").resolve("thermo.log"));
        assertTrue(a.get(0).contains("sigma_max_eV") && !b.get(0).contains("sigma"), a.get(0) + " / " + b.get(0));
        assertEquals(a.size(), b.size());
        for (int i = 1; i < a.size(); i++) {
            String[] x = a.get(i).trim().split("\\s+");
            String[] y = b.get(i).trim().split("\\s+");
            assertEquals(List.of(x).subList(0, y.length), List.of(y), "step row " + i + ": same dynamics");
        }
        CliTesting.Run stop = CliTesting.run(concat(common, dir.resolve("stop").toString(), "--no-sigma",
                "--stop-if-uncertain", "0.1"));
        assertTrue(stop.exitCode() != 0 && stop.err().contains("--no-sigma"), stop.err());
    }

    /**
     * σ on the steps that write it: with thermo lines every 4 steps, frames every 6 and 13 steps, the σ of each
     * frame written (steps 0, 6, 12) and of final.xyz (step 13, written by neither) equals QUIP's variance of that
     * frame recomputed by {@link ReferenceGapCalculator}, and the thermo lines (steps 0, 4, 8, 12) each carry their
     * own step's σ_max — a step that skipped σ would repeat an earlier line's.
     */
    @Test
    void sigmaIsThatOfEachStepThatWritesIt() throws Exception {
        Path in = dir.resolve("si-64.xyz");
        ExtXyz.write(in, List.of(FiniteDifferences.rattled(Crystal.diamond(14, 5.431, 2), 0.05, 7)));
        Path out = dir.resolve("lazy");
        CliTesting.Run run = CliTesting.run("md", "--model", SharedData.gapFit("si-soap").resolve("gp.xml").toString(),
                "--ensemble", "nve", "--temperature", "1200", "--seed", "3", "--timestep", "1", "--steps", "13",
                "--thermo-every", "4", "--trajectory-every", "6", "--threads", "2", "--output", out.toString(),
                in.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<Structure> frames = new ArrayList<>(ExtXyz.read(out.resolve("trajectory.xyz")));
        frames.add(ExtXyz.read(out.resolve("final.xyz")).getFirst());
        List<Long> steps = new ArrayList<>();
        java.util.Map<Long, Double> largest = new java.util.HashMap<>();
        try (WorkerPool pool = new WorkerPool(1)) {
            ReferenceGapCalculator quip = new ReferenceGapCalculator(
                    GapModel.readQuip(SharedData.gapFit("si-soap").resolve("gp.xml")), pool);
            for (Structure f : frames) {
                long step = ((Number) f.info().get("step")).longValue();
                steps.add(step);
                double[] written = f.properties().get("local_energy_sigma").reals();
                double[] var = quip.localVariance(f);
                double max = 0;
                for (int a = 0; a < var.length; a++) {
                    assertEquals(Math.sqrt(var[a]), written[a], 1e-9, "step " + step + ", atom " + a);
                    max = Math.max(max, written[a]);
                }
                largest.put(step, max);
            }
        }
        assertEquals(List.of(0L, 6L, 12L, 13L), steps, "frames written");
        List<String> log = Files.readAllLines(out.resolve("thermo.log"));
        List<Double> sigmaMax = new ArrayList<>();
        for (String line : log.subList(1, log.size())) {
            String[] f = line.trim().split("\\s+");
            long step = Long.parseLong(f[0]);
            double value = Double.parseDouble(f[7]);
            sigmaMax.add(value);
            if (largest.containsKey(step)) {
                assertEquals(largest.get(step), value, 1e-6 * value, "thermo σ_max of step " + step);
            }
        }
        assertEquals(4, sigmaMax.size(), "thermo lines of steps 0, 4, 8, 12");
        assertEquals(4, sigmaMax.stream().distinct().count(), "each line its own step's σ_max: " + sigmaMax);
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
