package org.soapstone.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The re-weighted fit from whitened per-group, per-fold Grams against a direct streamed-QR fit of the same rows at the
 * new σ and δ: two terms (dot-product kernels, ζ = 2 and 4, δ⁰ = 1 and 0.5) on total-energy and force-like rows of
 * random structures, four groups (kind × two "config types"), three folds, every fold left out in turn, group weights
 * and term δ changed by up to 10×, a jitter large enough (10⁻³ eV²) that getting its term wrong shows.
 */
class FoldGramsTest {
    private static final int FOLDS = 3;
    private static final int GROUPS = 4;
    private static final double JITTER = 1e-3;

    private final Random random = new Random(5);
    private final int d = 6;
    private final Kernel[] kernels = {new DotProductKernel(1.0, 2), new DotProductKernel(0.5, 4)};
    private final SparsePoints[] sparse = {new SparsePoints(d, Problems.unitDescriptors(random, 15, d)),
        new SparsePoints(d, Problems.unitDescriptors(random, 25, d))};
    private final int m = 40;
    private final int[] termStart = {0, 15, 40};

    /** Kernel rows of both terms side by side (row-major rows × M) at δ⁰. */
    private double[] rows(ObservationBlock obs) {
        double[] out = new double[obs.rows() * m];
        for (int t = 0; t < 2; t++) {
            double[] k = Covariance.functionalRows(kernels[t], sparse[t], obs);
            int mt = sparse[t].size();
            for (int r = 0; r < obs.rows(); r++) {
                System.arraycopy(k, r * mt, out, r * m + termStart[t], mt);
            }
        }
        return out;
    }

    /** K_MM at δ⁰, block diagonal over the terms, column-major. */
    private double[] kmm() {
        double[] k = new double[m * m];
        for (int t = 0; t < 2; t++) {
            int mt = sparse[t].size();
            double[] b = new double[mt * mt];
            kernels[t].matrix(sparse[t].points(), mt, sparse[t].points(), mt, d, b);
            for (int j = 0; j < mt; j++) {
                for (int i = 0; i < mt; i++) {
                    k[(termStart[t] + i) + (termStart[t] + j) * m] = b[i * mt + j];
                }
            }
        }
        return k;
    }

    @Test
    void reweightedFitEqualsADirectRefitAtTheNewSigmaAndDelta() {
        ObservationBlock[] data = new ObservationBlock[GROUPS * FOLDS];
        double[][] k = new double[GROUPS * FOLDS][];
        for (int g = 0; g < GROUPS; g++) {
            for (int f = 0; f < FOLDS; f++) {
                // energies: 6 rows per group-fold (kept as rows, < (M+1)/2); forces: 120 rows (a Gram)
                ObservationBlock obs = g % 2 == 0 ? Problems.structures(random, 6, 4, 0, d)
                        : Problems.structures(random, 20, 4, 6, d);
                data[g * FOLDS + f] = g % 2 == 0 ? obs : forcesOnly(obs);
                k[g * FOLDS + f] = rows(data[g * FOLDS + f]);
            }
        }
        double[] kmm = kmm();
        TriangularFactor u0 = TriangularFactor.cholesky(kmm.clone(), m, JITTER);
        FoldGrams grams = new FoldGrams(u0, JITTER, termStart, GROUPS, FOLDS);
        for (int g = 0; g < GROUPS; g++) {
            for (int f = 0; f < FOLDS; f++) {
                ObservationBlock obs = data[g * FOLDS + f];
                GramAccumulator acc = new GramAccumulator(m);
                // in two blocks, to exercise the accumulation
                int half = obs.rows() / 2;
                for (int[] range : new int[][] {{0, half}, {half, obs.rows()}}) {
                    DesignBlock block = DesignBlock.assemble(Arrays.copyOfRange(k[g * FOLDS + f], range[0] * m,
                            range[1] * m), m, Arrays.copyOfRange(obs.target(), range[0], range[1]),
                            Arrays.copyOfRange(obs.sigma(), range[0], range[1]));
                    grams.whiten(block);
                    acc.add(block);
                }
                grams.put(g, f, acc);
            }
        }
        assertTrue(grams.rows(0, 0) < (m + 1) / 2 && grams.rows(1, 0) > (m + 1) / 2, "both storages exercised");
        double[][] weights = {{1, 1, 1, 1}, {4, 0.25, 10, 0.1}, {0.2, 3, 1, 7}};
        double[][] deltaSquared = {{1, 1}, {1, 1}, {3, 0.4}};
        double worst = 0;
        for (int c = 0; c < weights.length; c++) {
            for (int out = -1; out < FOLDS; out++) {
                double[] direct = directAlpha(data, k, kmm, out, weights[c], deltaSquared[c]);
                double[] alpha = grams.alpha(out, weights[c], deltaSquared[c]);
                double[] gamma = grams.weights(out, weights[c], deltaSquared[c]);
                double scale = 0;
                double diff = 0;
                for (int j = 0; j < m; j++) {
                    scale = Math.max(scale, Math.abs(direct[j]));
                    diff = Math.max(diff, Math.abs(direct[j] - alpha[j]));
                }
                worst = Math.max(worst, diff / scale);
                assertEquals(0, diff / scale, 1e-9, "case " + c + ", fold " + out + ": α");
                // predictions: k(δ)·α_direct against the whitened row times γ
                for (int g = 0; g < GROUPS; g++) {
                    double[] row = Arrays.copyOf(k[g * FOLDS], m);
                    double[] white = row.clone();
                    grams.whitenRows(white, 1);
                    double p = 0;
                    double q = 0;
                    for (int j = 0; j < m; j++) {
                        int t = j < termStart[1] ? 0 : 1;
                        p += row[j] * deltaSquared[c][t] * direct[j];
                        q += white[j] * gamma[j];
                    }
                    assertEquals(p, q, 1e-9 * Math.max(1, Math.abs(p)), "case " + c + ", fold " + out + ": prediction");
                }
            }
        }
        System.out.printf("FoldGrams against direct refits: largest relative α difference %.2e%n", worst);
    }

