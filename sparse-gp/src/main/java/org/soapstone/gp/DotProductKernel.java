package org.soapstone.gp;

/**
 * The SOAP kernel k(x, z) = δ² (x·z)^ζ on (already normalised) power-spectrum vectors, in eV². The caller
 * normalises the descriptor and chains the normalisation into its descriptor gradients, as gap_fit does.
 *
 * <p>Derivatives: ∂k/∂x = δ² ζ s^{ζ−1} z with s = x·z; gᵀ(∂²k/∂x∂z)h = δ² [ζ(ζ−1) s^{ζ−2} (g·z)(x·h) + ζ s^{ζ−1}
 * (g·h)]. Hyperparameters: ∂k/∂δ = 2k/δ, ∂k/∂ζ = k ln s (s &gt; 0). An integer ζ is raised by repeated
 * multiplication (well defined for negative s); any other ζ by {@link Math#pow}, which like gap_fit's {@code **}
 * needs s ≥ 0 (SOAP power spectra of one species give s ≥ 0).
 *
 * <p>Reference: Bartók, Kondor, Csányi, Phys. Rev. B 87, 184115 (2013) (SOAP kernel); Deringer et al., Chem. Rev.
 * 121, 10073 (2021).
 *
 * @param delta signal standard deviation δ, eV (&gt; 0)
 * @param zeta  exponent ζ ≥ 1 (dimensionless)
 */
public record DotProductKernel(double delta, double zeta) implements Kernel {

    public DotProductKernel {
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("delta must be positive and finite, got " + delta);
        }
        if (!(zeta >= 1) || !Double.isFinite(zeta)) {
            throw new IllegalArgumentException("zeta must be >= 1 and finite, got " + zeta);
        }
    }

    @Override
    public Kernel withDelta(double newDelta) {
        return new DotProductKernel(newDelta, zeta);
    }

    @Override
    public double value(double[] xs, int xOffset, double[] zs, int zOffset, int d) {
        return delta * delta * power(dot(xs, xOffset, zs, zOffset, d), zeta);
    }

    @Override
    public void gradient(double[] xs, int xOffset, double[] zs, int zOffset, int d, double[] out, int outOffset) {
        double f = delta * delta * zeta * power(dot(xs, xOffset, zs, zOffset, d), zeta - 1);
        for (int k = 0; k < d; k++) {
            out[outOffset + k] = f * zs[zOffset + k];
        }
    }

    @Override
    public double mixedSecond(double[] xs, int xOffset, double[] g, int gOffset,
                              double[] zs, int zOffset, double[] h, int hOffset, int d) {
        double s = dot(xs, xOffset, zs, zOffset, d);
        double first = zeta >= 2
                ? zeta * (zeta - 1.0) * power(s, zeta - 2) * dot(g, gOffset, zs, zOffset, d) * dot(xs, xOffset, h, hOffset, d)
                : 0.0;
        return delta * delta * (first + zeta * power(s, zeta - 1) * dot(g, gOffset, h, hOffset, d));
    }

    @Override
    public void matrix(double[] x, int n, double[] z, int m, int d, double[] out) {
        NativeLinearAlgebra.multiplyTransposed(x, n, z, m, d, out);
        powers(out, n * m, delta * delta, zeta);
    }

    @Override
    public void matrix(double[] x, int n, SparseRows z, ProductScratch scratch, double[] out) {
        scratch.multiplyTransposed(x, 0, n, z, out);
        powers(out, n * z.count(), delta * delta, zeta);
    }

    /** δ²ζ (x·z)^{ζ−1}, from the inner products again (k/(x·z) would divide by zero at x·z = 0). */
    @Override
    public void gradientFactors(double[] x, int n, double[] z, int m, int d, double[] kxz, double[] out) {
        NativeLinearAlgebra.multiplyTransposed(x, n, z, m, d, out);
        powers(out, n * m, delta * delta * zeta, zeta - 1);
    }

    @Override
    public void gradientFactors(double[] x, int n, SparseRows z, ProductScratch scratch, double[] kxz,
            double[] out) {
        scratch.multiplyTransposed(x, 0, n, z, out);
        powers(out, n * z.count(), delta * delta * zeta, zeta - 1);
    }

    /** g·∂k/∂x = δ²ζ (x·z)^{ζ−1} (g·z): one matrix product G Zᵀ scaled by the factors. */
    @Override
    public void gradientMatrix(double[] x, int[] env, double[] g, int gOffset, int terms, double[] z, int m, int d,
                               double[] factors, double[] out) {
        NativeLinearAlgebra.multiplyTransposed(g, gOffset, terms, z, m, d, out);
        scaleRows(env, terms, m, factors, out);
    }

    @Override
    public void gradientMatrix(double[] x, int[] env, double[] g, int gOffset, int terms, SparseRows z,
            ProductScratch scratch, double[] factors, double[] out) {
        scratch.multiplyTransposed(g, gOffset, terms, z, out);
        scaleRows(env, terms, z.count(), factors, out);
    }

    /** out[i] = c · out[i]^p for i &lt; size. */
    private void powers(double[] out, int size, double c, double p) {
        for (int i = 0; i < size; i++) {
            out[i] = c * power(out[i], p);
        }
    }

    /** Scales row t of the m-column {@code out} by the factors of environment env[t]. */
    private static void scaleRows(int[] env, int terms, int m, double[] factors, double[] out) {
        for (int t = 0; t < terms; t++) {
            int row = env[t] * m;
            for (int j = 0; j < m; j++) {
                out[t * m + j] *= factors[row + j];
            }
        }
    }

    private double power(double s, double p) {
        return zeta == Math.rint(zeta) ? power(s, (int) p) : Math.pow(s, p);
    }

    private static double power(double s, int p) {
        double result = 1.0;
        double base = s;
        for (int e = p; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                result *= base;
            }
            base *= base;
        }
        return result;
    }

    static double dot(double[] a, int aOffset, double[] b, int bOffset, int d) {
        double sum = 0.0;
        for (int k = 0; k < d; k++) {
            sum += a[aOffset + k] * b[bOffset + k];
        }
        return sum;
    }
}
