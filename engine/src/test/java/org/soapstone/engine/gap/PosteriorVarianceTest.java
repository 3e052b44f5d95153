package org.soapstone.engine.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.fit.SparsePointChooser;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;
import org.soapstone.gp.Kernel;

/**
 * The posterior variances of a fitted model (local energies, total energy, force components) against a dense DTC
 * computation done here from scratch: the covariance rows of the training energies come from descriptor values and
 * the kernel alone, the force rows and the force prior variances from central finite differences of those energy
 * covariances in the atomic positions — so neither descriptor gradients nor {@link GapKernelRows} enter the
 * reference — and Σ = (K_MM + K_MN Λ⁻¹ K_NM)⁻¹ is an explicit inverse. The weight-space variances uᵀΣu of the
 * observed-value σ ({@link PredictiveVariance#observedVariance}) are checked against the same dense Σ and
 * finite-difference rows.
 */
class PosteriorVarianceTest {
    private static final double H = 1e-4;
    private static final String SOAP = "soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 zeta=2 "
            + "cutoff_transition_width=0.5 delta=0.7 covariance_type=dot_product n_sparse=12 sparse_method=random";

    private final DescriptorSpec spec = DescriptorString.parse(SOAP).addSpecies(new int[] {14}).getFirst();

    @Test
    void posteriorVariancesMatchADenseFiniteDifferenceComputation() throws Exception {
        Path dir = SharedData.gapFit("si-soap");
        List<Structure> all = ExtXyz.read(dir.resolve("train.xyz"));
        List<TrainingFrame> train = new ArrayList<>();
        for (int f = 0; f < 2; f++) {
            train.add(org.soapstone.engine.fit.RefitFrames.frame(f, all.get(f), 0.02, 0.1));
        }
        double jitter = 1e-8;
        List<GapTerm> terms = SparsePointChooser.choose("t", List.of(spec), train, 3, 1, FitListener.NONE,
                new ArrayList<>());
        double[] e0 = new double[GapModel.MAX_Z + 1];
        e0[14] = -0.79;
        GapModel model = SparseGpSolve.fit("posterior", e0, terms, train, jitter, 2, FitListener.NONE);
        GapTerm term = model.terms().getFirst();
        Kernel kernel = GapKernelRows.kernel(term);
        int m = term.sparseCount();

        // dense reference: K_NM from energies and finite-difference forces, Σ = (K_MM + K_MN Λ⁻¹ K_NM)⁻¹
        List<double[]> knm = new ArrayList<>();
        List<Double> lambda = new ArrayList<>();
        for (TrainingFrame f : train) {
            knm.add(energyRow(f.structure(), term, kernel));
            lambda.add(f.energySigma() * f.energySigma());
            double[] fr = forceRows(f.structure(), term, kernel);
            for (int c = 0; c < 3 * f.structure().size(); c++) {
                knm.add(Arrays.copyOfRange(fr, c * m, (c + 1) * m));
                lambda.add(f.forceSigma()[c] * f.forceSigma()[c]);
            }
        }
        DMatrixRMaj kmm = new DMatrixRMaj(m, m);
        double[] z = term.sparseX();
        double[] c = term.sparseCutoff();
        int d = term.dimension();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                kmm.set(i, j, c[i] * c[j] * kernel.value(z, i * d, z, j * d, d) + (i == j ? jitter : 0));
            }
        }
        DMatrixRMaj precision = kmm.copy();
        for (int r = 0; r < knm.size(); r++) {
            double[] k = knm.get(r);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    precision.add(i, j, k[i] * k[j] / lambda.get(r));
                }
            }
        }
        DMatrixRMaj sigma = precision.copy();
        CommonOps_DDRM.invert(sigma);
        DMatrixRMaj kmmInv = kmm.copy();
        CommonOps_DDRM.invert(kmmInv);

        Structure test = all.get(5);
        int n = test.size();
        try (WorkerPool pool = new WorkerPool(1)) {
            ReferenceGapCalculator calc = new ReferenceGapCalculator(model, pool);
            assertTrue(calc.hasPosterior());
            // local energies: one SOAP instance per atom
            DescriptorOutput out = term.descriptor().create().compute(test, false);
            double[] local = calc.localVariance(test);
            for (int a = 0; a < n; a++) {
                double[] k = new double[m];
                for (int s = 0; s < m; s++) {
                    k[s] = kernel.value(out.values(), a * d, z, s * d, d) * c[s];
                }
                double prior = kernel.value(out.values(), a * d, out.values(), a * d, d);
                double expected = prior - quadratic(k, kmmInv) + quadratic(k, sigma);
                assertEquals(expected, local[a], 1e-7 * prior, "local variance of atom " + a);
                assertTrue(local[a] > 0 && local[a] < prior, "variance " + local[a] + " outside (0, prior " + prior + ")");
            }
            // total energy
            double[] ke = energyRow(test, term, kernel);
            double priorE = pairSum(out, out, kernel);
            double expectedE = priorE - quadratic(ke, kmmInv) + quadratic(ke, sigma);
            assertEquals(expectedE, calc.energyVariance(test), 1e-7 * priorE, "total-energy variance");
            // forces: rows and prior variances by finite differences
            double[] fr = forceRows(test, term, kernel);
            double[] var = calc.forceVariance(test);
            // the observed-value variances of a model without calibration record: the weight-space uᵀΣu alone
            ObservedVariance observed = calc.observedVariance(test, null);
            double weightE = quadratic(ke, sigma);
            assertEquals(weightE, observed.energy(), 1e-6 * weightE, "weight-space energy variance");
            for (int atom : new int[] {0, 7, n - 1}) {
                for (int k = 0; k < 3; k++) {
                    int row = 3 * atom + k;
                    double[] kf = Arrays.copyOfRange(fr, row * m, (row + 1) * m);
                    double prior = forcePrior(test, term, kernel, row);
                    double expected = prior - quadratic(kf, kmmInv) + quadratic(kf, sigma);
                    assertEquals(expected, var[row], 1e-5 * prior, "force variance of atom " + atom + " component " + k);
                    assertTrue(var[row] > 0, "force variance must be positive");
                    double weight = quadratic(kf, sigma);
                    assertEquals(weight, observed.forces()[row], 1e-5 * weight, "weight-space force variance of atom "
                            + atom + " component " + k);
                }
            }
        }
    }

    /** Cov(E, u_s) = Σ_i k(x_i, z_s) c_s (SOAP: cutoff weight 1), from descriptor values only. */
    private static double[] energyRow(Structure s, GapTerm term, Kernel kernel) {
        DescriptorOutput out = term.descriptor().create().compute(s, false);
        int d = term.dimension();
        double[] z = term.sparseX();
        double[] row = new double[term.sparseCount()];
        for (int i = 0; i < out.count(); i++) {
            for (int j = 0; j < row.length; j++) {
                row[j] += out.cutoffWeight(i) * kernel.value(out.values(), i * d, z, j * d, d) * term.sparseCutoff()[j];
            }
        }
        return row;
    }

    /** Cov(F_{aκ}, u_s) = −∂Cov(E, u_s)/∂r_{aκ} by central differences, 3N × M. */
    private static double[] forceRows(Structure s, GapTerm term, Kernel kernel) {
        int m = term.sparseCount();
        double[] rows = new double[3 * s.size() * m];
        for (int c = 0; c < 3 * s.size(); c++) {
            double[] plus = energyRow(moved(s, c, H), term, kernel);
            double[] minus = energyRow(moved(s, c, -H), term, kernel);
            for (int j = 0; j < m; j++) {
                rows[c * m + j] = -(plus[j] - minus[j]) / (2 * H);
            }
        }
        return rows;
    }

    /**
     * Var(F_c) = ∂²C(r, r')/∂r_c∂r'_c at r = r', C(r, r') = Σ_ij k(x_i(r), x_j(r')), by central differences summed
     * pair by pair (pairs of instances the move does not change cancel exactly, so rounding stays small).
     */
    private static double forcePrior(Structure s, GapTerm term, Kernel kernel, int c) {
        DescriptorOutput p = term.descriptor().create().compute(moved(s, c, H), false);
        DescriptorOutput q = term.descriptor().create().compute(moved(s, c, -H), false);
        double[] x = p.values();
        double[] y = q.values();
        int d = p.dimension();
        double sum = 0;
        for (int i = 0; i < p.count(); i++) {
            for (int j = 0; j < p.count(); j++) {
                sum += (kernel.value(x, i * d, x, j * d, d) - kernel.value(x, i * d, y, j * d, d))
                        - (kernel.value(y, i * d, x, j * d, d) - kernel.value(y, i * d, y, j * d, d));
            }
        }
        return sum / (4 * H * H);
    }

    private static double pairSum(DescriptorOutput a, DescriptorOutput b, Kernel kernel) {
        int d = a.dimension();
        double sum = 0;
        for (int i = 0; i < a.count(); i++) {
            for (int j = 0; j < b.count(); j++) {
                sum += a.cutoffWeight(i) * b.cutoffWeight(j) * kernel.value(a.values(), i * d, b.values(), j * d, d);
            }
        }
        return sum;
    }

    private static Structure moved(Structure s, int component, double h) {
        Structure copy = s.copy();
        copy.positions()[component] += h;
        return copy;
    }

    private static double quadratic(double[] k, DMatrixRMaj a) {
        double sum = 0;
        for (int i = 0; i < k.length; i++) {
            for (int j = 0; j < k.length; j++) {
                sum += k[i] * a.get(i, j) * k[j];
            }
        }
        return sum;
    }
}
