package org.soapstone.engine.evaluator;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.fit.SparsePointChooser;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.SharedData;

/**
 * The native-memory evaluator against the plain model evaluation ({@link ReferenceGapCalculator}), against quip's own
 * predictions, against finite differences of its own energy, and its deviations against the posterior's exact
 * variances (computed by {@code ReferenceGapCalculator} with triangular solves) and QUIP's {@code local_gap_variance}.
 */
class FastGapCalculatorTest {
    private static final String SOAP = "soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 zeta=2 "
            + "cutoff_transition_width=0.5 delta=0.7 covariance_type=dot_product n_sparse=40 sparse_method=random";

    static Path dir(String model) {
        return SharedData.gapFit(model);
    }

    private static double rel(double a, double b) {
        return Math.abs(a - b) / Math.max(1e-300, Math.max(Math.abs(a), Math.abs(b)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"si-soap", "sic-2b-soap"})
    void agreesWithGapCalculatorAndQuipOnEveryReferenceFrame(String name) throws Exception {
        GapModel model = GapModel.readQuip(dir(name).resolve("gp.xml"));
        List<Structure> frames = ExtXyz.read(dir(name).resolve("quip-predictions.xyz"));
        assertTrue(frames.size() >= 9, "too few reference frames");
        for (int threads = 1; threads <= 2; threads++) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                ReferenceGapCalculator plain = new ReferenceGapCalculator(model, pool);
                for (int f = 0; f < frames.size(); f++) {
                    Structure s = frames.get(f);
                    String where = name + " frame " + f + ", " + threads + " threads";
                    CalculationResults ref = plain.calculate(s);
                    CalculationResults r;
                    double[] sd = new double[s.size()];
                    FastGapCalculator ev = new FastGapCalculator(model, s, pool, EvaluatorOptions.withVariance());
                    r = ev.calculate(s);
                    CalculationResults again = new CalculationResults();
                    ev.calculateWithDeviations(s, again, sd);
                    assertArrayEquals(r.forces, again.forces, 0, where + ": forces with deviations on");
                    // the plain evaluation: 1e-10 relative (energies, forces, virial scaled by their largest value)
                    assertTrue(rel(ref.energy, r.energy) < 1e-10, where + ": energy " + r.energy + " vs " + ref.energy);
                    double fScale = Math.max(1, maxAbs(ref.forces));
                    for (int k = 0; k < ref.forces.length; k++) {
                        assertEquals(ref.forces[k], r.forces[k], 1e-10 * fScale, where + ": force " + k);
                    }
                    for (int a = 0; a < s.size(); a++) {
                        assertEquals(ref.energies[a], r.energies[a], 1e-10 * Math.abs(ref.energies[a]),
                                where + ": local energy " + a);
                    }
                    assertEquals(s.cell().hasVolume(), r.has(Property.STRESS), where + ": stress computed");
                    if (s.cell().hasVolume()) {
                        // scale: the larger of |σ| and 1 eV of virial per atom (the 2b sums cancel: |α| up to 2e5)
                        double sScale = Math.max(maxAbs(ref.stress), s.size() / s.volume());
                        assertArrayEquals(ref.stress, r.stress, 1e-10 * sScale, where + ": stress");
                        // quip: virial to 1e-5 eV (quip's printed precision)
                        double[] vRef = (double[]) s.info().get("virial");
                        assertArrayEquals(vRef, r.virial(s.volume()), 1e-5, where + ": virial vs quip (eV)");
                    }
                    // quip: energy 1e-6 eV/atom, forces 1e-6 eV/Å, local_gap_variance as QuipAgreementTest
                    assertEquals(s.infoReal("energy") / s.size(), r.energy / s.size(), 1e-6, where + ": vs quip");
                    assertArrayEquals(reals(s, "force"), r.forces, 1e-6, where + ": forces vs quip");
                    double[] var = reals(s, "gap_variance");
                    double[] exact = plain.localVariance(s);
                    for (int a = 0; a < s.size(); a++) {
                        // the triangular variance path: 1e-6 relative in σ² (VarianceProjection's error analysis)
                        assertEquals(exact[a], sd[a] * sd[a], 1e-6 * exact[a] + 1e-24,
                                where + ": variance of atom " + a + " vs QUIP's variance estimate");
                        assertEquals(var[a], sd[a] * sd[a], 1e-6 * var[a] + 0.5e-8 * (1 + 1e-9),
                                where + ": quip's gap_variance of atom " + a);
                    }
                }
            }
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double[] reals(Structure s, String name) {
        AtomProperty p = s.properties().get(name);
        if (p == null && name.equals("force")) {
            p = s.properties().get("forces");
        }
        assertNotNull(p, "no per-atom '" + name + "'; has " + s.properties().keySet());
        return p.reals();
    }

    @ParameterizedTest
    @ValueSource(strings = {"si-soap", "sic-2b-soap"})
    void forcesAndStressMatchFiniteDifferencesOfItsOwnEnergy(String name) throws Exception {
        GapModel model = GapModel.readQuip(dir(name).resolve("gp.xml"));
        List<Structure> frames = ExtXyz.read(dir(name).resolve("quip-predictions.xyz"));
        Structure primitive = frames.stream().filter(s -> s.size() == 2).findFirst().orElseThrow();
        Structure s = FiniteDifferences.rattled(primitive, 0.15, 7);
        try (WorkerPool pool = new WorkerPool(2)) {
            FastGapCalculator ev = new FastGapCalculator(model, s, pool, EvaluatorOptions.meanOnly());
            FiniteDifferences.assertForcesMatch(ev, s, 1e-4, 1e-6);
            FiniteDifferences.assertStressMatches(ev, s, 1e-5, 1e-6);
        }
    }

    @Test
    void repeatRunsAndThreadCountsUpToFourAreBitIdentical() throws Exception {
        GapModel model = GapModel.readQuip(dir("sic-2b-soap").resolve("gp.xml"));
        Structure s = FiniteDifferences.rattled(ExtXyz.read(dir("sic-2b-soap").resolve("quip-predictions.xyz"))
                .get(0), 0.05, 3);
        CalculationResults[] byThreads = new CalculationResults[3];
        double[][] sigmaByThreads = new double[3][s.size()];
        for (int threads = 1; threads <= 3; threads++) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                CalculationResults first;
                double[] sigma = sigmaByThreads[threads - 1];
                double[] again = new double[s.size()];
                FastGapCalculator a = new FastGapCalculator(model, s, pool, EvaluatorOptions.withVariance());
                first = a.calculate(s);
                a.deviations(sigma);
                CalculationResults second = a.calculate(s);
                a.deviations(again);
                assertEquals(first.energy, second.energy, 0, "same evaluator, energy");
                assertArrayEquals(first.forces, second.forces, 0, "same evaluator, forces");
                assertArrayEquals(first.stress, second.stress, 0, "same evaluator, stress");
                assertArrayEquals(sigma, again, 0, "same evaluator, deviations");
                FastGapCalculator b = new FastGapCalculator(model, s, pool, EvaluatorOptions.withVariance());
                CalculationResults other = b.calculate(s);
                b.deviations(again);
                assertEquals(first.energy, other.energy, 0, "new evaluator, energy");
                assertArrayEquals(first.forces, other.forces, 0, "new evaluator, forces");
                assertArrayEquals(first.stress, other.stress, 0, "new evaluator, stress");
                assertArrayEquals(sigma, again, 0, "new evaluator, deviations");
                byThreads[threads - 1] = first;
            }
        }
        // up to four threads the shares depend on the atoms only, σ or not: the same bits
        for (int t = 1; t < 3; t++) {
            assertEquals(byThreads[0].energy, byThreads[t].energy, 0, (t + 1) + " threads, energy");
            assertArrayEquals(byThreads[0].forces, byThreads[t].forces, 0, (t + 1) + " threads, forces");
            assertArrayEquals(byThreads[0].stress, byThreads[t].stress, 0, (t + 1) + " threads, stress");
            assertArrayEquals(sigmaByThreads[0], sigmaByThreads[t], 0, (t + 1) + " threads, deviations");
        }
    }

    /**
     * {@link FastGapCalculator#localSigma(boolean)}: switched off, an integrator's call computes no σ (asking for it
     * fails) and the same energies and forces; switched on again, the σ of that call equals a fresh evaluator's.
     */
    @Test
    void localSigmaSwitchesTheDeviationsOfTheFollowingCalls() throws Exception {
        GapModel model = GapModel.readQuip(dir("si-soap").resolve("gp.xml"));
        Structure s = FiniteDifferences.rattled(ExtXyz.read(dir("si-soap").resolve("quip-predictions.xyz")).get(0),
                0.05, 4);
        try (WorkerPool pool = new WorkerPool(2)) {
            FastGapCalculator ev = new FastGapCalculator(model, s, pool, EvaluatorOptions.withVariance());
            CalculationResults with = ev.calculate(s);
            double[] sigma = new double[s.size()];
            ev.deviations(sigma);
            ev.localSigma(false);
            CalculationResults without = ev.calculate(s);
            assertThrows(IllegalStateException.class, () -> ev.deviations(new double[s.size()]), "no σ computed");
            assertEquals(with.energy, without.energy, 0, "energy without σ");
            assertArrayEquals(with.forces, without.forces, 0, "forces without σ");
            Structure moved = FiniteDifferences.rattled(s, 0.02, 5);
            ev.localSigma(true);
            ev.calculate(moved);
            double[] again = new double[s.size()];
            ev.deviations(again);
            FastGapCalculator fresh = new FastGapCalculator(model, moved, pool, EvaluatorOptions.withVariance());
            fresh.calculate(moved);
            double[] expected = new double[s.size()];
            fresh.deviations(expected);
            assertArrayEquals(expected, again, 0, "σ switched on again");
            assertTrue(!java.util.Arrays.equals(sigma, again), "the moved atoms' σ is new, not the first call's");
        }
    }

    /**
     * Without σ the atoms are dealt out in shares that the workers take in turn, each share's forces summed apart:
     * up to four threads the share count depends on the atoms only, so one thread (every share in order), two and
     * three (shares taken as the workers come free) must give the same bits — whichever worker took which share.
     */
    @Test
    void withoutSigmaTheBitsDoNotDependOnWhichWorkerTookWhichShare() throws Exception {
        GapModel model = GapModel.readQuip(dir("si-soap").resolve("gp.xml"));
        Path cell = Path.of(System.getProperty("soapstone.root"), "test-data", "si-diamond-512.xyz");
        Structure s = FiniteDifferences.rattled(ExtXyz.read(cell).getFirst(), 0.1, 7);
        assertTrue(Math.ceilDiv(s.size(), FastGapCalculator.SUB_BLOCK) >= FastGapCalculator.MIN_SHARES,
                "too few atoms for a full set of shares");
        double[][] one = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                FastGapCalculator gap = new FastGapCalculator(model, s, pool, EvaluatorOptions.meanOnly());
                for (int call = 0; call < 3; call++) {
                    CalculationResults r = gap.calculate(s);
                    double[][] got = {{r.energy}, r.forces.clone(), r.stress.clone(), r.energies.clone()};
                    if (one == null) {
                        one = got;
                        continue;
                    }
                    String where = threads + " threads, call " + call;
                    assertEquals(one[0][0], got[0][0], 0, where + ", energy");
                    assertArrayEquals(one[1], got[1], 0, where + ", forces");
                    assertArrayEquals(one[2], got[2], 0, where + ", stress");
                    assertArrayEquals(one[3], got[3], 0, where + ", local energies");
                }
            }
        }
    }

    @Test
    void memorySegmentApiRoundTripsTheCalculatorResults() throws Exception {
        GapModel model = GapModel.readQuip(dir("si-soap").resolve("gp.xml"));
        Structure s = FiniteDifferences.rattled(ExtXyz.read(dir("si-soap").resolve("quip-predictions.xyz")).get(0),
                0.05, 11);
        int n = s.size();
        try (WorkerPool pool = new WorkerPool(2);
             Arena arena = Arena.ofConfined()) {
            FastGapCalculator ev = new FastGapCalculator(model, s, pool, EvaluatorOptions.withVariance());
            ReferenceGapCalculator plain = new ReferenceGapCalculator(model, pool);
            CalculationResults ref = plain.calculate(s);
            double[] refVar = plain.localVariance(s);
            MemorySegment r = arena.allocate(JAVA_DOUBLE, 3L * n);
            MemorySegment cell = arena.allocate(JAVA_DOUBLE, 9);
            MemorySegment f = arena.allocate(JAVA_DOUBLE, 3L * n);
            MemorySegment w = arena.allocate(JAVA_DOUBLE, 9);
            MemorySegment e = arena.allocate(JAVA_DOUBLE, n);
            MemorySegment sd = arena.allocate(JAVA_DOUBLE, n);
            MemorySegment.copy(s.positions(), 0, r, JAVA_DOUBLE, 0, 3 * n);
            MemorySegment.copy(s.cell().matrix(), 0, cell, JAVA_DOUBLE, 0, 9);
            double energy = ev.evaluate(r, cell, f, w, e, sd);
            assertEquals(ref.energy, energy, 1e-10 * Math.abs(ref.energy), "energy (eV)");
            assertArrayEquals(ref.forces, f.toArray(JAVA_DOUBLE), 1e-10 * maxAbs(ref.forces), "forces (eV/Å)");
            assertArrayEquals(ref.virial(s.volume()), w.toArray(JAVA_DOUBLE), 1e-10 * maxAbs(ref.stress) * s.volume(),
                    "virial (eV)");
            assertArrayEquals(ref.energies, e.toArray(JAVA_DOUBLE), 1e-10 * maxAbs(ref.energies), "energies (eV)");
            double[] sigma = sd.toArray(JAVA_DOUBLE);
            int worst = 0;
            for (int a = 0; a < n; a++) {
                assertEquals(Math.sqrt(refVar[a]), sigma[a], 1e-9 * Math.sqrt(refVar[a]), "deviation of atom " + a);
                worst = sigma[a] > sigma[worst] ? a : worst;
            }
            assertEquals(worst, ev.maxDeviationAtom(), "atom of the largest deviation");
            assertEquals(sigma[worst], ev.maxDeviation(), 0, "largest deviation");
            // energies only: the forces segment is left alone
            MemorySegment untouched = arena.allocate(JAVA_DOUBLE, 3L * n);
            untouched.fill((byte) 0);
            assertEquals(energy, ev.evaluate(r, null, null, null, null, null), 0, "energy without forces");
            assertArrayEquals(new double[3 * n], untouched.toArray(JAVA_DOUBLE), 0);
            assertThrows(IllegalArgumentException.class, () -> ev.evaluate(r.asSlice(0, 8), null, f, null, null, null),
                    "a short positions segment");
            assertThrows(IllegalArgumentException.class, () -> ev.evaluate(r, null, null, w, null, null),
                    "a virial without forces");
        }
    }

    /** A model fitted here (with its posterior) on a few si-soap training frames. */
    static GapModel fittedModel(int frames) throws Exception {
        DescriptorSpec spec = DescriptorString.parse(SOAP).addSpecies(new int[] {14}).getFirst();
        List<Structure> all = ExtXyz.read(dir("si-soap").resolve("train.xyz"));
        List<TrainingFrame> train = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            Structure s = all.get(f);
            double[] fs = new double[3 * s.size()];
            Arrays.fill(fs, 0.1);
            train.add(new TrainingFrame(f, 0, s, "default", s.infoReal("energy"), 0.02 * Math.sqrt(s.size()),
                    s.properties().get("forces").reals(), fs, null, null));
        }
        List<GapTerm> terms = SparsePointChooser.choose("t", List.of(spec), train, 3, 1, FitListener.NONE,
                new ArrayList<>());
        double[] e0 = new double[GapModel.MAX_Z + 1];
        e0[14] = -0.79;
        return SparseGpSolve.fit("posterior", e0, terms, train, 1e-8, 2, FitListener.NONE);
    }

    @Test
    void posteriorDeviationsAreExactAtFullRankAndUpperBoundsWhenTruncated() throws Exception {
        GapModel model = fittedModel(4);
        assertTrue(model.hasPosterior());
        int m = model.posterior().sparseCount();
        List<Structure> all = ExtXyz.read(dir("si-soap").resolve("train.xyz"));
        try (WorkerPool pool = new WorkerPool(2)) {
            ReferenceGapCalculator plain = new ReferenceGapCalculator(model, pool);
            for (Structure s : List.of(all.get(1), all.get(7), FiniteDifferences.rattled(all.get(9), 0.3, 5))) {
                int n = s.size();
                double[] exact = plain.localVariance(s);
                CalculationResults r = new CalculationResults();
                double[] full = new double[n];
                FastGapCalculator ev = new FastGapCalculator(model, s, pool, EvaluatorOptions.withVariance());
                ev.calculateWithDeviations(s, r, full);
                assertEquals(0, ev.posteriorProjection().meanOverestimate(), 0, "full rank drops nothing");
                for (int a = 0; a < n; a++) {
                    assertEquals(Math.sqrt(exact[a]), full[a], 1e-6 * Math.sqrt(exact[a]),
                            "full-rank deviation of atom " + a);
                }
                for (int rank : new int[] {2, m / 4, m / 2}) {
                    double[] cheap = new double[n];
                    FastGapCalculator truncated = new FastGapCalculator(model, s, pool,
                            EvaluatorOptions.withVariance().withRank(rank));
                    truncated.calculateWithDeviations(s, r, cheap);
                    assertTrue(truncated.posteriorProjection().meanOverestimate() > 0, "rank " + rank
                            + " drops some");
                    boolean looser = false;
                    for (int a = 0; a < n; a++) {
                        assertTrue(cheap[a] >= full[a] * (1 - 1e-9), "rank " + rank + ", atom " + a + ": "
                                + cheap[a] + " < exact " + full[a]);
                        looser |= cheap[a] > full[a] * (1 + 1e-6);
                    }
                    assertTrue(looser, "rank " + rank + " of " + m + " changed no deviation");
                }
            }
        }
    }

    @Test
    void deviationGrowsUnderCompressionAwayFromTheTrainingData() throws Exception {
        GapModel model = fittedModel(4);
        Structure train = ExtXyz.read(dir("si-soap").resolve("train.xyz")).get(1);
        Structure squeezed = FiniteDifferences.deformed(train, new double[] {0.8, 0, 0, 0, 0.8, 0, 0, 0, 0.8});
        try (WorkerPool pool = new WorkerPool(1)) {
            FastGapCalculator ev = new FastGapCalculator(model, train, pool, EvaluatorOptions.withVariance());
            CalculationResults r = new CalculationResults();
            double[] sd = new double[train.size()];
            ev.calculateWithDeviations(train, r, sd);
            double onTraining = ev.maxDeviation();
            ev.calculateWithDeviations(squeezed, r, sd);
            double compressed = ev.meanDeviation();
            assertTrue(compressed > 3 * onTraining, "mean deviation at 80 % of the lattice " + compressed
                    + " eV is not well above the largest on a training frame " + onTraining + " eV");
        }
    }
}
