package org.soapstone.engine.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.evaluator.FastGapCalculator.ForceSigma;
import org.soapstone.engine.gap.ForceSigmaProxy;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.ObservedVariance;
import org.soapstone.engine.gap.PosteriorVariance;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.gap.VarianceProjection;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.ObservationKind;
import org.soapstone.gp.PredictiveCalibration.Figures;
import org.soapstone.gp.PredictiveCalibration.Scale;
import org.soapstone.gp.SparseGpPosterior;

/**
 * The force σ of the fast path. Exact: equal to the reference path's observed-value force σ (what {@code eval --sigma}
 * writes; its uᵀΣu is checked against a dense finite-difference Var[∂E/∂r] in
 * {@link org.soapstone.engine.gap.PosteriorVarianceTest}) to 1e-10, with and without a calibration record, for one
 * SOAP term and for SOAP + distance_2b, on a sheared triclinic cell, a 2-atom cell, a slab and a cluster, on one and
 * two threads, through the integrator's call ({@link FastGapCalculator#forceSigma}). Proxy: equal to
 * s_w²·v_a + s_n²·σ_n² with v_a summed here by brute force over periodic images from the reference path's local
 * variances bounded at the proxy's rank (which bound the exact ones), while calls without the proxy keep the
 * options' exact rank.
 */
class ForceSigmaTest {
    private static final Set<Property> FORCES = EnumSet.of(Property.ENERGY, Property.FORCES, Property.ENERGIES);
    private static final double S_W = 3.7;
    private static final double S_N = 0.45;
    private static final double NOISE_F = 0.05;
    private static final double PROXY_W = 2.3;
    private static final double PROXY_N = 0.8;
    /** Below the test model's 200 sparse points, so the proxy's variances are bounds, not exact. */
    private static final int PROXY_RANK = 40;

