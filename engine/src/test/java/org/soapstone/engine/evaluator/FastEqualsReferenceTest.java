package org.soapstone.engine.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.RefitFrames;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.fit.TrainingFrame;

/**
 * The fast path against the readable reference, computed independently of it (one instance at a time, scalar
 * kernels, triangular solves for σ): energies, forces, virial and per-atom energies to 1e-10 of their scale, and
 * each atom's local-energy variance, for single-species SOAP (gap_fit's si-soap), two-species SOAP with distance_2b
 * pairs (gap_fit's sic-2b-soap), each as imported (QUIP's variance) and refitted here to a few of its training
 * frames (the posterior's variance),
 * on a strongly sheared triclinic cell, a 2-atom cell smaller than the cutoff, a slab periodic in two directions
 * and an open cluster, on one and two threads, one fast calculator re-sizing itself from structure to structure.
 */
class FastEqualsReferenceTest {
    private static final Set<Property> ALL =
            EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS, Property.ENERGIES);
    /** σ² of the two paths: 1e-10 of the prior variance k** (both evaluate k** − kᵀPk; see the test). */
    private static final double VARIANCE_TOLERANCE = 1e-10;

    @ParameterizedTest
    @ValueSource(strings = {"si-soap", "sic-2b-soap", "si-soap+posterior", "sic-2b-soap+posterior"})
    void energiesForcesVirialPerAtomEnergiesAndVariancesAgree(String name) throws Exception {
        String folder = name.replace("+posterior", "");
        GapModel model = GapModel.readQuip(FastGapCalculatorTest.dir(folder).resolve("gp.xml"));
        if (name.endsWith("+posterior")) {
            model = refitted(model, folder);
        }
        List<Structure> frames = ExtXyz.read(FastGapCalculatorTest.dir(folder).resolve("quip-predictions.xyz"));
        List<Structure> cases = cases(frames);
        for (int threads = 1; threads <= 2; threads++) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                ReferenceGapCalculator reference = new ReferenceGapCalculator(model, pool);
                FastGapCalculator fast = new FastGapCalculator(model, pool, EvaluatorOptions.withVariance());
                for (int c = 0; c < cases.size(); c++) {
                    Structure s = cases.get(c);
                    String where = name + ", " + CASES[c] + " (" + s.size() + " atoms), " + threads + " threads";
                    CalculationResults want = new CalculationResults();
                    CalculationResults got = new CalculationResults();
                    Set<Property> asked = EnumSet.copyOf(ALL);
                    if (!s.cell().hasVolume()) {
                        asked.remove(Property.STRESS);
                    }
                    reference.calculate(s, asked, want);
                    fast.calculate(s, asked, got);
                    assertEquals(want.computed(), got.computed(), where + ": properties computed");
                    assertEquals(want.energy, got.energy, 1e-10 * Math.abs(want.energy), where + ": energy (eV)");
                    double eScale = maxAbs(want.energies);
                    for (int a = 0; a < s.size(); a++) {
                        assertEquals(want.energies[a], got.energies[a], 1e-10 * eScale, where + ": energy of atom " + a);
                    }
                    double fScale = maxAbs(want.forces);
                    for (int k = 0; k < want.forces.length; k++) {
                        assertEquals(want.forces[k], got.forces[k], 1e-10 * fScale, where + ": force " + k);
                    }
                    if (s.cell().hasVolume()) {
                        double[] w = want.virial(s.volume());
                        double[] g = got.virial(s.volume());
                        // scale: the larger of the virial and 1 eV per atom (pair terms cancel in the sum)
                        double vScale = Math.max(maxAbs(w), s.size());
                        for (int k = 0; k < 9; k++) {
                            assertEquals(w[k], g[k], 1e-10 * vScale, where + ": virial " + k + " (eV)");
                        }
                    }
                    double[] vWant = reference.localVariance(s);
                    double[] vGot = fast.localVariance(s);
                    double prior = maxAbs(vWant) + maxPrior(model);
                    for (int a = 0; a < s.size(); a++) {
                        assertEquals(vWant[a], vGot[a], VARIANCE_TOLERANCE * prior, where + ": σ² of atom " + a);
                    }
                }
            }
        }
    }

    /** @return the model's own terms and sparse points refitted to a few of its training frames, with a posterior */
    static GapModel refitted(GapModel model, String folder) throws Exception {
        List<Structure> frames = ExtXyz.read(FastGapCalculatorTest.dir(folder).resolve("train.xyz"));
        List<TrainingFrame> train = new ArrayList<>();
        for (int f = 0; f < 6; f++) {
            train.add(RefitFrames.frame(f, frames.get(f), 0.01, 0.1));
        }
        return SparseGpSolve.fit("refit", model.e0(), model.terms(), train, 1e-8, 2, FitListener.NONE);
    }

    static final String[] CASES = {"sheared triclinic cell", "2-atom cell (cutoff > half the cell)",
        "slab periodic in x and y", "open cluster"};

    /** The geometries of {@link #CASES}, made from the model's own reference frames (its species, its density). */
    static List<Structure> cases(List<Structure> frames) {
        Structure bulk = frames.stream().filter(s -> s.size() > 8).findFirst().orElseThrow();
        Structure primitive = frames.stream().filter(s -> s.size() == 2).findFirst().orElseThrow();
        List<Structure> out = new ArrayList<>();
        out.add(FiniteDifferences.rattled(FiniteDifferences.deformed(bulk,
                new double[] {1.0, 0.15, -0.1, 0.05, 0.95, 0.12, 0.0, -0.08, 1.05}), 0.1, 1));
        out.add(FiniteDifferences.rattled(primitive, 0.1, 2));
        out.add(withCell(FiniteDifferences.rattled(bulk, 0.05, 3), bulk.cell().matrix(), new boolean[] {true, true,
            false}, 2.0));
        out.add(withCell(FiniteDifferences.rattled(bulk, 0.05, 4), bulk.cell().matrix(), new boolean[] {false, false,
            false}, 1.0));
        assertTrue(out.get(1).cell().perpendicularWidths()[0] < 2 * 4.0, "the small cell is narrower than twice the cutoff");
        return out;
    }

    /** @return {@code s} in a cell with the given periodicity and its third vector scaled by {@code stretch} */
    private static Structure withCell(Structure s, double[] lattice, boolean[] pbc, double stretch) {
        double[] h = lattice.clone();
        for (int k = 6; k < 9; k++) {
            h[k] *= stretch;
        }
        return new Structure(s.numbers(), s.positions(), new Cell(h, pbc));
    }

    private static double maxPrior(GapModel model) {
        double p = 0;
        for (var t : model.terms()) {
            p = Math.max(p, t.delta() * t.delta() + t.f0() * t.f0());
        }
        return p;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
