package org.soapstone.engine.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.testing.SyntheticGap;
import org.soapstone.gp.ObservationKind;

/**
 * The inner loop of {@code soapstone tune} and {@code fit --optimise} ({@link CrossValidationGrams},
 * {@link NoiseSearch}) against the definition of K-fold cross-validation: for each fold, a model fitted afresh on
 * the other folds' frames by the streamed QR solve ({@link SparseGpSolve#fit}, with every σ and δ scaled in the
 * frames and terms themselves) predicts the fold's frames through {@link ReferenceGapCalculator}. Data: 36 rattled
 * silicon cells labelled by a known SOAP GAP plus noise ({@link SyntheticGap}), two config types of 24 and 12 frames
 * (so four σ groups), fitted with a two-body and a SOAP descriptor (so a δ factor each).
 */
class NoiseSearchTest {
    private static final int FOLDS = 4;

    @TempDir
    static Path dir;
    private static Path data;

    @BeforeAll
    static void data() throws Exception {
        data = dir.resolve("synthetic.xyz");
        SyntheticGap.write(data, SyntheticGap.SOAP, 36, 11, 5e-4, 5e-3);
    }

    private static FitSettings settings(String defaultSigma) {
        return GapFitCommandLine.parse(List.of("at_file=" + data, "gap={distance_2b cutoff=4.0 "
                + "covariance_type=ard_se delta=0.3 theta_uniform=1.0 n_sparse=8 sparse_method=uniform : soap "
                + "cutoff=3.4 cutoff_transition_width=1.0 n_max=4 l_max=3 atom_sigma=0.5 zeta=2 delta=1.0 "
                + "covariance_type=dot_product n_sparse=20 sparse_method=cur_points}",
                "default_sigma={" + defaultSigma + "}", "e0={Si:0}", "rnd_seed=5", "sparse_jitter=1e-8",
                "energy_parameter_name=energy", "force_parameter_name=forces", "gp_file=" + dir.resolve("m.gap")),
                dir);
    }

    private static List<GapTerm> terms(FitSettings s, TrainingSet set) {
        return SparsePointChooser.choose("cv_", GapFit.termSpecs(s, set.species()), set.frames(), s.rndSeed(),
                s.directory(), 1, FitListener.NONE, new ArrayList<>()).terms();
    }

    private static CrossValidationGrams.Data grams(FitSettings s, TrainingSet set, List<GapTerm> terms) {
        Set<String> types = new LinkedHashSet<>();
        set.frames().forEach(f -> types.add(f.configType()));
        return CrossValidationGrams.run(terms, GapFit.descriptorOfTerm(s, set.species()), set.e0(), set.frames(),
                s.sparseJitter(), CalibrationSettings.of(SigmaCalibration.Method.SCALE, FOLDS, s, types), 2,
                FitListener.NONE);
    }

    @Test
    void crossValidationErrorsAtNewSigmaAndDeltaAreThoseOfDirectRefits() {
        FitSettings s = settings("0.002 0.02 0 0");
        TrainingSet set = TrainingSet.read(s);
        List<GapTerm> terms = terms(s, set);
        CrossValidationGrams.Data grams = grams(s, set, terms);
        List<CrossValidationGrams.Group> groups = grams.layout().groups();
        assertEquals(4, groups.size(), "energy and force of types a and b: " + groups);
        NoiseSearch search = new NoiseSearch(grams, 2);
        double[][] sigmas = {{1, 1, 1, 1}, {0.7, 2.5, 1.3, 0.4}, {6, 0.2, 0.5, 9}};
        double[][] deltas = {{1, 1}, {0.8, 3}, {2, 0.25}};
        for (int c = 0; c < sigmas.length; c++) {
            NoiseSearch.Factors factors = new NoiseSearch.Factors(sigmas[c], deltas[c]);
            Objective.CvErrors fast = search.errors(factors);
            double[] direct = directCv(scaled(set.frames(), grams.layout(), sigmas[c]),
                    scaled(terms, GapFit.descriptorOfTerm(s, set.species()), deltas[c]), s.sparseJitter(), s.rndSeed());
            String where = "σ factors " + Arrays.toString(sigmas[c]) + ", δ factors " + Arrays.toString(deltas[c]);
            assertEquals(direct[0], fast.energy(), 1e-8 * direct[0], "energy MAE, " + where);
            assertEquals(direct[1], fast.force(), 1e-8 * direct[1], "force MAE, " + where);
            assertEquals(36, fast.energyCount());
            assertEquals(36 * 8 * 3, fast.forceCount());
        }
    }

