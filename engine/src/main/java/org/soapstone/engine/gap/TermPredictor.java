package org.soapstone.engine.gap;

import org.soapstone.gp.NotPositiveDefiniteException;
import org.soapstone.gp.TriangularFactor;

/**
 * The prediction of one {@link GapTerm} for one descriptor instance, in QUIP's conventions
 * ({@code gpCoordinates_Predict}): the local energy Σ_s α_s k(x, x_s) (eV, before the instance's cutoff weight),
 * its gradient with respect to x, and QUIP's variance estimate
 * σ²(x) = δ² + f0² + r² − kᵀ (K_MM + r² I)⁻¹ k ({@code gpCoordinates_initialise_variance_estimate}: K_MM is
 * δ² (X Xᵀ)^ζ + f0² for dot_product — without the sparse cutoffs — and, for ard_se, δ² c_i c_j exp(−½|…|²) + f0²
 * with c_i² on the diagonal; r is {@code gap_variance_regularisation}). Thread-safe; the per-call scratch is a
 * {@link Scratch}.
 */
final class TermPredictor {
    /** QUIP's default {@code gap_variance_regularisation} (eV). */
    static final double VARIANCE_REGULARISATION = QuipVariance.REGULARISATION;

    private final GapTerm term;
    private final SparseKernel kernel;
    private final int m;
    private final int d;
    /** Sparse points row-major M × D; for ard_se divided by θ. */
    private final double[] sparse;
    /** The prediction of a permutation-symmetrised ard_se term (distance_Nb), else null. */
    private final PermutedPrediction permuted;
    private volatile TriangularFactor varianceFactor;

    /** Per-thread scratch, sized for the largest term of a model. */
    static final class Scratch {
        final double[] k;
        final double[] c;
        final double[] xTheta;

        Scratch(int maxSparse, int maxDimension) {
            k = new double[maxSparse];
            c = new double[maxSparse];
            xTheta = new double[3 * maxDimension];
        }
    }

    TermPredictor(GapTerm t) {
        term = t;
        kernel = SparseKernel.of(t);
        m = kernel.sparseCount();
        d = kernel.dimension();
        sparse = kernel.sparse();
        permuted = t.permuted() ? new PermutedPrediction(t) : null;
    }

    int sparseCount() {
        return m;
    }

    int dimension() {
        return d;
    }

    /**
     * @param x the instance vectors (row-major)
     * @param offset where this instance's D values start
     * @param grad if non-null, receives ∂e/∂x (D values)
     * @param scratch this thread's scratch; afterwards {@code scratch.k} holds k(x, x_s) for the variance
     * @return e(x) (eV)
     */
    double predict(double[] x, int offset, double[] grad, Scratch scratch) {
        if (permuted != null) {
            return permuted.predict(x, offset, scratch.k, 0, grad, 0, scratch.xTheta);
        }
        double[] k = scratch.k;
        double[] c = scratch.c;
        double e = 0;
        double[] alpha = kernel.alpha();
        if (kernel.dotProduct()) {
            dots(x, offset, c);
            for (int s = 0; s < m; s++) {
                double dot = c[s];
                double pm1 = kernel.powerMinusOne(dot);
                k[s] = kernel.dotProductKernel(s, dot, pm1);
                e += alpha[s] * k[s];
                c[s] = kernel.dotProductGradientWeight(s, pm1);
            }
        } else {
            double[] xt = scratch.xTheta;
            double[] invTheta = kernel.inverseTheta();
            for (int j = 0; j < d; j++) {
                xt[j] = x[offset + j] * invTheta[j];
            }
            for (int s = 0; s < m; s++) {
                double q = 0;
                int row = s * d;
                for (int j = 0; j < d; j++) {
                    double u = sparse[row + j] - xt[j];
                    q += u * u;
                }
                double ex = kernel.exponential(q);
                k[s] = kernel.squaredExponentialKernel(s, ex);
                e += alpha[s] * k[s];
                c[s] = kernel.squaredExponentialGradientWeight(s, ex);
            }
        }
        if (grad != null) {
            java.util.Arrays.fill(grad, 0, d, 0);
            for (int s = 0; s < m; s++) {
                double w = c[s];
                int row = s * d;
                for (int j = 0; j < d; j++) {
                    grad[j] += w * sparse[row + j];
                }
            }
            if (!kernel.dotProduct()) {
                double cs = 0;
                for (int s = 0; s < m; s++) {
                    cs += c[s];
                }
                kernel.finishSquaredExponentialGradient(grad, 0, cs, scratch.xTheta, 0);
            }
        }
        return e;
    }

    /**
     * out[s] = x·x_s for every sparse point: the row of the matrix product (instances × sparse points), four
     * sparse points at a time so that the four sums are independent chains (the JIT does not vectorise a single
     * floating-point reduction).
     */
    private void dots(double[] x, int offset, double[] out) {
        int s = 0;
        for (; s + 4 <= m; s += 4) {
            int r0 = s * d, r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (int j = 0; j < d; j++) {
                double xj = x[offset + j];
                a0 += xj * sparse[r0 + j];
                a1 += xj * sparse[r1 + j];
                a2 += xj * sparse[r2 + j];
                a3 += xj * sparse[r3 + j];
            }
            out[s] = a0;
            out[s + 1] = a1;
            out[s + 2] = a2;
            out[s + 3] = a3;
        }
        for (; s < m; s++) {
            double a = 0;
            int row = s * d;
            for (int j = 0; j < d; j++) {
                a += x[offset + j] * sparse[row + j];
            }
            out[s] = a;
        }
    }

    /**
     * QUIP's variance estimate of the last {@link #predict} with this scratch (before the instance's cutoff weight).
     *
     * @return σ²(x) (eV²)
     */
    double variance(Scratch scratch) {
        double[] y = scratch.c;
        // kᵀ (UᵀU)⁻¹ k = ‖y‖² with Uᵀ y = k
        varianceFactor().solveTransposed(scratch.k, y);
        double yy = 0;
        for (int i = 0; i < m; i++) {
            yy += y[i] * y[i];
        }
        double r2 = VARIANCE_REGULARISATION * VARIANCE_REGULARISATION;
        return kernel.delta2() + kernel.f0sq() + r2 - yy;
    }

    private TriangularFactor varianceFactor() {
        TriangularFactor u = varianceFactor;
        if (u == null) {
            synchronized (this) {
                u = varianceFactor;
                if (u == null) {
                    u = choleskyOfSparseCovariance();
                    varianceFactor = u;
                }
            }
        }
        return u;
    }

    private TriangularFactor choleskyOfSparseCovariance() {
        try {
            return TriangularFactor.cholesky(QuipVariance.sparseCovariance(term), m, 0);
        } catch (NotPositiveDefiniteException e) {
            throw new IllegalStateException("the sparse-point covariance K_MM + r²I of a GAP term is not positive "
                    + "definite; the variance estimate is undefined", e);
        }
    }

}
