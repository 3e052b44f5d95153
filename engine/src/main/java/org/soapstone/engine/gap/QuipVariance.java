package org.soapstone.engine.gap;

import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.gp.PermutedSquaredExponentialKernel;

/**
 * The ingredients of QUIP's per-instance variance estimate for a {@link GapTerm} of an imported gap_fit model
 * ({@code gpCoordinates_initialise_variance_estimate} and {@code gpCoordinates_Predict} in GAP's
 * {@code gp_predict.f95}): σ²(x) = k** − kᵀ (K_MM + r² I)⁻¹ k with k** = δ² + f0² + r², k the instance's kernel row
 * (with the sparse cutoffs, as QUIP predicts) and K_MM δ² (X Xᵀ)^ζ + f0² for dot_product — without the sparse
 * cutoffs — and δ² c_i c_j exp(−½|(x_i − x_j)/θ|²) + f0² (c_i² on the diagonal) for ard_se (with the
 * permutation-symmetrised, normalised kernel of {@link GapTerm} for distance_Nb); r is
 * {@code gap_variance_regularisation}, QUIP's default 0.001 eV.
 */
public final class QuipVariance {
    /** QUIP's default {@code gap_variance_regularisation} (eV). */
    public static final double REGULARISATION = 0.001;

    private QuipVariance() {
    }

    /**
     * @param term the term
     * @return k** = δ² + f0² + r² (eV²), the prior variance QUIP uses for every instance
     */
    public static double priorVariance(GapTerm term) {
        return term.delta() * term.delta() + term.f0() * term.f0() + REGULARISATION * REGULARISATION;
    }

    /**
     * @param term the term (dot_product or ard_se)
     * @return K_MM + r² I, row-major M × M (eV²)
     */
    public static double[] sparseCovariance(GapTerm term) {
        int m = term.sparseCount();
        int d = term.dimension();
        double[] x = term.sparseX();
        double[] c = term.sparseCutoff();
        boolean dot = term.covariance() == CovarianceType.DOT_PRODUCT;
        double[] invTheta = term.inverseTheta();
        double zeta = term.zeta();
        int intZeta = term.integerZeta();
        double delta2 = term.delta() * term.delta();
        double f0sq = term.f0() * term.f0();
        PermutedSquaredExponentialKernel permuted = term.permuted()
                ? new PermutedSquaredExponentialKernel(term.delta(), term.theta(), term.permutations()) : null;
        double[] self = new double[m];
        for (int i = 0; permuted != null && i < m; i++) {
            self[i] = permuted.unnormalised(x, i * d, x, i * d);
        }
        double[] k = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                double q = 0;
                for (int a = 0; a < d; a++) {
                    if (dot) {
                        q += x[i * d + a] * x[j * d + a];
                    } else {
                        double u = (x[i * d + a] - x[j * d + a]) * invTheta[a];
                        q += u * u;
                    }
                }
                double kij;
                if (dot) {
                    kij = power(q, zeta, intZeta);
                } else if (i == j) {
                    kij = c[i] * c[j];
                } else if (permuted == null) {
                    kij = c[i] * c[j] * Math.exp(-0.5 * q);
                } else {
                    kij = permuted.unnormalised(x, i * d, x, j * d) * c[i] * c[j] / Math.sqrt(self[i] * self[j]);
                }
                kij = kij * delta2 + f0sq;
                if (i == j) {
                    kij += REGULARISATION * REGULARISATION;
                }
                k[i * m + j] = kij;
                k[j * m + i] = kij;
            }
        }
        return k;
    }

    /** @return v^p, by repeated products when p is a small positive integer intP (QUIP's fast_pow; intP = −1 otherwise), else Math.pow */
    public static double power(double v, double p, int intP) {
        if (intP < 0) {
            return Math.pow(v, p);
        }
        double r = 1;
        for (int i = 0; i < intP; i++) {
            r *= v;
        }
        return r;
    }
}
