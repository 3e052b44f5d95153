package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.learn.LabelledFrames;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.ObservationKind;
import org.soapstone.gp.PredictiveCalibration;

/**
 * The error bars of a model learnt on the fly: {@code learn} from nothing writes a model whose force calibration is
 * the 5-fold cross-validation of its own frames, and it equals the one computed here independently — the folds dealt
 * by their documented rule (seed 1, shuffled, round robin), the sparse points each held-out frame lent found from
 * learn.log's bookkeeping (not by matching descriptors), each fold refitted from scratch on its other frames without
 * those points (not by restricting merged QR factors), its held-out force errors and weight-space σ from the fast
 * evaluator (not from the fit's kernel rows), the scales by {@link PredictiveCalibration#fit}. A resume keeps the
 * calibration; a run with too few frames says so and keeps the uncalibrated predictive of its σ; the force trigger
 * gathers the frames of a calibration first.
 */
class LearnCalibrationTest {
    private static final String SOAP = "soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 zeta=4 delta=1 "
            + "covariance_type=dot_product n_sparse=10";
    private static final Sigmas SIGMAS = new Sigmas(0.002, 0.05, 0.05, 0);
    private static final int FOLDS = 5;

    @TempDir
    Path dir;

    private String[] learn(Path out, int steps, String tolerance, String... more) throws Exception {
        Path start = dir.resolve("si8.xyz");
        if (!Files.exists(start)) {
            ExtXyz.write(start, List.of(Crystal.diamond(14, 5.431, 1)));
        }
        List<String> args = new ArrayList<>(List.of("learn", "--reference", "sw:" + CliTesting.testData("Si.sw"),
                "--descriptor", SOAP, "--temperature", "1200", "--steps", Integer.toString(steps), "--std-tolerance",
                tolerance, "--threads", "1", "--output", out.toString()));
        args.addAll(List.of(more));
        args.add(start.toString());
        return args.toArray(String[]::new);
    }

    @Test
    void aLearntModelCarriesTheCrossValidationOfItsOwnFramesAndKeepsItOnResume() throws Exception {
        Path out = dir.resolve("learn");
        CliTesting.Run r = CliTesting.run(learn(out, 150, "0.005"));
        assertEquals(0, r.exitCode(), r.err());
        List<Structure> labelled = ExtXyz.read(out.resolve("training.xyz"));
        assertTrue(labelled.size() >= 12, "enough frames to calibrate: " + labelled.size());
        assertTrue(r.out().contains("learn: error bars calibrated on " + labelled.size() + " frames"), r.out());
        GapModel model = GapModel.read(out.resolve("model.gap"));
        SigmaCalibration c = model.calibration();
        assertEquals(SigmaCalibration.Method.SCALE, c.method());
        assertEquals(FOLDS, c.folds());
        assertEquals(new SigmaCalibration.Noise(0.002, 0.05, 0.05), c.noise(null), "the run's σ_n");

        PredictiveCalibration.Scale expected = independentForceScale(model, labelled, out);
        PredictiveCalibration.Scale saved = c.scale(ObservationKind.FORCE, null);
        System.out.printf("learnt model's force scales (%.9g, %.9g), independent (%.9g, %.9g)%n", saved.weight(),
                saved.noise(), expected.weight(), expected.noise());
        assertEquals(expected.weight(), saved.weight(), 1e-6 * expected.weight(), "s_w");
        assertEquals(expected.noise(), saved.noise(), 1e-6 * expected.noise() + 1e-9, "s_n");
        assertTrue(saved.weight() > 1.5, "weight-space σ alone is too small for held-out errors: " + saved);

        // the calibration the trigger and eval use is the one in the file; a resume to the same step recomputes it
        // on the same frames and writes the same scales
        CliTesting.Run again = CliTesting.run(learn(out, 150, "0.005", "--resume"));
        assertEquals(0, again.exitCode(), again.err());
        SigmaCalibration resumed = GapModel.read(out.resolve("model.gap")).calibration();
        assertEquals(c.scales(), resumed.scales(), "resume keeps the calibration");
        assertEquals(c.forceProxy().scale(), resumed.forceProxy().scale());
    }

    @Test
    void aRunWithTooFewFramesSaysSoAndKeepsTheUncalibratedPredictive() throws Exception {
        Path out = dir.resolve("few");
        CliTesting.Run r = CliTesting.run(learn(out, 20, "0.05"));
        assertEquals(0, r.exitCode(), r.err());
        int frames = ExtXyz.read(out.resolve("training.xyz")).size();
        assertTrue(frames < 10, frames + " frames");
        assertTrue(r.out().contains("learn: error bars not calibrated: " + frames + " training frames, fewer than 10"),
                r.out());
        SigmaCalibration c = GapModel.read(out.resolve("model.gap")).calibration();
        assertEquals(SigmaCalibration.Method.NONE, c.method());
        assertEquals(PredictiveCalibration.Scale.IDENTITY, c.scale(ObservationKind.FORCE, null));
        assertEquals(0.05 * 0.05, c.noiseVariance(ObservationKind.FORCE, null, 8), 1e-15, "σ_n of the run's forces");
        CliTesting.Run eval = CliTesting.run("eval", "--model", out.resolve("model.gap").toString(), "--sigma",
                out.resolve("training.xyz").toString(), "-o", dir.resolve("pred.xyz").toString());
        assertEquals(0, eval.exitCode(), eval.err());
    }

