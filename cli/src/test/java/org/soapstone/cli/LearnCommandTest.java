package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.learn.LabelledFrames;
import org.soapstone.engine.md.Langevin;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.TemperatureSchedule;
import org.soapstone.engine.md.Units;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.AseScript;
import org.soapstone.potentials.PotentialSpec;

/**
 * {@code soapstone learn} with Stillinger–Weber silicon as the reference: a shortened acceptance run whose learnt
 * model must predict unseen SW frames, resuming from the files, and a clean stop when the reference fails.
 */
class LearnCommandTest {
    private static final String SOAP = "soap cutoff=4.0 n_max=6 l_max=4 atom_sigma=0.5 zeta=4 delta=1 "
            + "covariance_type=dot_product n_sparse=10";

    @TempDir
    Path dir;

    private Path start(int cells) throws Exception {
        Path file = dir.resolve("si" + cells + ".xyz");
        ExtXyz.write(file, List.of(Crystal.diamond(14, 5.431, cells)));
        return file;
    }

    private static String sw() {
        return "sw:" + CliTesting.testData("Si.sw");
    }

    private static List<String> dataLines(Path log) throws Exception {
        return Files.readAllLines(log).stream().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void shortLearningRunPredictsUnseenSwFrames() throws Exception {
        Path out = dir.resolve("learn");
        CliTesting.Run r = CliTesting.run("learn", "--reference", sw(), "--descriptor", SOAP, "--ensemble", "nvt",
                "--temperature", "1000:1300", "--timestep", "1", "--steps", "600", "--std-tolerance", "0.02",
                "--threads", "2", "--output", out.toString(), start(2).toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> log = dataLines(out.resolve("learn.log"));
        List<Structure> training = ExtXyz.read(out.resolve("training.xyz"));
        int calls = log.size();
        assertEquals(calls, training.size(), "one training frame per logged reference call");
        assertTrue(calls >= 3 && calls <= 60, "the learner called SW " + calls + " times in 600 steps");
        // the training data are SW's own labels of the structures
        Calculator ref = PotentialSpec.parse(sw());
        for (Structure t : training) {
            CalculationResults res = ref.calculate(t);
            assertEquals(res.energy, t.infoReal("energy"), 1e-9);
        }
        GapModel model = GapModel.read(out.resolve("model.gap"));
        // unseen frames: independent SW MD at 1150 K, another seed
        Structure s = Crystal.diamond(14, 5.431, 2);
        MaxwellBoltzmann.assign(s, 1150, 99, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem sys = new MdSystem(s, ref);
        Langevin md = new Langevin(sys, 1.0, TemperatureSchedule.constant(1150), 0.02, 99);
        double forceError = 0;
        double energyError = 0;
        int count = 0;
        try (WorkerPool pool = new WorkerPool(2)) {
            ReferenceGapCalculator gap = new ReferenceGapCalculator(model, pool);
            for (int frame = 0; frame < 4; frame++) {
                for (int k = 0; k < 150; k++) {
                    md.step();
                }
                CalculationResults want = ref.calculate(s);
                CalculationResults got = gap.calculate(s);
                energyError += Math.abs(got.energy - want.energy) / s.size();
                for (int c = 0; c < want.forces.length; c++) {
                    forceError += Math.abs(got.forces[c] - want.forces[c]);
                }
                count += want.forces.length;
            }
        }
        double forceMae = forceError / count;
        double energyMae = energyError / 4;
        System.out.printf("learn test: %d reference calls, %d sparse points; unseen 1150 K SW frames: force MAE "
                + "%.4f eV/Å, energy MAE %.2f meV/atom%n", calls, model.posterior().sparseCount(), forceMae,
                1000 * energyMae);
        assertTrue(forceMae < 0.15, "force MAE on unseen SW frames " + forceMae + " eV/Å");
        assertTrue(energyMae < 0.01, "energy MAE on unseen SW frames " + energyMae + " eV/atom");
    }

    /**
     * Two species: the SOAP term of each (add_species) grows, and the learnt model — every term bordered in turn —
     * is the model a full fit of the saved training frames with the saved sparse points gives. (The per-atom σ of
     * a stoichiometric crystal stays high: how the total energy splits between Si and C is not identifiable from
     * total energies, hence the large tolerance.)
     */
    @Test
    void twoSpeciesLearningGrowsEachSpeciesTermAsAFullFitWould() throws Exception {
        Path sic = dir.resolve("sic64.xyz");
        AseScript.run("from ase.build import bulk\nfrom ase.io import write\n"
                + "write('" + sic + "', bulk('SiC', 'zincblende', a=4.36, cubic=True).repeat(2), format='extxyz')");
        String tersoff = "tersoff:" + CliTesting.testData("SiC.tersoff");
        Path out = dir.resolve("sic");
        CliTesting.Run r = CliTesting.run("learn", "--reference", tersoff, "--descriptor", SOAP, "--ensemble", "nvt",
                "--temperature", "1200", "--timestep", "1", "--steps", "60", "--std-tolerance", "0.2",
                "--threads", "2", "--output", out.toString(), sic.toString());
        assertEquals(0, r.exitCode(), r.err());
        GapModel model = GapModel.read(out.resolve("model.gap"));
        assertEquals(2, model.terms().size(), "one SOAP term per species (add_species)");
        for (var term : model.terms()) {
            // the bootstrap takes the one environment per species of the perfect crystal; learning adds more
            assertTrue(term.sparseCount() > 1, term.descriptor().text() + " grew to only " + term.sparseCount());
        }
        double[] diff = learntMinusRefit(out, PotentialSpec.parse(tersoff), ExtXyz.read(sic).getFirst(), 1200);
        System.out.printf("learn SiC: sparse points per term %s; learnt vs refit: energy %.2g eV/atom, forces %.2g "
                + "eV/Å%n", model.terms().stream().map(t -> t.sparseCount()).toList(), diff[0], diff[1]);
        assertTrue(diff[0] < 1e-8, "energies of the learnt model and the refit differ by " + diff[0] + " eV/atom");
        assertTrue(diff[1] < 1e-6, "forces of the learnt model and the refit differ by " + diff[1] + " eV/Å");
    }

    /**
     * Many borders on small frames (8 atoms: few rows per sparse point, so R's conditioning comes from K_MM) still
     * give the model a full fit of the saved frames with the saved sparse points gives.
     */
    @Test
    void manyBordersOnSmallFramesStayAFullFit() throws Exception {
        Path out = dir.resolve("small");
        Path start = start(1);
        CliTesting.Run r = CliTesting.run("learn", "--reference", sw(), "--descriptor", SOAP, "--ensemble", "nvt",
                "--temperature", "1400", "--timestep", "1", "--steps", "400", "--std-tolerance", "0.003",
                "--max-sparse", "80", "--threads", "2", "--output", out.toString(), start.toString());
        assertEquals(0, r.exitCode(), r.err());
        GapModel model = GapModel.read(out.resolve("model.gap"));
        assertTrue(model.posterior().sparseCount() >= 60, "many borders: " + model.posterior().sparseCount());
        double[] diff = learntMinusRefit(out, PotentialSpec.parse(sw()), ExtXyz.read(start).getFirst(), 1400);
        System.out.printf("learn 8-atom SW: %d sparse points; learnt vs refit: energy %.2g eV/atom, forces %.2g "
                + "eV/Å%n", model.posterior().sparseCount(), diff[0], diff[1]);
        assertTrue(diff[0] < 1e-8, "energies of the learnt model and the refit differ by " + diff[0] + " eV/atom");
        assertTrue(diff[1] < 1e-6, "forces of the learnt model and the refit differ by " + diff[1] + " eV/Å");
    }

    /**
     * The learnt model against a full fit ({@link SparseGpSolve#fit}) of the saved training frames with the saved
     * sparse points and learn's default σ, on a frame of reference MD at {@code kelvin}.
     *
     * @return |ΔE| per atom (eV) and the largest |ΔF| (eV/Å)
     */
    private static double[] learntMinusRefit(Path out, Calculator reference, Structure s, double kelvin)
            throws Exception {
        GapModel model = GapModel.read(out.resolve("model.gap"));
        List<TrainingFrame> frames = new ArrayList<>();
        for (Structure t : ExtXyz.read(out.resolve("training.xyz"))) {
            frames.add(LabelledFrames.trainingFrame(frames.size(), t, new Sigmas(0.002, 0.05, 0.05, 0)));
        }
        GapModel refit = SparseGpSolve.fit("refit", model.e0(), model.terms(), frames, 1e-8, 2, FitListener.NONE);
        MaxwellBoltzmann.assign(s, kelvin, 17, MaxwellBoltzmann.Scaling.EXACT);
        Langevin md = new Langevin(new MdSystem(s, reference), 1.0, TemperatureSchedule.constant(kelvin), 0.02, 17);
        for (int k = 0; k < 50; k++) {
            md.step();
        }
        CalculationResults want = new ReferenceGapCalculator(refit).calculate(s);
        CalculationResults got = new ReferenceGapCalculator(model).calculate(s);
        double worst = 0;
        for (int c = 0; c < want.forces.length; c++) {
            worst = Math.max(worst, Math.abs(got.forces[c] - want.forces[c]));
        }
        return new double[] {Math.abs(got.energy - want.energy) / s.size(), worst};
    }

    @Test
    void badLearningOptionsAreNamedAndTouchNothing() throws Exception {
        Path out = dir.resolve("bad");
        for (String[] bad : new String[][] {{"--check-every", "0"}, {"--reoptimise-every", "-1"},
                {"--max-sparse", "0"}, {"--min-steps", "0"}, {"--points-per-call", "-2"}}) {
            CliTesting.Run r = CliTesting.run("learn", "--reference", sw(), "--descriptor", SOAP, "--temperature",
                    "900", "--steps", "10", bad[0], bad[1], "--output", out.toString(), start(1).toString());
            assertEquals(1, r.exitCode(), String.join(" ", bad));
            assertTrue(r.err().contains(bad[0]) && r.err().contains(bad[1]), r.err());
            assertTrue(!Files.exists(out), "nothing written for " + String.join(" ", bad));
        }
    }

    @Test
    void resumeCarriesOnFromTheSavedFiles() throws Exception {
        Path out = dir.resolve("resume");
        Path in = start(1);
        List<String> common = List.of("learn", "--reference", sw(), "--descriptor", SOAP, "--temperature", "900",
                "--std-tolerance", "0.02", "--threads", "1", "--output", out.toString(), in.toString());
        List<String> first = new ArrayList<>(common);
        first.addAll(List.of("--steps", "100"));
        CliTesting.Run a = CliTesting.run(first.toArray(String[]::new));
        assertEquals(0, a.exitCode(), a.err());
        int callsBefore = dataLines(out.resolve("learn.log")).size();
        List<String> second = new ArrayList<>(common);
        second.addAll(List.of("--steps", "200", "--resume"));
        CliTesting.Run b = CliTesting.run(second.toArray(String[]::new));
        assertEquals(0, b.exitCode(), b.err());
        assertTrue(b.out().contains("to step 200"), b.out());
        List<Structure> traj = ExtXyz.read(out.resolve("trajectory.xyz"));
        for (int i = 0; i < traj.size(); i++) {
            assertEquals(10.0 * i, traj.get(i).infoReal("step"), "trajectory frames every 10 steps, no repeat");
        }
        assertEquals(21, traj.size());
        List<String> log = dataLines(out.resolve("learn.log"));
        assertEquals(log.size(), ExtXyz.read(out.resolve("training.xyz")).size());
        assertTrue(log.size() >= callsBefore);
        long previous = -1;
        for (String line : log) {
            long step = Long.parseLong(line.split("\\s+")[0]);
            assertTrue(step >= previous, "log steps increase across the resume: " + log);
            previous = step;
        }
        // the resumed model is the incremental fit of exactly the saved frames (IncrementalGapFit.resume checks the
        // row count), and it still predicts the first training frame's SW energy
        GapModel model = GapModel.read(out.resolve("model.gap"));
        Structure t0 = ExtXyz.read(out.resolve("training.xyz")).getFirst();
        assertEquals(t0.infoReal("energy"), new ReferenceGapCalculator(model).calculate(t0).energy, 0.05);
    }

    /**
     * --reoptimise-every 2: learn.log has one '#' line per second call with δ and σ old → new; the model file holds
     * the last new δ and σ; and after a resume without re-optimisation (which must read the re-optimised σ back from
     * model.gap) and more updates, the final model is a direct fit of training.xyz with those values (a resume that
     * labelled the frames with --default-sigma would fold new frames in with other σ and differ).
     */
    @Test
    void reoptimisationIsLoggedSavedAndResumed() throws Exception {
        Path out = dir.resolve("reopt");
        List<String> common = List.of("learn", "--reference", sw(), "--descriptor", SOAP, "--temperature", "1200",
                "--std-tolerance", "0.005", "--max-sparse", "13", "--threads", "1", "--output", out.toString(),
                start(1).toString());
        List<String> first = new ArrayList<>(common);
        first.addAll(List.of("--steps", "60", "--reoptimise-every", "2"));
        CliTesting.Run a = CliTesting.run(first.toArray(String[]::new));
        assertEquals(0, a.exitCode(), a.err());
        int calls = dataLines(out.resolve("learn.log")).size();
        assertIsDirectFit(out, "after the first run");
        // resumed without re-optimisation: the updates after it fold frames in with the σ read back from model.gap
        List<String> second = new ArrayList<>(common);
        second.addAll(List.of("--steps", "120", "--resume"));
        CliTesting.Run b = CliTesting.run(second.toArray(String[]::new));
        assertEquals(0, b.exitCode(), b.err());
        assertTrue(dataLines(out.resolve("learn.log")).size() > calls, "no update after the resume");
        List<String> lines = Files.readAllLines(out.resolve("learn.log"));
        Pattern p = Pattern.compile("# re-optimised at step (\\d+): delta \\[(\\S+)\\] -> \\[(\\S+)\\] eV; "
                + "default_sigma \\{(\\S+) (\\S+) (\\S+) (\\S+)\\} -> \\{(\\S+) (\\S+) (\\S+) (\\S+)\\}; log marginal "
                + "likelihood (\\S+) -> (\\S+) ");
        List<Matcher> reopt = lines.stream().map(p::matcher).filter(Matcher::find).toList();
        assertTrue(calls >= 4, "only " + calls + " calls");
        assertEquals(calls / 2, reopt.size(), "a re-optimisation every second call of the first run: " + lines);
        Matcher last = reopt.getLast();
        assertTrue(Double.parseDouble(last.group(13)) >= Double.parseDouble(last.group(12)), last.group());
        assertEquals(Double.parseDouble(reopt.getFirst().group(2)), 1.0, "the first starts from the given δ");
        GapModel model = GapModel.read(out.resolve("model.gap"));
        double delta = Double.parseDouble(last.group(3));
        assertEquals(delta, model.terms().getFirst().delta(), 1e-6 * delta, "the model's δ is the last chosen");
        double[] sigma = new double[4];
        for (int k = 0; k < 4; k++) {
            sigma[k] = Double.parseDouble(last.group(8 + k));
        }
        String saved = org.soapstone.engine.gap.GapModelFile.read(out.resolve("model.gap")).provenance().summary()
                .get("learn_default_sigma");
        double[] stored = java.util.Arrays.stream(saved.split(" ")).mapToDouble(Double::parseDouble).toArray();
        for (int k = 0; k < 4; k++) {
            assertEquals(sigma[k], stored[k], 1e-5 * sigma[k] + 1e-300, "saved σ " + k);
        }
        assertTrue(sigma[0] != 0.002 || sigma[1] != 0.05, "the search moved the σ: " + last.group());
        assertIsDirectFit(out, "after the resumed run");
    }

    /**
     * The saved model equals a fit from scratch of its sparse points, its δ and training.xyz with its saved σ, and
     * not with --default-sigma's. (--max-sparse keeps the sparse set small: the bordered update's rounding error
     * grows with near-dependent sparse points, 1e-3 eV/Å at M = 49 on 8-atom frames.)
     */
    private static void assertIsDirectFit(Path out, String when) throws Exception {
        String saved = org.soapstone.engine.gap.GapModelFile.read(out.resolve("model.gap")).provenance().summary()
                .get("learn_default_sigma");
        double[] stored = java.util.Arrays.stream(saved.split(" ")).mapToDouble(Double::parseDouble).toArray();
        org.soapstone.engine.fit.Sigmas fitted = new org.soapstone.engine.fit.Sigmas(stored[0], stored[1],
                stored[2], stored[3]);
        double wrong = directFitDifference(out, new org.soapstone.engine.fit.Sigmas(0.002, 0.05, 0.05, 0),
                when + " with --default-sigma");
        double right = directFitDifference(out, fitted, when);
        assertTrue(right < 1e-6, "learnt vs direct fit " + when + ": forces differ by " + right + " eV/Å");
        assertTrue(wrong > 1e-3, "the σ must matter for this test to see them: " + wrong + " eV/Å");
    }

    private static double directFitDifference(Path out, org.soapstone.engine.fit.Sigmas fitted, String when)
            throws Exception {
        GapModel model = GapModel.read(out.resolve("model.gap"));
        List<org.soapstone.engine.fit.TrainingFrame> frames = new ArrayList<>();
        for (Structure l : ExtXyz.read(out.resolve("training.xyz"))) {
            frames.add(org.soapstone.engine.learn.LabelledFrames.trainingFrame(frames.size(), l, fitted));
        }
        GapModel direct = org.soapstone.engine.fit.SparseGpSolve.fit(model.label(), model.e0(), model.terms(),
                frames, 1e-8, 1, org.soapstone.engine.fit.FitListener.NONE);
        // compared by their predictions on the training frames: with near-duplicate sparse points α itself is
        // ill-conditioned, the predictions are not
        double worstEnergy = 0;
        double worstForce = 0;
        for (org.soapstone.engine.fit.TrainingFrame f : frames) {
            CalculationResults a = new ReferenceGapCalculator(model).calculate(f.structure());
            CalculationResults b = new ReferenceGapCalculator(direct).calculate(f.structure());
            worstEnergy = Math.max(worstEnergy, Math.abs(a.energy - b.energy));
            for (int k = 0; k < a.forces.length; k++) {
                worstForce = Math.max(worstForce, Math.abs(a.forces[k] - b.forces[k]));
            }
        }
        System.out.printf("learnt vs direct fit %s: energy %.3g eV, forces %.3g eV/Å%n", when, worstEnergy,
                worstForce);
        return worstForce;
    }

    @Test
    void failingReferenceStopsCleanlyWithEverythingSaved() throws Exception {
        AseScript.run("import ase");
        Path script = dir.resolve("lj-once.py");
        Files.writeString(script, """
                import os, sys
                from ase.io import read, write
                from ase.calculators.lj import LennardJones
                flag = os.path.join(os.path.dirname(sys.argv[2]), 'called')
                if os.path.exists(flag):
                    sys.stderr.write('licence server unreachable\\n')
                    sys.exit(2)
                open(flag, 'w').close()
                atoms = read(sys.argv[1])
                atoms.calc = LennardJones(sigma=2.1, epsilon=0.3, rc=4.0)
                atoms.get_potential_energy()
                write(sys.argv[2], atoms, format='extxyz')
                """);
        Path out = dir.resolve("fail");
        CliTesting.Run r = CliTesting.run("learn", "--reference-command", "/usr/bin/python3 " + script,
                "--descriptor", SOAP, "--temperature", "1500", "--steps", "400", "--std-tolerance", "0.001",
                "--threads", "1", "--output", out.toString(), start(1).toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("exit code 2") && r.err().contains("licence server unreachable")
                && r.err().contains("--resume"), r.err());
        assertEquals(1, ExtXyz.read(out.resolve("training.xyz")).size(), "the bootstrap frame is saved");
        assertEquals(1, GapModel.read(out.resolve("model.gap")).posterior().observations() / 25,
                "the saved model holds the bootstrap frame (1 energy + 24 force rows)");
        List<Structure> traj = ExtXyz.read(out.resolve("trajectory.xyz"));
        double stop = traj.getLast().infoReal("step");
        assertTrue(stop > 0 && stop < 400, "the run stopped early, at step " + stop + ", with that state saved");
    }

    @Test
    void driftExcludingJumpsIsTotalDriftMinusTheLoggedJumps() throws Exception {
        Path out = dir.resolve("drift");
        CliTesting.Run r = CliTesting.run("learn", "--reference", sw(), "--descriptor", SOAP, "--ensemble", "nve",
                "--temperature", "1200", "--timestep", "1", "--steps", "120", "--std-tolerance", "0.005",
                "--trajectory-every", "1", "--drift-excluding-jumps", "--threads", "1", "--output", out.toString(),
                start(1).toString());
        assertEquals(0, r.exitCode(), r.err());
        Matcher m = Pattern.compile("total energy drift (\\S+) eV .*sum of retraining jumps (\\S+) eV, drift "
                + "excluding retraining jumps (\\S+) eV").matcher(r.out());
        assertTrue(m.find(), r.out());
        double drift = Double.parseDouble(m.group(1));
        double jumps = Double.parseDouble(m.group(2));
        double corrected = Double.parseDouble(m.group(3));
        double logged = 0;
        int updates = 0;
        for (String line : dataLines(out.resolve("learn.log"))) {
            double jump = Double.parseDouble(line.split("\\s+")[4]);
            if (!Double.isNaN(jump)) {
                logged += jump;
                updates++;
            }
        }
        assertTrue(updates >= 2, "only " + updates + " updates after the bootstrap in 120 steps");
        assertEquals(logged, jumps, 1e-8 * (1 + Math.abs(logged)), "reported sum vs learn.log's energy_jump_eV");
        assertEquals(drift - logged, corrected, 1e-8 * (1 + Math.abs(drift) + Math.abs(logged)));
        // the total drift itself, from the first and last trajectory frames: potential energy + ½ m v²
        List<Structure> traj = ExtXyz.read(out.resolve("trajectory.xyz"));
        assertEquals(121, traj.size());
        assertEquals(totalEnergy(traj.getLast()) - totalEnergy(traj.getFirst()), drift, 1e-6);
        // between updates velocity Verlet at 1 fs conserves a smooth model's energy: what is left after removing
        // the jumps is far smaller than the jumps themselves
        System.out.printf("drift test: %d updates, total drift %.3g eV, jumps %.3g eV, corrected %.3g eV%n", updates,
                drift, logged, corrected);
        assertTrue(Math.abs(corrected) < 0.01, "drift excluding retraining jumps " + corrected + " eV");
    }

    /**
     * NVE with model updates, thermo.log every step, run twice with the same seed (the same trajectory): without
     * --reset-reference-after-update the conserved energy jumps at each update by the energy jump learn.log reports;
     * with it the conserved energy continues across updates (its step change there is as small as on ordinary
     * steps), and its change over the run is the reported drift excluding retraining jumps.
     */
    @Test
    void resetReferenceAfterUpdateTakesTheLoggedJumpsOutOfTheConservedEnergy() throws Exception {
        Path xyz = start(1);
        java.util.Map<Boolean, double[]> conserved = new java.util.HashMap<>();
        java.util.Map<Long, Double> jumps = new java.util.TreeMap<>();
        double corrected = Double.NaN;
        for (boolean reset : new boolean[] {false, true}) {
            Path out = dir.resolve("reset-" + reset);
            List<String> args = new ArrayList<>(List.of("learn", "--reference", sw(), "--descriptor", SOAP,
                    "--ensemble", "nve", "--temperature", "1200", "--timestep", "1", "--steps", "120",
                    "--std-tolerance", "0.005", "--thermo-every", "1", "--drift-excluding-jumps", "--threads", "1",
                    "--output", out.toString(), xyz.toString()));
            if (reset) {
                args.add("--reset-reference-after-update");
            }
            CliTesting.Run r = CliTesting.run(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.err());
            List<String> header = Files.readAllLines(out.resolve("thermo.log")).stream()
                    .filter(l -> l.startsWith("#")).toList();
            assertEquals(1, header.size());
            assertTrue(header.getFirst().endsWith(" conserved_eV"), header.getFirst());
            double[] c = dataLines(out.resolve("thermo.log")).stream()
                    .mapToDouble(l -> Double.parseDouble(l.split("\\s+")[7])).toArray();
            assertEquals(121, c.length, "one thermo line per step, 0 to 120");
            conserved.put(reset, c);
            java.util.Map<Long, Double> logged = new java.util.TreeMap<>();
            for (String line : dataLines(out.resolve("learn.log"))) {
                String[] f = line.split("\\s+");
                if (!f[4].equals("nan") && !f[4].equals("NaN")) {
                    logged.put(Long.parseLong(f[0]), Double.parseDouble(f[4]));
                }
            }
            if (reset) {
                assertEquals(jumps, logged, "the same run: the same updates and jumps");
                Matcher m = Pattern.compile("drift excluding retraining jumps (\\S+) eV").matcher(r.out());
                assertTrue(m.find(), r.out());
                corrected = Double.parseDouble(m.group(1));
            } else {
                jumps.putAll(logged);
            }
        }
        double[] plain = conserved.get(false);
        double[] reset = conserved.get(true);
        assertTrue(jumps.size() >= 2, "only " + jumps.size() + " updates after the bootstrap in 120 steps");
        double ordinary = 0;
        for (int k = 1; k < plain.length; k++) {
            if (!jumps.containsKey((long) k)) {
                ordinary = Math.max(ordinary, Math.abs(reset[k] - reset[k - 1]));
                assertEquals(plain[k] - plain[k - 1], reset[k] - reset[k - 1], 1e-8, "no update at step " + k);
            }
        }
        double biggest = 0;
        for (var e : jumps.entrySet()) {
            int k = e.getKey().intValue();
            double jump = e.getValue();
            biggest = Math.max(biggest, Math.abs(jump));
            double plainStep = plain[k] - plain[k - 1];
            double resetStep = reset[k] - reset[k - 1];
            assertEquals(jump, plainStep - resetStep, 1e-8, "the re-referenced jump at step " + k);
            assertTrue(Math.abs(resetStep) <= 3 * ordinary + 1e-9, "step " + k + ": the re-referenced conserved "
                    + "energy moved " + resetStep + " eV; ordinary steps move it at most " + ordinary + " eV");
            assertEquals(jump, plainStep, 3 * ordinary + 1e-9, "step " + k + ": without re-referencing the "
                    + "conserved energy jumps by the logged update jump");
        }
        assertTrue(biggest > 30 * ordinary, "the jumps (largest " + biggest + " eV) must stand out of the step "
                + "noise (" + ordinary + " eV) for this test to see them");
        assertEquals(reset[reset.length - 1] - reset[0], corrected, 1e-8, "drift excluding retraining jumps");
    }

    /** @return potential energy (info 'energy') + ½ Σ m v² (eV) */
    private static double totalEnergy(Structure s) {
        double[] v = s.velocities();
        double[] mass = s.masses();
        double twiceKinetic = 0;
        for (int k = 0; k < v.length; k++) {
            twiceKinetic += mass[k / 3] * v[k] * v[k];
        }
        return s.infoReal("energy") + 0.5 * twiceKinetic / Units.ACCELERATION;
    }
}
