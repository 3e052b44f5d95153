package org.soapstone.gp;

/**
 * Squared-exponential kernel with automatic relevance determination (ARD-SE), in eV²:
 * k(x, z) = δ² exp(−½ Σ_a (x_a − z_a)² / θ_a²). With one length scale it is the kernel gap_fit uses for
 * {@code distance_2b} (θ in Å when the descriptor is a distance).
 *
 * <p>Derivatives, with u_a = (x_a − z_a)/θ_a²: ∂k/∂x = −k u; gᵀ(∂²k/∂x∂z)h = k [Σ_a g_a h_a/θ_a² − (g·u)(u·h)].
 * Hyperparameters: ∂k/∂δ = 2k/δ, ∂k/∂θ_a = k (x_a − z_a)²/θ_a³.
 *
 * <p>Reference: Rasmussen &amp; Williams, <i>Gaussian Processes for Machine Learning</i> (2006), eq. (5.2);
 * Deringer et al., Chem. Rev. 121, 10073 (2021).
 *
 * @param delta signal standard deviation δ, eV (&gt; 0)
 * @param theta length scales θ_a in descriptor units, one per descriptor component (each &gt; 0)
 */
public record SquaredExponentialKernel(double delta, double[] theta) implements Kernel {

    public SquaredExponentialKernel {
        theta = checked(delta, theta);
    }

    /**
     * @return a copy of θ
     * @throws IllegalArgumentException unless δ &gt; 0 and every θ_a &gt; 0 are finite and θ is not empty
     */
    static double[] checked(double delta, double[] theta) {
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("delta must be positive and finite, got " + delta);
        }
        if (theta.length == 0) {
            throw new IllegalArgumentException("theta needs one length scale per descriptor component");
        }
        for (int a = 0; a < theta.length; a++) {
            if (!(theta[a] > 0) || !Double.isFinite(theta[a])) {
                throw new IllegalArgumentException("theta[" + a + "] must be positive and finite, got " + theta[a]);
            }
        }
        return theta.clone();
    }

    /** The length scales θ (a copy). */
    @Override
    public double[] theta() {
        return theta.clone();
    }

    @Override
    public Kernel withDelta(double newDelta) {
        return new SquaredExponentialKernel(newDelta, theta);
    }

    @Override
    public double value(double[] xs, int xOffset, double[] zs, int zOffset, int d) {
        checkDimension(d);
        double q = 0.0;
        for (int a = 0; a < d; a++) {
            double r = (xs[xOffset + a] - zs[zOffset + a]) / theta[a];
            q += r * r;
        }
        return delta * delta * Math.exp(-0.5 * q);
    }

    @Override
    public void gradient(double[] xs, int xOffset, double[] zs, int zOffset, int d, double[] out, int outOffset) {
        double k = value(xs, xOffset, zs, zOffset, d);
        for (int a = 0; a < d; a++) {
            out[outOffset + a] = -k * (xs[xOffset + a] - zs[zOffset + a]) / (theta[a] * theta[a]);
        }
    }

    @Override
    public double mixedSecond(double[] xs, int xOffset, double[] g, int gOffset,
                              double[] zs, int zOffset, double[] h, int hOffset, int d) {
        double k = value(xs, xOffset, zs, zOffset, d);
        double gh = 0.0;
        double gu = 0.0;
        double uh = 0.0;
        for (int a = 0; a < d; a++) {
            double t2 = theta[a] * theta[a];
            double u = (xs[xOffset + a] - zs[zOffset + a]) / t2;
            gh += g[gOffset + a] * h[hOffset + a] / t2;
            gu += g[gOffset + a] * u;
            uh += u * h[hOffset + a];
        }
        return k * (gh - gu * uh);
    }

    /** Uses |x − z|²_θ = |x|²_θ + |z|²_θ − 2 x·z/θ², the cross term as one matrix product. */
    @Override
    public void matrix(double[] x, int n, double[] z, int m, int d, double[] out) {
        checkDimension(d);
        double[] xs = scaled(x, 0, n, d, 1);
        double[] zs = scaled(z, 0, m, d, 1);
        NativeLinearAlgebra.multiplyTransposed(xs, n, zs, m, d, out);
        double[] xx = rowNorms(xs, n, d);
        double[] zz = rowNorms(zs, m, d);
        double d2 = delta * delta;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double q = Math.max(0.0, xx[i] + zz[j] - 2.0 * out[i * m + j]);
                out[i * m + j] = d2 * Math.exp(-0.5 * q);
            }
        }
    }

    /** The factor is k(x, z) itself. */
    @Override
    public void gradientFactors(double[] x, int n, double[] z, int m, int d, double[] kxz, double[] out) {
        System.arraycopy(kxz, 0, out, 0, n * m);
    }

    /** g·∂k/∂x = −k [(g/θ²)·x − (g/θ²)·z]: the second product is one matrix product over all terms. */
    @Override
    public void gradientMatrix(double[] x, int[] env, double[] g, int gOffset, int terms, double[] z, int m, int d,
                               double[] factors, double[] out) {
        checkDimension(d);
        double[] gs = scaled(g, gOffset, terms, d, 2);
        NativeLinearAlgebra.multiplyTransposed(gs, terms, z, m, d, out);
        for (int t = 0; t < terms; t++) {
            double gx = DotProductKernel.dot(gs, t * d, x, env[t] * d, d);
            int row = env[t] * m;
            for (int j = 0; j < m; j++) {
                out[t * m + j] = -factors[row + j] * (gx - out[t * m + j]);
            }
        }
    }

    /** Rows of {@code a} (from {@code offset}) divided component-wise by θ^power. */
    private double[] scaled(double[] a, int offset, int rows, int d, int power) {
        double[] s = new double[rows * d];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < d; c++) {
                s[i * d + c] = a[offset + i * d + c] / (power == 1 ? theta[c] : theta[c] * theta[c]);
            }
        }
        return s;
    }

    private static double[] rowNorms(double[] a, int rows, int d) {
        double[] norms = new double[rows];
        for (int i = 0; i < rows; i++) {
            norms[i] = DotProductKernel.dot(a, i * d, a, i * d, d);
        }
        return norms;
    }

    private void checkDimension(int d) {
        if (d != theta.length) {
            throw new IllegalArgumentException("descriptor dimension " + d + " but " + theta.length + " length scales");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SquaredExponentialKernel k && k.delta == delta && java.util.Arrays.equals(k.theta, theta);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(delta) + java.util.Arrays.hashCode(theta);
    }

    @Override
    public String toString() {
        return "SquaredExponentialKernel[delta=" + delta + ", theta=" + java.util.Arrays.toString(theta) + "]";
    }
}
