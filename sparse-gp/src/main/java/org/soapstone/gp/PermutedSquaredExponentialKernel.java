package org.soapstone.gp;

/**
 * A squared-exponential kernel made invariant under a group of permutations π_p of the descriptor components and
 * normalised, in eV² (GAP's ARD-SE covariance with {@code n_permutations} &gt; 1, {@code gpCoordinates_Covariance}
 * and {@code gpCoordinates_Predict} in {@code gp_predict.f95}):
 * <pre>  k(x, z) = δ² S(x, z) / √(S(x, x) S(z, z)),   S(x, z) = Σ_p exp(−½ Σ_c ((z_{π_p(c)} − x_c)/θ_c)²)</pre>
 * so k(x, x) = δ². The permutations must form a group (the identity among them) and θ must be invariant under it
 * (θ_{π(c)} = θ_c), which makes S symmetric.
 *
 * <p>Derivatives, with v_pc = (z_{π_p(c)} − x_c)/θ_c², e_p the terms of S, A = S(x, x), B = S(z, z) and N = (AB)^−½:
 * ∂S/∂x_c = Σ_p e_p v_pc; ∂k/∂x = δ² N (∂S/∂x − ½ S ∂A/∂x / A); the mixed second derivative follows from the
 * product rule (see {@link #mixedSecond}).
 *
 * @param delta signal standard deviation δ, eV (&gt; 0)
 * @param theta length scales θ_c in descriptor units, one per component (each &gt; 0)
 * @param permutations n_p rows of D entries: row p, entry c is π_p(c), the component permutation p moves to c
 */
public record PermutedSquaredExponentialKernel(double delta, double[] theta, int[][] permutations) implements Kernel {

    /** Validates and copies. */
    public PermutedSquaredExponentialKernel {
        theta = SquaredExponentialKernel.checked(delta, theta);
        if (permutations.length == 0) {
            throw new IllegalArgumentException("at least one permutation (the identity) is needed");
        }
        int[][] copy = new int[permutations.length][];
        for (int p = 0; p < copy.length; p++) {
            if (permutations[p].length != theta.length) {
                throw new IllegalArgumentException("permutation " + p + " has " + permutations[p].length
                        + " entries, the descriptor " + theta.length + " components");
            }
            copy[p] = permutations[p].clone();
        }
        permutations = copy;
    }

    @Override
    public double[] theta() {
        return theta.clone();
    }

    @Override
    public int[][] permutations() {
        int[][] copy = new int[permutations.length][];
        for (int p = 0; p < copy.length; p++) {
            copy[p] = permutations[p].clone();
        }
        return copy;
    }

    @Override
    public Kernel withDelta(double newDelta) {
        return new PermutedSquaredExponentialKernel(newDelta, theta, permutations);
    }

    /** e_p = exp(−½ Σ_c ((z_{π_p(c)} − x_c)/θ_c)²), the p-th term of S(x, z). */
    private double term(int p, double[] xs, int xo, double[] zs, int zo) {
        int[] pi = permutations[p];
        double q = 0;
        for (int c = 0; c < theta.length; c++) {
            double u = (zs[zo + pi[c]] - xs[xo + c]) / theta[c];
            q += u * u;
        }
        return Math.exp(-0.5 * q);
    }

    /** @return S(x, z) (dimensionless) */
    public double unnormalised(double[] xs, int xo, double[] zs, int zo) {
        double s = 0;
        for (int p = 0; p < permutations.length; p++) {
            s += term(p, xs, xo, zs, zo);
        }
        return s;
    }

    /** Adds ∂S(x, z)/∂x to {@code out} (from {@code oo}), scaled by {@code scale}; @return S(x, z) */
    private double addGradientS(double[] xs, int xo, double[] zs, int zo, double scale, double[] out, int oo) {
        double s = 0;
        for (int p = 0; p < permutations.length; p++) {
            int[] pi = permutations[p];
            double e = term(p, xs, xo, zs, zo);
            s += e;
            for (int c = 0; c < theta.length; c++) {
                out[oo + c] += scale * e * (zs[zo + pi[c]] - xs[xo + c]) / (theta[c] * theta[c]);
            }
        }
        return s;
    }

    /** Adds ∂S(x, x)/∂x to {@code out}, scaled by {@code scale}; @return S(x, x) */
    private double addGradientSelf(double[] xs, int xo, double scale, double[] out, int oo) {
        double s = 0;
        for (int p = 0; p < permutations.length; p++) {
            int[] pi = permutations[p];
            double e = term(p, xs, xo, xs, xo);
            s += e;
            for (int c = 0; c < theta.length; c++) {
                double w = scale * e * (xs[xo + pi[c]] - xs[xo + c]) / (theta[c] * theta[c]);
                out[oo + c] += w;
                out[oo + pi[c]] -= w;
            }
        }
        return s;
    }

    @Override
    public double value(double[] xs, int xOffset, double[] zs, int zOffset, int d) {
        checkDimension(d);
        double s = unnormalised(xs, xOffset, zs, zOffset);
        double a = unnormalised(xs, xOffset, xs, xOffset);
        double b = unnormalised(zs, zOffset, zs, zOffset);
        return delta * delta * s / Math.sqrt(a * b);
    }

