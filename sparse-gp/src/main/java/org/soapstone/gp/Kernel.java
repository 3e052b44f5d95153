package org.soapstone.gp;

/**
 * A covariance function k(x, z) of the latent local energy ε(x) between two descriptor vectors, in eV²; the
 * descriptors are dimensionless and flat row-major ({@code n × d}). Besides values, a kernel supplies what the
 * linear functionals of ε need: the gradient ∂k/∂x (for forces and virials, which are contractions of ∂ε/∂x with
 * descriptor gradients) and the mixed second derivative gᵀ ∂²k/∂x∂z h (for the prior variance of such a
 * contraction). All kernels scale as δ², δ the signal standard deviation in eV, so ∂k/∂δ = 2k/δ.
 *
 * <p>Batch methods compute whole kernel blocks with one matrix product where the kernel allows it (a dot product
 * or squared distance is an inner product), as FLARE's {@code kernel.h} does; they write into caller storage.
 *
 * <p>Reference: Deringer, Bartók, Bernstein, Wilkins, Ceriotti, Csányi, Chem. Rev. 121, 10073 (2021), sec. 3;
 * Rasmussen &amp; Williams, <i>Gaussian Processes for Machine Learning</i> (2006), ch. 4 and 9.4.
 */
public interface Kernel {

    /** Signal standard deviation δ, in eV. */
    double delta();

    /** The same kernel with another δ (eV). */
    Kernel withDelta(double delta);

    /** k(x, z) in eV², for {@code x = xs[xOffset .. xOffset+d)} and {@code z = zs[zOffset .. zOffset+d)}. */
    double value(double[] xs, int xOffset, double[] zs, int zOffset, int d);

    /** Writes ∂k(x, z)/∂x (eV² per descriptor unit) into {@code out[outOffset .. outOffset+d)}. */
    void gradient(double[] xs, int xOffset, double[] zs, int zOffset, int d, double[] out, int outOffset);

    /** gᵀ (∂²k/∂x∂z) h, in eV² per descriptor unit², for directions g (at x) and h (at z). */
    double mixedSecond(double[] xs, int xOffset, double[] g, int gOffset,
                       double[] zs, int zOffset, double[] h, int hOffset, int d);

    /** {@code out[i·m + j] = k(x_i, z_j)} for {@code n} rows x and {@code m} rows z of dimension d. */
    void matrix(double[] x, int n, double[] z, int m, int d, double[] out);

    /**
     * The per-pair factors {@link #gradientMatrix} needs, for every row x_i and sparse point z_j ({@code n × m}
     * row-major): δ²ζ (x·z)^{ζ−1} for the dot-product kernel, k(x, z) for the squared exponential.
     *
     * @param kxz {@code k(x_i, z_j)} as {@link #matrix} gives it
     */
    void gradientFactors(double[] x, int n, double[] z, int m, int d, double[] kxz, double[] out);

    /**
     * {@code out[t·m + j] = g_t · ∂k(x_{env[t]}, z_j)/∂x} for {@code terms} directions g_t (rows of {@code g}
     * from {@code gOffset}, dimension d) applied at the environments {@code env[t]} (rows of {@code x}).
     *
     * @param factors the per-pair factors from {@link #gradientFactors} for all rows of x
     */
    void gradientMatrix(double[] x, int[] env, double[] g, int gOffset, int terms, double[] z, int m, int d,
                        double[] factors, double[] out);

    /** {@link #matrix} against sparse points kept in native memory, with this thread's buffers. */
    default void matrix(double[] x, int n, SparseRows z, ProductScratch scratch, double[] out) {
        matrix(x, n, z.values(), z.count(), z.dimension(), out);
    }

    /** {@link #gradientFactors} against sparse points kept in native memory, with this thread's buffers. */
    default void gradientFactors(double[] x, int n, SparseRows z, ProductScratch scratch, double[] kxz,
            double[] out) {
        gradientFactors(x, n, z.values(), z.count(), z.dimension(), kxz, out);
    }

    /** {@link #gradientMatrix} against sparse points kept in native memory, with this thread's buffers. */
    default void gradientMatrix(double[] x, int[] env, double[] g, int gOffset, int terms, SparseRows z,
            ProductScratch scratch, double[] factors, double[] out) {
        gradientMatrix(x, env, g, gOffset, terms, z.values(), z.count(), z.dimension(), factors, out);
    }
}
