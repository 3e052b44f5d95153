package org.soapstone.engine.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.ObservedVariance;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.TriangularFactor;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;

/**
 * Simulation-based calibration of the observed-value error bars: the local energy is drawn from the prior of a small
 * SOAP model — ε(x) = k(x, Z)·α with α ~ N(0, K_MM⁻¹), the projected-process prior the fit assumes over M sparse
 * points — energies and forces of rattled silicon cells are computed from it and given Gaussian noise of known σ, and
 * the model is fitted to them. With the true δ and σ the Bayesian predictive σ² = uᵀΣu + σ_n² (no calibration,
 * s_w = s_n = 1) must cover held-out errors at 68.3 % and 95.4 % within sampling error; with the noise assumed 3×
 * too small the uncalibrated σ must not, and the cross-validated calibration must bring it back. Draws are
 * independent functions (8 of them), so the coverage averages over the prior as Bayesian calibration promises.
 */
class SimulationBasedCalibrationTest {
    private static final String SOAP = "soap cutoff=3.5 n_max=3 l_max=2 atom_sigma=0.5 zeta=2 "
            + "cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product n_sparse=40 sparse_method=random";
    private static final double SIGMA_E = 0.002;
    private static final double SIGMA_F = 0.02;
    private static final int DRAWS = 8;

    private final DescriptorSpec spec = DescriptorString.parse(SOAP).addSpecies(new int[] {14}).getFirst();

    /** Coverage at 1σ and 2σ of energies and forces, pooled over draws. */
    private record Coverage(double energy1, double energy2, double force1, double force2, long forces) {
    }

    @Test
    void trueHyperparametersAreCalibratedAndCrossValidationRepairsWrongOnes() {
        Random random = new Random(17);
        List<Structure> train = cells(random, 40);
        List<Structure> test = cells(random, 40);
        List<TrainingFrame> shape = frames(train, null, null, 1.0);
        List<GapTerm> terms = SparsePointChooser.choose("sbc", List.of(spec), shape, 5, 1, FitListener.NONE,
                new ArrayList<>());
        GapKernelRows rows = new GapKernelRows(terms);
        int m = rows.columns();
        double[] u = TriangularFactor.cholesky(rows.sparseCovariance(), m, 1e-8).data();
        Coverage trueNoise = coverage(terms, rows, u, train, test, 1.0, SigmaCalibration.Method.NONE, random);
        Coverage wrongNoise = coverage(terms, rows, u, train, test, 1.0 / 3, SigmaCalibration.Method.NONE, random);
        Coverage calibrated = coverage(terms, rows, u, train, test, 1.0 / 3, SigmaCalibration.Method.SCALE, random);
        String all = "true σ: " + trueNoise + "\nσ 3× too small: " + wrongNoise + "\nthen calibrated: " + calibrated;
        System.out.println(all);
        // energies: 320 pooled (binomial sd 2.6 % at 68 %, 1.2 % at 95 %); forces: 7680 pooled, correlated within a
        // draw (sd ≈ 2 %)
        assertEquals(0.683, trueNoise.energy1(), 0.08, all);
        assertEquals(0.954, trueNoise.energy2(), 0.04, all);
        assertEquals(0.683, trueNoise.force1(), 0.05, all);
        assertEquals(0.954, trueNoise.force2(), 0.03, all);
        assertTrue(wrongNoise.force1() < 0.55 && wrongNoise.energy1() < 0.55, "noise 3× too small must show: " + all);
        assertEquals(0.683, calibrated.force1(), 0.05, all);
        assertEquals(0.954, calibrated.force2(), 0.03, all);
        assertEquals(0.683, calibrated.energy1(), 0.1, all);
        assertEquals(0.954, calibrated.energy2(), 0.05, all);
    }

