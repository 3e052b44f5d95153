package org.soapstone.engine.gap;

import java.util.Objects;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.descriptor.DescriptorSpec;

/**
 * One sparse GP term of a GAP model — QUIP's {@code gpCoordinates}: a descriptor, a covariance, and the sparse
 * points with their weights. The term's energy is Σ_instances f_c(instance) · Σ_s α_s k(x, x_s), with QUIP's
 * covariances ({@code gpCoordinates_Predict} in GAP's {@code gp_predict.f95}):
 * <ul>
 *   <li>{@link CovarianceType#DOT_PRODUCT}: k(x, x_s) = δ² (x·x_s)^ζ · c_s;</li>
 *   <li>{@link CovarianceType#ARD_SE}: k(x, x_s) = (δ² exp(−½ Σ_d ((x_d − x_{s,d})/θ_d)²) + f0²) · c_s;</li>
 *   <li>ard_se of a descriptor whose components may be relabelled ({@link #permutations()}, distance_Nb): the
 *       squared exponential summed over the permutations and normalised,
 *       k(x, x_s) = (δ² S(x, x_s)/√(S(x, x) S(x_s, x_s)) + f0²) · c_s with S(x, z) = Σ_p exp(−½|(z∘π_p − x)/θ|²)
 *       ({@link org.soapstone.gp.PermutedSquaredExponentialKernel});</li>
 * </ul>
 * where c_s is the sparse point's cutoff weight ({@code sparseCutoff}) and f_c the instance's cutoff weight
 * (QUIP's {@code covariance_cutoff}). Energies are in eV, so α is in eV/δ² units as gap_fit wrote it.
 *
 * <p>Immutable: the arrays are copied in and out.
 *
 * @param label QUIP's label of the coordinate (kept for writing)
 * @param descriptor the descriptor string, parsed
 * @param covariance the covariance type (dot_product or ard_se)
 * @param delta δ, QUIP's {@code signal_variance} attribute (eV; the kernel scale, squared in k)
 * @param f0 QUIP's {@code signal_mean} (eV)
 * @param zeta ζ, the dot-product exponent (ignored for ard_se)
 * @param theta the ard_se length scales, one per descriptor component (descriptor units; empty for dot_product)
 * @param sparseX the sparse points, row-major M × D
 * @param alpha the weights α_s, M values
 * @param sparseCutoff the sparse points' cutoff weights c_s, M values
 */
public record GapTerm(String label, DescriptorSpec descriptor, CovarianceType covariance, double delta, double f0,
        double zeta, double[] theta, double[] sparseX, double[] alpha, double[] sparseCutoff) {

    /** Validates and copies. */
    public GapTerm {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(covariance, "covariance");
        if (covariance != CovarianceType.DOT_PRODUCT && covariance != CovarianceType.ARD_SE) {
            throw new IllegalArgumentException("covariance " + covariance + " is not supported; dot_product and "
                    + "ard_se are");
        }
        int m = alpha.length;
        if (m == 0 || sparseCutoff.length != m || sparseX.length % m != 0) {
            throw new IllegalArgumentException(m + " alphas, " + sparseCutoff.length + " sparse cutoffs and "
                    + sparseX.length + " sparse values do not agree");
        }
        int d = sparseX.length / m;
        if (covariance == CovarianceType.ARD_SE && theta.length != d) {
            throw new IllegalArgumentException("ard_se needs " + d + " length scales, got " + theta.length);
        }
        if (covariance == CovarianceType.DOT_PRODUCT && !(zeta > 0)) {
            throw new IllegalArgumentException("dot_product needs zeta > 0, got " + zeta);
        }
        theta = theta.clone();
        sparseX = sparseX.clone();
        alpha = alpha.clone();
        sparseCutoff = sparseCutoff.clone();
    }

    /**
     * The permutations of the descriptor components the kernel is symmetrised over (QUIP's {@code permutation}
     * elements, 0-based): the descriptor's ({@link org.soapstone.engine.descriptor.DescriptorParameters#permutations})
     * for ard_se, a single identity for dot_product (QUIP's dot-product kernel ignores them).
     *
     * @return n_p × D
     */
    public int[][] permutations() {
        if (covariance != CovarianceType.ARD_SE) {
            int[] identity = new int[dimension()];
            java.util.Arrays.setAll(identity, k -> k);
            return new int[][] {identity};
        }
        return descriptor.descriptor().permutations(dimension());
    }

    /** @return whether the kernel is symmetrised over more than one permutation */
    public boolean permuted() {
        return permutations().length > 1;
    }

    /** @return M, the number of sparse points */
    public int sparseCount() {
        return alpha.length;
    }

    /** @return D, the descriptor dimension */
    public int dimension() {
        return sparseX.length / alpha.length;
    }

    /** @return 1/θ per descriptor component for ard_se (descriptor units⁻¹), null for dot_product */
    public double[] inverseTheta() {
        if (covariance != CovarianceType.ARD_SE) {
            return null;
        }
        double[] inv = new double[theta.length];
        for (int j = 0; j < inv.length; j++) {
            inv[j] = 1 / theta[j];
        }
        return inv;
    }

    /**
     * @return the sparse points as the kernel reads them, row-major M × D (a copy): divided by θ per component for
     *     ard_se, as stored for dot_product
     */
    public double[] kernelSparseX() {
        double[] x = sparseX.clone();
        double[] inv = inverseTheta();
        if (inv != null) {
            int d = dimension();
            for (int i = 0; i < x.length; i++) {
                x[i] *= inv[i % d];
            }
        }
        return x;
    }

    /** @return ζ when it is a small positive integer (1–16; powers by multiplication, as QUIP's fast_pow), else −1 */
    public int integerZeta() {
        return zeta == Math.rint(zeta) && zeta >= 1 && zeta <= 16 ? (int) zeta : -1;
    }

    @Override
    public double[] theta() {
        return theta.clone();
    }

    @Override
    public double[] sparseX() {
        return sparseX.clone();
    }

    @Override
    public double[] alpha() {
        return alpha.clone();
    }

    @Override
    public double[] sparseCutoff() {
        return sparseCutoff.clone();
    }
}