    @ParameterizedTest
    @ValueSource(strings = {"si-soap", "sic-2b-soap"})
    void exactForceSigmaEqualsTheReferencePathsObservedSigma(String folder) throws Exception {
        GapModel plain = model(folder);
        List<Structure> cases = FastEqualsReferenceTest.cases(
                ExtXyz.read(FastGapCalculatorTest.dir(folder).resolve("quip-predictions.xyz")));
        for (GapModel model : List.of(plain, plain.withCalibration(calibration()))) {
            for (int threads = 1; threads <= 2; threads++) {
                try (WorkerPool pool = new WorkerPool(threads)) {
                    ReferenceGapCalculator reference = new ReferenceGapCalculator(model, pool);
                    FastGapCalculator fast = new FastGapCalculator(model, pool, EvaluatorOptions.meanOnly());
                    fast.forceSigma(ForceSigma.EXACT);
                    for (int c = 0; c < cases.size(); c++) {
                        Structure s = cases.get(c);
                        String where = folder + (model.calibration() == null ? "" : " calibrated") + ", "
                                + FastEqualsReferenceTest.CASES[c] + ", " + threads + " threads";
                        ObservedVariance want = reference.observedVariance(s, null);
                        fast.calculate(s, FORCES, new CalculationResults());
                        assertEquals(ForceSigma.EXACT, fast.lastForceSigma());
                        double[] got = new double[3 * s.size()];
                        fast.forceDeviations(got);
                        double scale = FastEqualsReferenceTest.maxAbs(want.forces());
                        assertTrue(scale > 0, where + ": a force variance to compare");
                        double max = 0;
                        for (int k = 0; k < got.length; k++) {
                            assertEquals(want.forces()[k], got[k] * got[k], 1e-10 * scale, where + ": σ² of force "
                                    + "component " + k);
                            max = Math.max(max, got[k]);
                        }
                        assertEquals(max, fast.maxForceDeviation(), 0, where + ": largest force σ");
                        if (model.calibration() != null) {
                            double noiseOnly = S_N * S_N * NOISE_F * NOISE_F;
                            for (double v : want.forces()) {
                                assertTrue(v >= noiseOnly * (1 - 1e-12), where + ": the calibrated noise is added");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void proxyIsTheCalibratedNeighbourhoodSumOfLocalVariances() throws Exception {
        GapModel model = model("si-soap").withCalibration(calibration());
        double cutoff = model.terms().getFirst().descriptor().create().cutoff();
        List<Structure> cases = FastEqualsReferenceTest.cases(
                ExtXyz.read(FastGapCalculatorTest.dir("si-soap").resolve("quip-predictions.xyz")));
        try (WorkerPool pool = new WorkerPool(2)) {
            ReferenceGapCalculator reference = new ReferenceGapCalculator(model, pool);
            FastGapCalculator fast = new FastGapCalculator(model, pool, EvaluatorOptions.meanOnly());
            VarianceProjection bound = VarianceProjection.ofPosterior(model.posterior(), PROXY_RANK);
            for (int c = 0; c < cases.size(); c++) {
                Structure s = cases.get(c);
                double[] exact = reference.localVariance(s);
                double[] local = reference.localVariance(s, bound);
                boolean looser = false;
                for (int a = 0; a < s.size(); a++) {
                    assertTrue(local[a] >= exact[a] - 1e-12 * Math.abs(exact[a]), "the rank-" + PROXY_RANK
                            + " variance bounds the exact one, atom " + a);
                    looser |= local[a] > exact[a] * (1 + 1e-6);
                }
                assertTrue(looser, FastEqualsReferenceTest.CASES[c] + ": the truncation is felt");
                fast.calculate(s, FORCES, new CalculationResults(), false, ForceSigma.PROXY);
                double[] got = new double[3 * s.size()];
                fast.forceDeviations(got);
                double largest = 0;
                for (int a = 0; a < s.size(); a++) {
                    double v = neighbourhoodSum(s, local, a, cutoff);
                    double want = Math.sqrt(PROXY_W * PROXY_W * v + PROXY_N * PROXY_N * NOISE_F * NOISE_F);
                    for (int k = 0; k < 3; k++) {
                        assertEquals(want, got[3 * a + k], 1e-9 * want, FastEqualsReferenceTest.CASES[c] + ": atom "
                                + a + " component " + k);
                    }
                    largest = Math.max(largest, want);
                }
                assertEquals(largest, fast.maxForceDeviation(), 1e-9 * largest);
                // the options' rank (exact) still gives the local σ of a call without the proxy
                fast.calculate(s, FORCES, new CalculationResults(), true, ForceSigma.NONE);
                double[] sd = new double[s.size()];
                fast.deviations(sd);
                for (int a = 0; a < s.size(); a++) {
                    assertEquals(Math.sqrt(Math.max(0, exact[a])), sd[a], 1e-6 * Math.sqrt(Math.abs(exact[a])) + 1e-12,
                            "exact local σ after a proxy call, atom " + a);
                }
            }
        }
    }

    /**
     * The fit chooses the proxy's rank from the bounds at every candidate rank, taken from one product with the
     * projection in eigen order: each equals the bound of its own truncated projection (the evaluator's), the last
     * (M) the exact variance, to 1e-9 of k**.
     */
    @Test
    void boundsOfEveryCandidateRankFromOneProductEqualTheirOwnProjections() throws Exception {
        GapModel model = model("si-soap");
        SparseGpPosterior posterior = model.posterior();
        int[] ranks = ForceSigmaProxy.candidateRanks(posterior.sparseCount());
        assertArrayEquals(new int[] {50, 100, 200}, ranks, "200 sparse points");
        VarianceProjection inEigenOrder = VarianceProjection.ofPosteriorInEigenOrder(posterior);
        PosteriorVariance variance = new PosteriorVariance(new GapKernelRows(model.terms()), posterior);
        for (Structure s : FastEqualsReferenceTest.cases(
                ExtXyz.read(FastGapCalculatorTest.dir("si-soap").resolve("quip-predictions.xyz")))) {
            double[][] all = variance.local(s, inEigenOrder, ranks);
            double[] exact = variance.local(s);
            for (int j = 0; j < ranks.length; j++) {
                double[] want = ranks[j] == 200 ? exact
                        : variance.local(s, VarianceProjection.ofPosterior(posterior, ranks[j]));
                double prior = variance.local(s, VarianceProjection.ofPosterior(posterior, 1))[0];
                for (int a = 0; a < s.size(); a++) {
                    assertEquals(want[a], all[j][a], 1e-9 * prior, "rank " + ranks[j] + ", atom " + a);
                    assertTrue(j == 0 || all[j][a] <= all[j - 1][a] + 1e-12 * prior, "a higher rank is tighter");
                }
            }
        }
        assertThrows(IllegalStateException.class, () -> VarianceProjection.ofPosterior(posterior, 200)
                .variances(new double[200], new double[1], ranks));
    }

    @Test
    void forceSigmaNeedsAPosteriorAndTheProxyItsCalibration() throws Exception {
        GapModel imported = GapModel.readQuip(FastGapCalculatorTest.dir("si-soap").resolve("gp.xml"));
        GapModel uncalibrated = model("si-soap");
        Structure s = ExtXyz.read(FastGapCalculatorTest.dir("si-soap").resolve("quip-predictions.xyz")).getLast();
        try (WorkerPool pool = new WorkerPool(1)) {
            FastGapCalculator a = new FastGapCalculator(imported, pool, EvaluatorOptions.meanOnly());
            assertThrows(UnsupportedOperationException.class,
                    () -> a.calculate(s, FORCES, new CalculationResults(), false, ForceSigma.EXACT));
            FastGapCalculator b = new FastGapCalculator(uncalibrated, pool, EvaluatorOptions.meanOnly());
            assertThrows(IllegalStateException.class,
                    () -> b.calculate(s, FORCES, new CalculationResults(), false, ForceSigma.PROXY));
            assertThrows(IllegalArgumentException.class, () -> b.calculate(s, EnumSet.of(Property.ENERGY),
                    new CalculationResults(), false, ForceSigma.EXACT));
            b.calculate(s, FORCES, new CalculationResults(), false, ForceSigma.NONE);
            assertThrows(IllegalStateException.class, () -> b.forceDeviations(new double[3 * s.size()]));
        }
    }

    private static GapModel model(String folder) throws Exception {
        return FastEqualsReferenceTest.refitted(GapModel.readQuip(FastGapCalculatorTest.dir(folder)
                .resolve("gp.xml")), folder);
    }

    /** Force scales (S_W, S_N) over a force noise NOISE_F, and a proxy (PROXY_W, PROXY_N). */
    private static SigmaCalibration calibration() {
        Figures f = new Figures(100, 0.68, 0.95, 1.0, -1.0, 0.6);
        return new SigmaCalibration(SigmaCalibration.Method.SCALE, 5, true,
                Map.of(SigmaCalibration.DEFAULT_GROUP, new SigmaCalibration.Noise(0.002, NOISE_F, 0.01)),
                Map.of(ObservationKind.FORCE, Map.of(SigmaCalibration.ALL, new Scale(S_W, S_N))),
                Map.of(ObservationKind.FORCE, Map.of(SigmaCalibration.ALL, f)),
                new SigmaCalibration.ForceProxy(new Scale(PROXY_W, PROXY_N), PROXY_RANK, Map.of(SigmaCalibration.ALL, f)));
    }

    /**
     * v_a = σ_a² + Σ σ_i² over every atom i and periodic image (i ≠ a in the home cell) closer than the cutoff,
     * by brute force over translations n₁a₁ + n₂a₂ + n₃a₃ along the periodic directions.
     */
    private static double neighbourhoodSum(Structure s, double[] local, int a, double cutoff) {
        double[] h = s.cell().matrix();
        int[] reach = new int[3];
        for (int d = 0; d < 3; d++) {
            reach[d] = s.cell().periodic(d) ? (int) Math.ceil(cutoff / s.cell().perpendicularWidths()[d]) + 1 : 0;
        }
        double[] r = s.positions();
        double v = Math.max(0, local[a]);
        for (int i = 0; i < s.size(); i++) {
            for (int n1 = -reach[0]; n1 <= reach[0]; n1++) {
                for (int n2 = -reach[1]; n2 <= reach[1]; n2++) {
                    for (int n3 = -reach[2]; n3 <= reach[2]; n3++) {
                        if (i == a && n1 == 0 && n2 == 0 && n3 == 0) {
                            continue;
                        }
                        double d2 = 0;
                        for (int k = 0; k < 3; k++) {
                            double x = r[3 * i + k] + n1 * h[k] + n2 * h[3 + k] + n3 * h[6 + k] - r[3 * a + k];
                            d2 += x * x;
                        }
                        if (Math.sqrt(d2) < cutoff) {
                            v += Math.max(0, local[i]);
                        }
                    }
                }
            }
        }
        return v;
    }
}