    /**
     * --force-tolerance alone, from nothing: until 10 frames calibrate the model its force σ says nothing, so every
     * check step at least --min-steps (5) after the last call calls the reference (steps 5, 10, …, 45); from then on
     * the calibrated σ decides — never above 100 eV/Å, always above 10⁻⁴ eV/Å (s_n·σ_n alone is larger).
     */
    @Test
    void theForceTriggerGathersTheFramesOfACalibrationThenFollowsTheCalibratedSigma() throws Exception {
        List<Long> loose = callSteps(dir.resolve("loose"), "100");
        assertEquals(List.of(0L, 5L, 10L, 15L, 20L, 25L, 30L, 35L, 40L, 45L), loose,
                "ten frames gathered, then no call at 100 eV/Å");
        List<Long> tight = callSteps(dir.resolve("tight"), "1e-4");
        assertEquals(21, tight.size(), "a call every 5 steps at 1e-4 eV/Å: " + tight);
    }

    private List<Long> callSteps(Path out, String tolerance) throws Exception {
        Path start = dir.resolve("si8.xyz");
        if (!Files.exists(start)) {
            ExtXyz.write(start, List.of(Crystal.diamond(14, 5.431, 1)));
        }
        CliTesting.Run r = CliTesting.run("learn", "--reference", "sw:" + CliTesting.testData("Si.sw"),
                "--descriptor", SOAP, "--temperature", "1200", "--steps", "100", "--force-tolerance", tolerance,
                "--threads", "1", "--output", out.toString(), start.toString());
        assertEquals(0, r.exitCode(), r.err());
        return Files.readAllLines(out.resolve("learn.log")).stream().filter(l -> !l.startsWith("#"))
                .map(l -> Long.parseLong(l.strip().split("\\s+")[0])).toList();
    }

    /**
     * The force scales of 5-fold cross-validation of the model's frames, each fold refitted without the frames it
     * holds out and without the sparse points they lent (learn.log's sparse_points column: frame i added the points
     * from the previous line's count to its own, in the order of the term's points).
     */
    private static PredictiveCalibration.Scale independentForceScale(GapModel model, List<Structure> labelled,
            Path out) throws Exception {
        int n = labelled.size();
        List<Integer> counts = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("learn.log"))) {
            if (!line.startsWith("#")) {
                counts.add(Integer.parseInt(line.strip().split("\\s+")[6]));
            }
        }
        assertEquals(n, counts.size());
        assertEquals(1, model.terms().size());
        GapTerm term = model.terms().getFirst();
        int[] owner = new int[term.sparseCount()];
        for (int f = 0, from = 0; f < n; from = counts.get(f), f++) {
            for (int j = from; j < counts.get(f); j++) {
                owner[j] = f;
            }
        }
        int[] fold = deal(n);
        List<Double> errors = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(1)) {
            for (int f = 0; f < FOLDS; f++) {
                List<TrainingFrame> train = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (fold[i] != f) {
                        train.add(LabelledFrames.trainingFrame(train.size(), labelled.get(i), SIGMAS));
                    }
                }
                GapModel refit = SparseGpSolve.fit(model.label(), model.e0(), List.of(without(term, owner, fold, f)),
                        train, 1e-8, 1, FitListener.NONE).withCalibration(null);
                for (int i = 0; i < n; i++) {
                    if (fold[i] == f) {
                        heldOutForces(refit, labelled.get(i), pool, errors, weights);
                    }
                }
            }
        }
        double[] noise = new double[errors.size()];
        Arrays.fill(noise, SIGMAS.force() * SIGMAS.force());
        return PredictiveCalibration.fit(errors.stream().mapToDouble(Double::doubleValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), noise);
    }

    /** The deal of frames to folds as documented: shuffled by SplittableRandom(1) (Fisher–Yates), round robin. */
    private static int[] deal(int n) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] fold = new int[n];
        for (int k = 0; k < n; k++) {
            fold[order[k]] = k % FOLDS;
        }
        return fold;
    }

    /** The term without the sparse points lent by the frames of fold {@code f}. */
    private static GapTerm without(GapTerm t, int[] owner, int[] fold, int f) {
        int d = t.dimension();
        List<Integer> keep = new ArrayList<>();
        for (int j = 0; j < owner.length; j++) {
            if (fold[owner[j]] != f) {
                keep.add(j);
            }
        }
        double[] x = new double[keep.size() * d];
        double[] cutoff = new double[keep.size()];
        for (int i = 0; i < keep.size(); i++) {
            System.arraycopy(t.sparseX(), keep.get(i) * d, x, i * d, d);
            cutoff[i] = t.sparseCutoff()[keep.get(i)];
        }
        return new GapTerm(t.label(), t.descriptor(), t.covariance(), t.delta(), t.f0(), t.zeta(), t.theta(), x,
                new double[keep.size()], cutoff);
    }

    /**
     * Appends a held-out frame's force errors (predicted − reference, eV/Å) and weight-space variances uᵀΣu (the
     * exact force σ² of a model without calibration), leaving out components zero by symmetry.
     */
    private static void heldOutForces(GapModel refit, Structure frame, WorkerPool pool, List<Double> errors,
            List<Double> weights) {
        FastGapCalculator calc = new FastGapCalculator(refit, frame, pool, EvaluatorOptions.withVariance());
        CalculationResults r = new CalculationResults();
        calc.calculate(frame, EnumSet.of(Property.ENERGY, Property.FORCES), r, false,
                FastGapCalculator.ForceSigma.EXACT);
        double[] sigma = new double[3 * frame.size()];
        calc.forceDeviations(sigma);
        double[] reference = frame.properties().get("forces").reals();
        for (int k = 0; k < sigma.length; k++) {
            if (!SigmaCalibration.zeroBySymmetry(reference[k], r.forces[k])) {
                errors.add(r.forces[k] - reference[k]);
                weights.add(sigma[k] * sigma[k]);
            }
        }
    }
}
