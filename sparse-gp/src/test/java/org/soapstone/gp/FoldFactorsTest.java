package org.soapstone.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * Leave-a-fold-out fits from merged fold factors against a direct dense fit of the other folds' rows (normal
 * equations with an explicit inverse, EJML): α, the weight-space variances uᵀΣu and the log marginal likelihood.
 */
class FoldFactorsTest {

    @Test
    void leaveAFoldOutEqualsADirectFitOnTheOtherFolds() {
        Random random = new Random(11);
        int m = 25;
        int folds = 4;
        int rowsPerFold = 60;
        double[] u = new double[m * m];
        for (int j = 0; j < m; j++) {
            u[j + j * m] = 1 + random.nextDouble();
            for (int i = 0; i < j; i++) {
                u[i + j * m] = 0.3 * random.nextGaussian() / Math.sqrt(m);
            }
        }
        double[][] k = new double[folds][];
        double[][] y = new double[folds][];
        double[][] sigma = new double[folds][];
        FoldFactors factors = FoldFactors.empty(folds, m);
        for (int f = 0; f < folds; f++) {
            k[f] = new double[rowsPerFold * m];
            y[f] = new double[rowsPerFold];
            sigma[f] = new double[rowsPerFold];
            for (int i = 0; i < k[f].length; i++) {
                k[f][i] = random.nextGaussian();
            }
            for (int r = 0; r < rowsPerFold; r++) {
                y[f][r] = random.nextGaussian();
                sigma[f][r] = 0.5 + random.nextDouble();
            }
            // each fold in two blocks
            int half = rowsPerFold / 2;
            factors.add(f, DesignBlock.assemble(java.util.Arrays.copyOf(k[f], half * m), m,
                    java.util.Arrays.copyOf(y[f], half), java.util.Arrays.copyOf(sigma[f], half)));
            factors.add(f, DesignBlock.assemble(java.util.Arrays.copyOfRange(k[f], half * m, rowsPerFold * m), m,
                    java.util.Arrays.copyOfRange(y[f], half, rowsPerFold),
                    java.util.Arrays.copyOfRange(sigma[f], half, rowsPerFold)));
        }
        double[] probe = new double[3 * m];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = random.nextGaussian();
        }
        for (int out = -1; out < folds; out++) {
            SparseGpPosterior p = factors.posterior(TriangularFactor.upper(u, m), out);
            // dense reference: P = UᵀU + Σ_r k_r k_rᵀ/σ_r², α = P⁻¹ Σ_r k_r y_r/σ_r²
            DMatrixRMaj precision = new DMatrixRMaj(m, m);
            DMatrixRMaj rhs = new DMatrixRMaj(m, 1);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int l = 0; l < m; l++) {
                        s += u[l + i * m] * u[l + j * m];
                    }
                    precision.set(i, j, s);
                }
            }
            long rows = 0;
            for (int f = 0; f < folds; f++) {
                if (f == out) {
                    continue;
                }
                for (int r = 0; r < rowsPerFold; r++) {
                    double w = 1 / (sigma[f][r] * sigma[f][r]);
                    for (int i = 0; i < m; i++) {
                        rhs.add(i, 0, w * k[f][r * m + i] * y[f][r]);
                        for (int j = 0; j < m; j++) {
                            precision.add(i, j, w * k[f][r * m + i] * k[f][r * m + j]);
                        }
                    }
                    rows++;
                }
            }
            DMatrixRMaj cov = precision.copy();
            CommonOps_DDRM.invert(cov);
            DMatrixRMaj alpha = new DMatrixRMaj(m, 1);
            CommonOps_DDRM.mult(cov, rhs, alpha);
            double[] a = p.alpha();
            for (int i = 0; i < m; i++) {
                assertEquals(alpha.get(i, 0), a[i], 1e-10 * (1 + Math.abs(alpha.get(i, 0))), "α " + i + ", fold "
                        + out + " left out");
            }
            double[] w = p.weightVariances(probe, 3);
            for (int r = 0; r < 3; r++) {
                double expected = 0;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        expected += probe[r * m + i] * cov.get(i, j) * probe[r * m + j];
                    }
                }
                assertEquals(expected, w[r], 1e-10 * expected, "uᵀΣu of probe " + r + ", fold " + out + " left out");
            }
            assertEquals(rows, p.observations());
        }
    }

    @Test
    void foldsMustBeTwoOrMoreAndDataOnly() {
        assertThrows(IllegalArgumentException.class, () -> FoldFactors.empty(1, 3));
        double[] u = {1};
        assertThrows(IllegalArgumentException.class,
                () -> FoldFactors.of(QrAccumulator.prior(TriangularFactor.upper(u, 1)), QrAccumulator.empty(1)));
    }
}