    @Test
    void optimiseNeverLosesToTheStartOnCrossValidationError() {
        // σ ten times too large for energies and forces: the search should find much better ones
        FitSettings start = settings("0.02 0.2 0 0");
        GapFit.Result result = GapFit.run(start, TrainingSet.read(start), "test", 2, FitListener.NONE,
                new GapFit.Options(60, SigmaCalibration.Method.NONE, FOLDS, dir));
        FitSettings chosen = GapFitCommandLine.parse(result.provenance().commandLine(), dir);
        assertFalse(chosen.arguments().equals(start.arguments()), "new σ and δ chosen: " + chosen.arguments());
        TrainingSet startSet = TrainingSet.read(start);
        List<GapTerm> terms = terms(start, startSet);
        int[] of = GapFit.descriptorOfTerm(start, startSet.species());
        double[] before = directCv(startSet.frames(), terms, start.sparseJitter(), start.rndSeed());
        double[] deltaFactor = new double[2];
        for (int d = 0; d < 2; d++) {
            deltaFactor[d] = chosen.descriptors().get(d).fit().delta().orElseThrow()
                    / start.descriptors().get(d).fit().delta().orElseThrow();
        }
        double[] after = directCv(TrainingSet.read(chosen).frames(), scaled(terms, of, deltaFactor),
                start.sparseJitter(), start.rndSeed());
        double loss = 0.5 * (after[0] / before[0] + after[1] / before[1]);
        System.out.printf("fit --optimise on synthetic data: direct %d-fold CV energy %.4g -> %.4g meV/atom, force "
                + "%.4g -> %.4g eV/Å, loss %.4f; %s%n", FOLDS, 1e3 * before[0], 1e3 * after[0], before[1], after[1],
                loss, String.join(" ", chosen.arguments()));
        String[] reported = result.provenance().summary().get("optimise_cv_loss").split(" -> ");
        assertEquals(1.0, Double.parseDouble(reported[0]), 1e-12, "the start's loss is 1 by definition");
        // the settings are written with 6 significant digits, which moves the loss by ~1e-8
        assertEquals(Double.parseDouble(reported[1]), loss, 1e-6, "the loss the search reported is the direct one");
        assertTrue(loss < 0.95, "the chosen σ and δ must cross-validate better than σ ten times too large: " + loss);
        // and the model written is the fit with the settings chosen
        GapModel direct = SparseGpSolve.fit("all", startSet.e0(), scaled(terms, of, deltaFactor),
                TrainingSet.read(chosen).frames(), start.sparseJitter(), 2, FitListener.NONE);
        double[] a = result.model().terms().get(1).alpha();
        double[] b = direct.terms().get(1).alpha();
        for (int j = 0; j < a.length; j++) {
            assertEquals(b[j], a[j], 1e-12 * Math.abs(b[j]), "α of the SOAP term, sparse point " + j);
        }
    }

