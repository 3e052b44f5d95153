package org.soapstone.engine.evaluator;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;

import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.QuipVariance;

/**
 * One GAP term's prediction for a block of descriptor instances at once (QUIP's {@code gpCoordinates_Predict}):
 * the kernel rows k(x_b, x_s) (eV², with the sparse cutoffs c_s), the local energies e_b = Σ_s α_s k(x_b, x_s) (eV,
 * before the instance's cutoff weight) and their gradients ∂e_b/∂x. Kernels as {@link GapTerm} defines them:
 * dot_product δ² (x·x_s)^ζ c_s, ard_se (δ² exp(−½|(x − x_s)/θ|²) + f0²) c_s, with the dot products or the
 * θ-scaled squared distances of a block against all sparse points computed together (BLAS-3 {@code dgemm} for the
 * products, {@link BlockedProducts} for the distances). Immutable and thread-safe; the per-block results live in a {@link Block}.
 */
final class TermKernel {
    private final boolean dotProduct;
    private final int m;
    private final int d;
    /** Sparse points row-major M × D; for ard_se divided by θ. */
    private final double[] sparse;
    private final double[] alpha;
    private final double[] sparseCutoff;
    private final double[] invTheta;
    private final double delta2;
    private final double f0sq;
    private final double zeta;
    private final int intZeta;

    /** Per-thread results of one block of instances, grown as needed (rarely: the largest block seen). */
    static final class Block {
        /** k(x_b, x_s) at b·M + s (eV²). */
        double[] k = new double[0];
        /** x_b·x_s (or squared distances), then the coefficients of ∂e_b/∂x at b·M + s. */
        double[] c = new double[0];
        /** ∂e_b/∂x at b·D + j (eV per descriptor unit). */
        double[] grad = new double[0];
        /** θ-scaled instance vectors (ard_se) at b·D + j. */
        double[] scaled = new double[0];
        /** e_b (eV). */
        double[] e = new double[0];

        private int rowCapacity;
        private int sparseCapacity;
        private int dimensionCapacity;

        /** Makes room for {@code count} instances of a term with m sparse points and dimension d. */
        void ensure(int count, int m, int d) {
            if (count <= rowCapacity && m <= sparseCapacity && d <= dimensionCapacity) {
                return;
            }
            rowCapacity = count <= rowCapacity ? rowCapacity : Math.max(count, 2 * rowCapacity);
            sparseCapacity = Math.max(m, sparseCapacity);
            dimensionCapacity = Math.max(d, dimensionCapacity);
            k = new double[rowCapacity * sparseCapacity];
            c = new double[rowCapacity * sparseCapacity];
            grad = new double[rowCapacity * dimensionCapacity];
            scaled = new double[rowCapacity * dimensionCapacity];
            e = new double[rowCapacity];
        }
    }

    static {
        org.bytedeco.openblas.presets.openblas.blas_set_num_threads(1);
    }

    TermKernel(GapTerm t) {
        dotProduct = t.covariance() == CovarianceType.DOT_PRODUCT;
        if (!dotProduct && t.covariance() != CovarianceType.ARD_SE) {
            throw new IllegalArgumentException("covariance " + t.covariance() + " is not supported");
        }
        m = t.sparseCount();
        d = t.dimension();
        sparse = t.kernelSparseX();
        alpha = t.alpha();
        sparseCutoff = t.sparseCutoff();
        delta2 = t.delta() * t.delta();
        f0sq = t.f0() * t.f0();
        zeta = t.zeta();
        intZeta = t.integerZeta();
        invTheta = t.inverseTheta();
    }

    int sparseCount() {
        return m;
    }

    int dimension() {
        return d;
    }

    /**
     * Predicts the first {@code nb} instances of the row-major instance vectors {@code x} (D each); the products
     * with the sparse points are BLAS-3 ({@code dgemm}).
     *
     * @param gradients whether to fill {@code block.grad}
     */
    void predict(double[] x, int nb, boolean gradients, Block block) {
        if (nb == 0) {
            return;
        }
        block.ensure(nb, m, d);
        double[] k = block.k;
        double[] c = block.c;
        double[] src = x;
        int off = 0;
        if (!dotProduct) {
            for (int b = 0; b < nb; b++) {
                for (int j = 0; j < d; j++) {
                    block.scaled[b * d + j] = x[off + b * d + j] * invTheta[j];
                }
            }
            src = block.scaled;
            off = 0;
        }
        if (dotProduct) {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nb, m, d, 1.0, src, d, sparse, d, 0.0, c, m);
        } else {
            BlockedProducts.squaredDistances(src, off, nb, d, sparse, m, c);
        }
        for (int b = 0; b < nb; b++) {
            double e = 0;
            int row = b * m;
            if (dotProduct) {
                for (int s = 0; s < m; s++) {
                    double dot = c[row + s];
                    double pm1 = QuipVariance.power(dot, zeta - 1, intZeta - 1);
                    double ks = delta2 * pm1 * dot * sparseCutoff[s];
                    k[row + s] = ks;
                    e += alpha[s] * ks;
                    c[row + s] = alpha[s] * delta2 * zeta * pm1 * sparseCutoff[s];
                }
            } else {
                for (int s = 0; s < m; s++) {
                    double ex = delta2 * Math.exp(-0.5 * c[row + s]);
                    double ks = (ex + f0sq) * sparseCutoff[s];
                    k[row + s] = ks;
                    e += alpha[s] * ks;
                    c[row + s] = alpha[s] * ex * sparseCutoff[s];
                }
            }
            block.e[b] = e;
        }
        if (!gradients) {
            return;
        }
        double[] g = block.grad;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nb, d, m, 1.0, c, m, sparse, d, 0.0, g, d);
        if (!dotProduct) {
            // ∂/∂x_j exp(−½Σ((s_j − x_j)/θ_j)²) = exp(…) (s_j/θ_j − x_j/θ_j)/θ_j
            for (int b = 0; b < nb; b++) {
                double cs = 0;
                for (int s = 0; s < m; s++) {
                    cs += c[b * m + s];
                }
                for (int j = 0; j < d; j++) {
                    g[b * d + j] = (g[b * d + j] - cs * src[off + b * d + j]) * invTheta[j];
                }
            }
        }
    }
}