    @Override
    public void gradient(double[] xs, int xOffset, double[] zs, int zOffset, int d, double[] out, int outOffset) {
        checkDimension(d);
        double[] sx = new double[d];
        double[] ax = new double[d];
        double s = addGradientS(xs, xOffset, zs, zOffset, 1, sx, 0);
        double a = addGradientSelf(xs, xOffset, 1, ax, 0);
        double b = unnormalised(zs, zOffset, zs, zOffset);
        double n = delta * delta / Math.sqrt(a * b);
        for (int c = 0; c < d; c++) {
            out[outOffset + c] = n * (sx[c] - 0.5 * s * ax[c] / a);
        }
    }

    /**
     * gᵀ(∂²k/∂x∂z)h = δ² N [gᵀS_xz h − ½ (g·A_x/A)(S_z·h) − ½ (g·S_x)(h·B_z/B) + ¼ S (g·A_x/A)(h·B_z/B)], with
     * gᵀS_xz h = Σ_p e_p [Σ_c g_c h_{π(c)}/θ_c² − (g·v_p)(Σ_c v_pc h_{π(c)})] and S_z·h = −Σ_p e_p Σ_c v_pc h_{π(c)}.
     */
    @Override
    public double mixedSecond(double[] xs, int xOffset, double[] g, int gOffset,
                              double[] zs, int zOffset, double[] h, int hOffset, int d) {
        checkDimension(d);
        double s = 0;
        double sxz = 0;
        double gsx = 0;
        double szh = 0;
        for (int p = 0; p < permutations.length; p++) {
            int[] pi = permutations[p];
            double e = term(p, xs, xOffset, zs, zOffset);
            double gh = 0;
            double gv = 0;
            double vh = 0;
            for (int c = 0; c < d; c++) {
                double t2 = theta[c] * theta[c];
                double v = (zs[zOffset + pi[c]] - xs[xOffset + c]) / t2;
                double hc = h[hOffset + pi[c]];
                gh += g[gOffset + c] * hc / t2;
                gv += g[gOffset + c] * v;
                vh += v * hc;
            }
            s += e;
            sxz += e * (gh - gv * vh);
            gsx += e * gv;
            szh -= e * vh;
        }
        double[] ax = new double[d];
        double[] bz = new double[d];
        double a = addGradientSelf(xs, xOffset, 1, ax, 0);
        double b = addGradientSelf(zs, zOffset, 1, bz, 0);
        double gax = 0;
        double hbz = 0;
        for (int c = 0; c < d; c++) {
            gax += g[gOffset + c] * ax[c];
            hbz += h[hOffset + c] * bz[c];
        }
        gax /= a;
        hbz /= b;
        double n = delta * delta / Math.sqrt(a * b);
        return n * (sxz - 0.5 * gax * szh - 0.5 * gsx * hbz + 0.25 * s * gax * hbz);
    }

    @Override
    public void matrix(double[] x, int n, double[] z, int m, int d, double[] out) {
        checkDimension(d);
        double[] selfZ = new double[m];
        for (int j = 0; j < m; j++) {
            selfZ[j] = unnormalised(z, j * d, z, j * d);
        }
        double d2 = delta * delta;
        for (int i = 0; i < n; i++) {
            double a = unnormalised(x, i * d, x, i * d);
            for (int j = 0; j < m; j++) {
                out[i * m + j] = d2 * unnormalised(x, i * d, z, j * d) / Math.sqrt(a * selfZ[j]);
            }
        }
    }

    /** No per-pair factor is needed: {@link #gradientMatrix} evaluates the gradient itself. */
    @Override
    public void gradientFactors(double[] x, int n, double[] z, int m, int d, double[] kxz, double[] out) {
        System.arraycopy(kxz, 0, out, 0, n * m);
    }

    /**
     * {@inheritDoc} S(z, z) once per sparse point and S(x, x) with its gradient once per run of directions at the
     * same environment; then one pass over the permutations per (direction, sparse point).
     */
    @Override
    public void gradientMatrix(double[] x, int[] env, double[] g, int gOffset, int terms, double[] z, int m, int d,
                               double[] factors, double[] out) {
        checkDimension(d);
        double[] selfZ = new double[m];
        for (int j = 0; j < m; j++) {
            selfZ[j] = unnormalised(z, j * d, z, j * d);
        }
        double[] ax = new double[d];
        double[] sx = new double[d];
        double a = 0;
        int last = -1;
        double d2 = delta * delta;
        for (int t = 0; t < terms; t++) {
            int xo = env[t] * d;
            if (env[t] != last) {
                java.util.Arrays.fill(ax, 0);
                a = addGradientSelf(x, xo, 1, ax, 0);
                last = env[t];
            }
            for (int j = 0; j < m; j++) {
                java.util.Arrays.fill(sx, 0);
                double sv = addGradientS(x, xo, z, j * d, 1, sx, 0);
                double n = d2 / Math.sqrt(a * selfZ[j]);
                double dot = 0;
                for (int c = 0; c < d; c++) {
                    dot += g[gOffset + t * d + c] * (sx[c] - 0.5 * sv * ax[c] / a);
                }
                out[t * m + j] = n * dot;
            }
        }
    }

    private void checkDimension(int d) {
        if (d != theta.length) {
            throw new IllegalArgumentException("descriptor dimension " + d + " but " + theta.length + " length scales");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PermutedSquaredExponentialKernel k && k.delta == delta
                && java.util.Arrays.equals(k.theta, theta) && java.util.Arrays.deepEquals(k.permutations, permutations);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(delta) + java.util.Arrays.hashCode(theta);
    }

    @Override
    public String toString() {
        return "PermutedSquaredExponentialKernel[delta=" + delta + ", theta=" + java.util.Arrays.toString(theta)
                + ", permutations=" + permutations.length + "]";
    }
}
