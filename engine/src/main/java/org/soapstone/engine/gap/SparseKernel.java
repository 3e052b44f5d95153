package org.soapstone.engine.gap;

import org.soapstone.engine.descriptor.CovarianceType;

/**
 * One {@link GapTerm}'s kernel against its sparse points as a prediction evaluates it (QUIP's
 * {@code gpCoordinates_Predict}), element by element: for dot_product k_s(x) = δ² (x·x_s)^ζ c_s, for ard_se
 * k_s(x) = (δ² exp(−½|(x − x_s)/θ|²) + f0²) c_s (eV², c_s the sparse cutoffs), the local energy Σ_s α_s k_s(x) (eV)
 * and its gradient Σ_s w_s x_s with the coefficients w_s given here (for ard_se then corrected by
 * {@link #finishSquaredExponentialGradient}). Both the per-instance predictor and the evaluator's blocked one (which
 * computes the products x·x_s or the distances with BLAS) use it. The arrays are copies, made once: do not change
 * them.
 *
 * @param dotProduct whether the covariance is dot_product (else ard_se)
 * @param sparseCount M
 * @param dimension D
 * @param sparse the sparse points row-major M × D; for ard_se divided by θ
 * @param alpha the coefficients α_s (eV per kernel unit)
 * @param sparseCutoff c_s
 * @param inverseTheta 1/θ_j (ard_se)
 * @param delta2 δ² (eV²)
 * @param f0sq f0² (eV²)
 * @param zeta ζ
 * @param integerZeta ζ if it is a small positive integer (powers are then products, as QUIP's fast_pow), else −1
 */
public record SparseKernel(boolean dotProduct, int sparseCount, int dimension, double[] sparse, double[] alpha,
        double[] sparseCutoff, double[] inverseTheta, double delta2, double f0sq, double zeta, int integerZeta) {

    /**
     * @param t the term (dot_product or ard_se)
     * @return its kernel
     * @throws IllegalArgumentException for another covariance type
     */
    public static SparseKernel of(GapTerm t) {
        boolean dot = t.covariance() == CovarianceType.DOT_PRODUCT;
        if (!dot && t.covariance() != CovarianceType.ARD_SE) {
            throw new IllegalArgumentException("covariance " + t.covariance() + " is not supported");
        }
        return new SparseKernel(dot, t.sparseCount(), t.dimension(), t.kernelSparseX(), t.alpha(), t.sparseCutoff(),
                t.inverseTheta(), t.delta() * t.delta(), t.f0() * t.f0(), t.zeta(), t.integerZeta());
    }

    /** @return (x·x_s)^(ζ−1) for dot_product, from {@code dot} = x·x_s */
    public double powerMinusOne(double dot) {
        return QuipVariance.power(dot, zeta - 1, integerZeta - 1);
    }

    /** @return dot_product k_s = δ² (x·x_s)^ζ c_s (eV²), from x·x_s and {@link #powerMinusOne} of it */
    public double dotProductKernel(int s, double dot, double powerMinusOne) {
        return delta2 * powerMinusOne * dot * sparseCutoff[s];
    }

    /** @return dot_product w_s = α_s δ² ζ (x·x_s)^(ζ−1) c_s, the weight of x_s in ∂e/∂x */
    public double dotProductGradientWeight(int s, double powerMinusOne) {
        return alpha[s] * delta2 * zeta * powerMinusOne * sparseCutoff[s];
    }

    /** @return δ² exp(−½q) (eV²) for the θ-scaled squared distance q = |(x − x_s)/θ|² */
    public double exponential(double q) {
        return delta2 * Math.exp(-0.5 * q);
    }

    /** @return ard_se k_s = (δ² exp(−½q) + f0²) c_s (eV²), from {@link #exponential} */
    public double squaredExponentialKernel(int s, double exponential) {
        return (exponential + f0sq) * sparseCutoff[s];
    }

    /** @return ard_se w_s = α_s δ² exp(−½q) c_s, the weight of x_s/θ in ∂e/∂x before the correction */
    public double squaredExponentialGradientWeight(int s, double exponential) {
        return alpha[s] * exponential * sparseCutoff[s];
    }

    /**
     * For ard_se turns g = Σ_s w_s x_s/θ into ∂e/∂x: ∂/∂x_j exp(−½Σ((s_j − x_j)/θ_j)²) = exp(…)(s_j/θ_j −
     * x_j/θ_j)/θ_j, so g_j ← (g_j − (Σ_s w_s) x_j/θ_j)/θ_j.
     *
     * @param g the gradient from {@code offset} (D values), changed in place
     * @param weightSum Σ_s w_s
     * @param scaled x/θ from {@code scaledOffset} (D values)
     */
    public void finishSquaredExponentialGradient(double[] g, int offset, double weightSum, double[] scaled,
            int scaledOffset) {
        for (int j = 0; j < dimension; j++) {
            g[offset + j] = (g[offset + j] - weightSum * scaled[scaledOffset + j]) * inverseTheta[j];
        }
    }
}