    /** The streamed-QR fit on every fold but {@code out} with σ² divided by w_g and each term's δ² times d_t. */
    private double[] directAlpha(ObservationBlock[] data, double[][] k, double[] kmm, int out, double[] w,
            double[] deltaSquared) {
        double[] scaled = kmm.clone();
        double[] col = new double[m];
        for (int j = 0; j < m; j++) {
            col[j] = deltaSquared[j < termStart[1] ? 0 : 1];
        }
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < m; i++) {
                scaled[i + j * m] *= Math.sqrt(col[i] * col[j]);
            }
        }
        TriangularFactor u = TriangularFactor.cholesky(scaled, m, JITTER);
        QrAccumulator acc = QrAccumulator.prior(u);
        for (int g = 0; g < GROUPS; g++) {
            for (int f = 0; f < FOLDS; f++) {
                if (f == out) {
                    continue;
                }
                ObservationBlock obs = data[g * FOLDS + f];
                double[] rows = k[g * FOLDS + f].clone();
                for (int r = 0; r < obs.rows(); r++) {
                    for (int j = 0; j < m; j++) {
                        rows[r * m + j] *= col[j];
                    }
                }
                double[] sigma = obs.sigma().clone();
                for (int r = 0; r < sigma.length; r++) {
                    sigma[r] /= Math.sqrt(w[g]);
                }
                acc.add(DesignBlock.assemble(rows, m, obs.target(), sigma));
            }
        }
        return new SparseGpPosterior(u, acc).alpha();
    }

    /** The force rows of a block of structures. */
    private static ObservationBlock forcesOnly(ObservationBlock obs) {
        ObservationBlock.Builder b = new ObservationBlock.Builder(obs.dimension());
        for (int e = 0; e < obs.environments(); e++) {
            b.environment(obs.descriptors(), e * obs.dimension());
        }
        for (int r = 0; r < obs.rows(); r++) {
            if (obs.kind()[r] != ObservationKind.FORCE) {
                continue;
            }
            b.row(obs.target()[r], obs.sigma()[r], ObservationKind.FORCE);
            for (int t = obs.gradientStart()[r]; t < obs.gradientStart()[r + 1]; t++) {
                b.gradient(obs.gradientEnv()[t], obs.gradientVector(), t * obs.dimension());
            }
        }
        return b.build();
    }
}
