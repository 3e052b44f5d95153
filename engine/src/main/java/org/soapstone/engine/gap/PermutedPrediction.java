package org.soapstone.engine.gap;

/**
 * The prediction of a {@link GapTerm} whose ard_se kernel is symmetrised over permutations of the descriptor
 * components (distance_Nb), as QUIP's {@code gpCoordinates_Predict} computes it for {@code n_permutations} &gt; 1:
 * with x̃ = x/θ and z̃_{s,p} = x_s∘π_p/θ,
 * <pre>  k_s(x) = (δ² Σ_p exp(−½|z̃_{s,p} − x̃|²) / √(C_s C(x)) + f0²) c_s,   C(x) = Σ_p exp(−½|x̃∘π_p − x̃|²)</pre>
 * (C_s the same for the sparse point, precomputed), the local energy e = Σ_s α_s k_s (eV, before the instance's
 * cutoff weight) and ∂e/∂x. Immutable and thread-safe.
 */
public final class PermutedPrediction {
    private final int m;
    private final int d;
    private final int[][] permutations;
    private final double[] theta;
    /** z̃_{s,p} at (s·n_p + p)·D. */
    private final double[] permutedSparse;
    private final double[] sparseSelf;
    private final double[] alpha;
    private final double[] sparseCutoff;
    private final double delta2;
    private final double f0sq;

    /** @param t a term with ard_se covariance */
    public PermutedPrediction(GapTerm t) {
        m = t.sparseCount();
        d = t.dimension();
        permutations = t.permutations();
        theta = t.theta();
        alpha = t.alpha();
        sparseCutoff = t.sparseCutoff();
        delta2 = t.delta() * t.delta();
        f0sq = t.f0() * t.f0();
        int np = permutations.length;
        double[] x = t.sparseX();
        permutedSparse = new double[m * np * d];
        sparseSelf = new double[m];
        for (int s = 0; s < m; s++) {
            for (int p = 0; p < np; p++) {
                for (int c = 0; c < d; c++) {
                    permutedSparse[(s * np + p) * d + c] = x[s * d + permutations[p][c]] / theta[c];
                }
            }
            double self = 0;
            for (int p = 0; p < np; p++) {
                double q = 0;
                for (int c = 0; c < d; c++) {
                    double u = permutedSparse[(s * np + p) * d + c] - x[s * d + c] / theta[c];
                    q += u * u;
                }
                self += Math.exp(-0.5 * q);
            }
            sparseSelf[s] = self;
        }
    }

    /** @return M */
    public int sparseCount() {
        return m;
    }

    /** @return D */
    public int dimension() {
        return d;
    }

    /**
     * @param x the instance vectors
     * @param xo where this instance's D values start
     * @param k receives k_s(x) (eV², with f0² and c_s) at {@code ko + s}
     * @param ko offset into k
     * @param grad if non-null, receives ∂e/∂x at {@code go .. go + D}
     * @param go offset into grad
     * @param scratch at least 3·D doubles
     * @return e(x) (eV)
     */
    public double predict(double[] x, int xo, double[] k, int ko, double[] grad, int go, double[] scratch) {
        int np = permutations.length;
        double[] xt = scratch;
        int gc = d;
        int gs = 2 * d;
        for (int c = 0; c < d; c++) {
            xt[c] = x[xo + c] / theta[c];
            scratch[gc + c] = 0;
        }
        double self = 0;
        for (int[] pi : permutations) {
            double q = 0;
            for (int c = 0; c < d; c++) {
                double u = xt[pi[c]] - xt[c];
                q += u * u;
            }
            double e = Math.exp(-0.5 * q);
            self += e;
            if (grad != null) {
                for (int c = 0; c < d; c++) {
                    double w = e * (xt[pi[c]] - xt[c]) / theta[c];
                    scratch[gc + c] += w;
                    scratch[gc + pi[c]] -= w;
                }
            }
        }
        if (grad != null) {
            java.util.Arrays.fill(grad, go, go + d, 0);
        }
        double energy = 0;
        for (int s = 0; s < m; s++) {
            double ks = 0;
            if (grad != null) {
                java.util.Arrays.fill(scratch, gs, gs + d, 0);
            }
            for (int p = 0; p < np; p++) {
                int row = (s * np + p) * d;
                double q = 0;
                for (int c = 0; c < d; c++) {
                    double u = permutedSparse[row + c] - xt[c];
                    q += u * u;
                }
                double e = delta2 * Math.exp(-0.5 * q);
                ks += e;
                if (grad != null) {
                    for (int c = 0; c < d; c++) {
                        scratch[gs + c] += e * (permutedSparse[row + c] - xt[c]) / theta[c];
                    }
                }
            }
            double norm = Math.sqrt(sparseSelf[s] * self);
            double cs = sparseCutoff[s];
            if (grad != null) {
                double a = alpha[s] * cs;
                for (int c = 0; c < d; c++) {
                    double g = scratch[gs + c] / norm - 0.5 * scratch[gc + c] * ks / norm / self;
                    grad[go + c] += a * g;
                }
            }
            double kv = (ks / norm + f0sq) * cs;
            k[ko + s] = kv;
            energy += alpha[s] * kv;
        }
        return energy;
    }
}