    @Test
    void foldsAreDisjointByFrameBalancedByTypeAndFixedBySeed() {
        FitSettings s = settings("0.002 0.02 0 0");
        TrainingSet set = TrainingSet.read(s);
        List<TrainingFrame> frames = set.frames();
        int[] fold = CrossValidatedFit.deal(frames, FOLDS, 5);
        assertArrayEquals(fold, CrossValidatedFit.deal(frames, FOLDS, 5), "the same seed deals the same folds");
        assertFalse(Arrays.equals(fold, CrossValidatedFit.deal(frames, FOLDS, 6)), "another seed, other folds");
        Map<String, int[]> perType = new TreeMap<>();
        for (TrainingFrame f : frames) {
            assertTrue(fold[f.index()] >= 0 && fold[f.index()] < FOLDS);
            perType.computeIfAbsent(f.configType(), t -> new int[FOLDS])[fold[f.index()]]++;
        }
        perType.forEach((type, counts) -> assertTrue(Arrays.stream(counts).max().getAsInt()
                - Arrays.stream(counts).min().getAsInt() <= 1, "type " + type + ": " + Arrays.toString(counts)));
        // every row of a frame is held out in the frame's fold, and only there
        CrossValidationGrams.Data grams = grams(s, set, terms(s, set));
        for (int f = 0; f < FOLDS; f++) {
            int rows = 0;
            for (TrainingFrame t : frames) {
                rows += fold[t.index()] == f ? 1 + 3 * t.structure().size() : 0;
            }
            assertEquals(rows, grams.heldOut().get(f).count(), "held-out rows of fold " + f);
        }
    }

    /** The frames with the σ of each group multiplied by its factor. */
    private static List<TrainingFrame> scaled(List<TrainingFrame> frames, CrossValidationGrams.Layout layout,
            double[] factor) {
        List<TrainingFrame> out = new ArrayList<>();
        for (TrainingFrame f : frames) {
            String group = layout.typeGroup().get(f.configType());
            double e = factor[layout.groups().indexOf(new CrossValidationGrams.Group(ObservationKind.ENERGY, group))];
            double g = factor[layout.groups().indexOf(new CrossValidationGrams.Group(ObservationKind.FORCE, group))];
            double[] fs = f.forceSigma().clone();
            for (int c = 0; c < fs.length; c++) {
                fs[c] *= g;
            }
            out.add(new TrainingFrame(f.index(), f.line(), f.structure(), f.configType(), f.energy(),
                    f.energySigma() * e, f.forces(), fs, f.virial(), f.virialSigma()));
        }
        return out;
    }

    /** The terms with the δ of descriptor d multiplied by {@code factor[d]}. */
    private static List<GapTerm> scaled(List<GapTerm> terms, int[] descriptorOf, double[] factor) {
        List<GapTerm> out = new ArrayList<>();
        for (int t = 0; t < terms.size(); t++) {
            GapTerm g = terms.get(t);
            double delta = g.delta() * factor[descriptorOf[t]];
            out.add(new GapTerm(g.label(), g.descriptor().withDelta(delta), g.covariance(), delta, g.f0(), g.zeta(),
                    g.theta(), g.sparseX(), g.alpha(), g.sparseCutoff()));
        }
        return out;
    }

    /** K-fold cross-validation by definition: energy MAE per atom (eV/atom) and force-component MAE (eV/Å). */
    private static double[] directCv(List<TrainingFrame> frames, List<GapTerm> terms, double jitter, long seed) {
        int[] fold = CrossValidatedFit.deal(frames, FOLDS, seed);
        double e = 0;
        double f = 0;
        long ne = 0;
        long nf = 0;
        for (int k = 0; k < FOLDS; k++) {
            int held = k;
            List<TrainingFrame> train = frames.stream().filter(t -> fold[t.index()] != held).toList();
            GapModel model = SparseGpSolve.fit("cv", new double[GapModel.MAX_Z + 1], terms, train, jitter, 1,
                    FitListener.NONE);
            ReferenceGapCalculator calc = new ReferenceGapCalculator(model);
            CalculationResults r = new CalculationResults();
            for (TrainingFrame t : frames) {
                if (fold[t.index()] != held) {
                    continue;
                }
                calc.calculate(t.structure(), EnumSet.of(Property.ENERGY, Property.FORCES), r);
                e += Math.abs(r.energy - t.energy()) / t.structure().size();
                ne++;
                for (int c = 0; c < t.forces().length; c++) {
                    f += Math.abs(r.forces[c] - t.forces()[c]);
                    nf++;
                }
            }
        }
        return new double[] {e / ne, f / nf};
    }
}