    /**
     * Draws DRAWS functions, fits each with the noise σ times {@code assumed} and the given calibration, and pools the
     * coverage of the test frames' observed values (the function plus fresh noise).
     */
    private Coverage coverage(List<GapTerm> terms, GapKernelRows rows, double[] u, List<Structure> train,
            List<Structure> test, double assumed, SigmaCalibration.Method method, Random random) {
        long e1 = 0;
        long e2 = 0;
        long f1 = 0;
        long f2 = 0;
        long ne = 0;
        long nf = 0;
        int m = rows.columns();
        for (int draw = 0; draw < DRAWS; draw++) {
            double[] alpha = priorDraw(u, m, random);
            List<TrainingFrame> fit = frames(train, rows, alpha, assumed, random);
            GapModel model;
            CalibrationSettings cal = new CalibrationSettings(method == SigmaCalibration.Method.NONE
                    ? SigmaCalibration.Method.SCALE : method, 5, 3, CalibrationSettings.DEFAULT_ROW_BUDGET, 10, true,
                    Map.of(SigmaCalibration.DEFAULT_GROUP, new SigmaCalibration.Noise(SIGMA_E * assumed,
                            SIGMA_F * assumed, 0)));
            if (method == SigmaCalibration.Method.NONE) {
                model = SparseGpSolve.fit("sbc", new double[GapModel.MAX_Z + 1], terms, fit, 1e-8, 1, FitListener.NONE)
                        .withCalibration(SigmaCalibration.none(true, cal.noise()));
            } else {
                model = CrossValidatedFit.fit("sbc", new double[GapModel.MAX_Z + 1], terms, fit, 1e-8, 1,
                        FitListener.NONE, cal).model();
            }
            List<TrainingFrame> truth = frames(test, rows, alpha, 1.0, random);
            try (WorkerPool pool = new WorkerPool(1)) {
                ReferenceGapCalculator calc = new ReferenceGapCalculator(model, pool);
                CalculationResults res = new CalculationResults();
                for (TrainingFrame f : truth) {
                    Structure s = f.structure();
                    calc.calculate(s, java.util.EnumSet.of(Property.ENERGY, Property.FORCES), res);
                    ObservedVariance v = calc.observedVariance(s, null);
                    double z = Math.abs(res.energy - f.energy()) / Math.sqrt(v.energy());
                    e1 += z <= 1 ? 1 : 0;
                    e2 += z <= 2 ? 1 : 0;
                    ne++;
                    for (int c = 0; c < 3 * s.size(); c++) {
                        double zf = Math.abs(res.forces[c] - f.forces()[c]) / Math.sqrt(v.forces()[c]);
                        f1 += zf <= 1 ? 1 : 0;
                        f2 += zf <= 2 ? 1 : 0;
                        nf++;
                    }
                }
            }
        }
        return new Coverage((double) e1 / ne, (double) e2 / ne, (double) f1 / nf, (double) f2 / nf, nf);
    }

    /** α ~ N(0, K_MM⁻¹): α = U⁻¹ξ with UᵀU = K_MM + jitter·I. */
    private static double[] priorDraw(double[] u, int m, Random random) {
        double[] a = new double[m];
        for (int i = 0; i < m; i++) {
            a[i] = random.nextGaussian();
        }
        for (int j = m - 1; j >= 0; j--) {
            a[j] /= u[j + j * m];
            for (int i = 0; i < j; i++) {
                a[i] -= u[i + j * m] * a[j];
            }
        }
        return a;
    }

    /** Rattled 8-atom diamond Si cells, strained by up to ±3 %, atoms moved by up to 0.3 Å. */
    private static List<Structure> cells(Random random, int count) {
        List<Structure> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Structure s = Crystal.diamond(14, 5.43 * (0.97 + 0.06 * random.nextDouble()), 1);
            double[] r = s.positions();
            for (int k = 0; k < r.length; k++) {
                r[k] += 0.3 * (2 * random.nextDouble() - 1);
            }
            out.add(s);
        }
        return out;
    }

    /** Frames labelled with the draw's energies and forces plus noise, σ in the frames times {@code assumed}. */
    private static List<TrainingFrame> frames(List<Structure> cells, GapKernelRows rows, double[] alpha,
            double assumed, Random random) {
        List<TrainingFrame> out = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            Structure s = cells.get(i);
            int n = s.size();
            double[] energyForces = rows == null ? new double[1 + 3 * n] : evaluate(rows, alpha, s);
            double sigmaE = SIGMA_E * Math.sqrt(n);
            double energy = energyForces[0] + (random == null ? 0 : sigmaE * random.nextGaussian());
            double[] forces = Arrays.copyOfRange(energyForces, 1, 1 + 3 * n);
            for (int c = 0; c < forces.length; c++) {
                forces[c] += random == null ? 0 : SIGMA_F * random.nextGaussian();
            }
            double[] fs = new double[3 * n];
            Arrays.fill(fs, SIGMA_F * assumed);
            out.add(new TrainingFrame(i, 0, s, "default", energy, sigmaE * assumed, forces, fs, null, null));
        }
        return out;
    }

    private List<TrainingFrame> frames(List<Structure> cells, GapKernelRows rows, double[] alpha, double assumed) {
        return frames(cells, rows, alpha, assumed, null);
    }

    /** The drawn function's total energy (eV) and forces (eV/Å): kernel rows times α. */
    private static double[] evaluate(GapKernelRows rows, double[] alpha, Structure s) {
        int n = s.size();
        int m = rows.columns();
        double[] local = new double[n * m];
        double[] force = new double[3 * n * m];
        var descriptors = rows.descriptors();
        NeighbourList nl = NeighbourList.build(s, descriptors[0].cutoff(), true);
        for (int t = 0; t < descriptors.length; t++) {
            DescriptorOutput out = descriptors[t].newOutput();
            descriptors[t].compute(s, nl, true, out);
            rows.add(t, out, local, force, null);
        }
        double[] y = new double[1 + 3 * n];
        for (int j = 0; j < m; j++) {
            for (int a = 0; a < n; a++) {
                y[0] += local[a * m + j] * alpha[j];
            }
            for (int c = 0; c < 3 * n; c++) {
                y[1 + c] += force[c * m + j] * alpha[j];
            }
        }
        return y;
    }
}
