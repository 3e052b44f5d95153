package org.soapstone.engine.evaluator;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.PanelledRows;
import org.soapstone.engine.gap.PermutedPrediction;
import org.soapstone.engine.gap.SparseKernel;

/**
 * One GAP term's prediction for a block of descriptor instances at once (QUIP's {@code gpCoordinates_Predict}):
 * the kernel rows k(x_b, x_s) (eV², with the sparse cutoffs c_s), the local energies e_b = Σ_s α_s k(x_b, x_s) (eV,
 * before the instance's cutoff weight) and their gradients ∂e_b/∂x. Kernels as {@link GapTerm} defines them:
 * dot_product δ² (x·x_s)^ζ c_s, ard_se (δ² exp(−½|(x − x_s)/θ|²) + f0²) c_s, with the dot products or the
 * θ-scaled squared distances of a block against all sparse points computed together (register-tiled products with
 * the sparse points stored once in panels, {@link PanelledRows}, for x·x_s and for ∂e_b/∂x = Σ_s w_bs x_s;
 * {@link BlockedProducts} for the distances). Immutable and thread-safe; the per-block results live in a
 * {@link Block}.
 */
final class TermKernel {
    private static final VectorSpecies<Double> LANES = DoubleVector.SPECIES_PREFERRED;
    private static final int V = LANES.length();
    private final SparseKernel kernel;
    private final int m;
    private final int d;
    /** Sparse points row-major M × D; for ard_se divided by θ. */
    private final double[] sparse;
    /** The sparse points as the rows of x·x_s (dot_product), else null. */
    private final PanelledRows products;
    /** The sparse points' columns, as the rows of ∂e_b/∂x = Σ_s w_bs x_s. */
    private final PanelledRows gradients;
    /** The row stride of a block's x·x_s and w_bs: M padded to whole panels. */
    private final int ms;
    /** The row stride of a block's ∂e_b/∂x as the products give it: D padded to whole panels. */
    private final int ds;
    /** The prediction of a permutation-symmetrised ard_se term (distance_Nb), instance by instance; else null. */
    private final PermutedPrediction permuted;

    /** Per-thread results of one block of instances, grown as needed (rarely: the largest block seen). */
    static final class Block {
        /** k(x_b, x_s) at b·M + s (eV²). */
        double[] k = new double[0];
        /** Squared θ-scaled distances |x_b − x_s|² (ard_se) at b·M + s. */
        double[] c = new double[0];
        /** x_b·x_s (dot_product), then the coefficients w_bs of ∂e_b/∂x, at b·ms + s ({@code ms ≥ M}). */
        double[] coefficients = new double[0];
        /** ∂e_b/∂x as the products give it, at b·ds + j ({@code ds ≥ D}), before the copy into {@link #grad}. */
        double[] paddedGrad = new double[0];
        /** ∂e_b/∂x at b·D + j (eV per descriptor unit). */
        double[] grad = new double[0];
        /** θ-scaled instance vectors (ard_se) at b·D + j. */
        double[] scaled = new double[0];
        /** e_b (eV). */
        double[] e = new double[0];
        /** Scratch of a permutation-symmetrised term, 3·D. */
        double[] permutedScratch = new double[0];
        /** The lanes of a row's energy sum. */
        final double[] lanes = new double[V];

        private int rowCapacity;
        private int sparseCapacity;
        private int dimensionCapacity;

        /** Makes room for {@code count} instances of a term with m sparse points and dimension d (either padded to
         *  whole panels, {@link PanelledRows#paddedRows}). */
        void ensure(int count, int m, int d) {
            if (count <= rowCapacity && m <= sparseCapacity && d <= dimensionCapacity) {
                return;
            }
            rowCapacity = count <= rowCapacity ? rowCapacity : Math.max(count, 2 * rowCapacity);
            sparseCapacity = Math.max(m, sparseCapacity);
            dimensionCapacity = Math.max(d, dimensionCapacity);
            k = new double[rowCapacity * sparseCapacity];
            c = new double[rowCapacity * sparseCapacity];
            coefficients = new double[rowCapacity * sparseCapacity];
            paddedGrad = new double[rowCapacity * dimensionCapacity];
            grad = new double[rowCapacity * dimensionCapacity];
            scaled = new double[rowCapacity * dimensionCapacity];
            e = new double[rowCapacity];
            permutedScratch = new double[3 * dimensionCapacity];
        }
    }

    TermKernel(GapTerm t) {
        kernel = SparseKernel.of(t);
        m = kernel.sparseCount();
        d = kernel.dimension();
        sparse = kernel.sparse();
        products = kernel.dotProduct() ? new PanelledRows(sparse, m, d) : null;
        gradients = PanelledRows.ofTransposed(sparse, d, m);
        ms = products != null ? products.paddedRows() : m;
        ds = gradients.paddedRows();
        permuted = t.permuted() ? new PermutedPrediction(t) : null;
    }

    /** Makes room in {@code block} for {@code count} of this term's instances. */
    void ensure(Block block, int count) {
        block.ensure(count, ms, ds);
    }

    /**
     * One instance's dot_product row for an integer ζ, a vector of sparse points at a time: k_s and the gradient
     * weights w_s with the same bits as {@link SparseKernel#dotProductKernel} and
     * {@link SparseKernel#dotProductGradientWeight} (the same products in the same order), e = Σ_s α_s k_s summed
     * per lane, then the lanes and the last sparse points in order (no order left to the JIT).
     *
     * @param coefficients x·x_s at {@code row + s}, replaced by w_s
     * @param row the row's first index in {@code coefficients}
     * @param k where k_s goes (eV²), at {@code kRow + s}
     * @param lanes scratch, one vector
     * @return e (eV)
     */
    private double integerDotProductRow(double[] coefficients, int row, double[] k, int kRow, double[] lanes) {
        double[] alpha = kernel.alpha();
        double[] cutoff = kernel.sparseCutoff();
        double delta2 = kernel.delta2();
        double zeta = kernel.zeta();
        int p = kernel.integerZeta() - 1;
        DoubleVector sum = DoubleVector.zero(LANES);
        int s = 0;
        for (int bound = LANES.loopBound(m); s < bound; s += V) {
            DoubleVector dot = DoubleVector.fromArray(LANES, coefficients, row + s);
            DoubleVector pm1 = DoubleVector.broadcast(LANES, 1);
            for (int i = 0; i < p; i++) {
                pm1 = pm1.mul(dot);
            }
            DoubleVector c = DoubleVector.fromArray(LANES, cutoff, s);
            DoubleVector a = DoubleVector.fromArray(LANES, alpha, s);
            DoubleVector ks = pm1.mul(delta2).mul(dot).mul(c);
            ks.intoArray(k, kRow + s);
            sum = sum.add(a.mul(ks));
            a.mul(delta2).mul(zeta).mul(pm1).mul(c).intoArray(coefficients, row + s);
        }
        sum.intoArray(lanes, 0);
        double e = 0;
        for (double lane : lanes) {
            e += lane;
        }
        return dotProductRow(coefficients, row, s, k, kRow, e);
    }

    /**
     * One instance's dot_product row from sparse point {@code from} on, one sparse point at a time.
     *
     * @param coefficients x·x_s at {@code row + s}, replaced by w_s
     * @param k where k_s goes (eV²), at {@code kRow + s}
     * @param e the energy summed so far (eV)
     * @return e plus Σ_{s ≥ from} α_s k_s (eV)
     */
    private double dotProductRow(double[] coefficients, int row, int from, double[] k, int kRow, double e) {
        double[] alpha = kernel.alpha();
        for (int s = from; s < m; s++) {
            double dot = coefficients[row + s];
            double pm1 = kernel.powerMinusOne(dot);
            double ks = kernel.dotProductKernel(s, dot, pm1);
            k[kRow + s] = ks;
            e += alpha[s] * ks;
            coefficients[row + s] = kernel.dotProductGradientWeight(s, pm1);
        }
        return e;
    }

    /**
     * Predicts the first {@code nb} instances of the row-major instance vectors {@code x} (D each); the products
     * with the sparse points are register-tiled over the whole block ({@link PanelledRows}).
     *
     * @param gradients whether to fill {@code block.grad}
     */
    void predict(double[] x, int nb, boolean gradients, Block block) {
        if (nb == 0) {
            return;
        }
        ensure(block, nb);
        if (permuted != null) {
            for (int b = 0; b < nb; b++) {
                block.e[b] = permuted.predict(x, b * d, block.k, b * m, gradients ? block.grad : null, b * d,
                        block.permutedScratch);
            }
            return;
        }
        double[] k = block.k;
        double[] coefficients = block.coefficients;
        double[] alpha = kernel.alpha();
        double[] invTheta = kernel.inverseTheta();
        if (products != null) {
            products.multiply(x, 0, d, nb, coefficients, 0, ms);
        } else {
            for (int b = 0; b < nb; b++) {
                for (int j = 0; j < d; j++) {
                    block.scaled[b * d + j] = x[b * d + j] * invTheta[j];
                }
            }
            BlockedProducts.squaredDistances(block.scaled, 0, nb, d, sparse, m, block.c);
        }
        for (int b = 0; b < nb; b++) {
            double e = 0;
            int row = b * ms;
            if (products != null && kernel.integerZeta() > 0) {
                e = integerDotProductRow(coefficients, row, k, b * m, block.lanes);
            } else if (products != null) {
                e = dotProductRow(coefficients, row, 0, k, b * m, 0);
            } else {
                double[] c = block.c;
                for (int s = 0; s < m; s++) {
                    double ex = kernel.exponential(c[b * m + s]);
                    double ks = kernel.squaredExponentialKernel(s, ex);
                    k[b * m + s] = ks;
                    e += alpha[s] * ks;
                    coefficients[row + s] = kernel.squaredExponentialGradientWeight(s, ex);
                }
            }
            block.e[b] = e;
        }
        if (!gradients) {
            return;
        }
        double[] g = block.grad;
        this.gradients.multiply(coefficients, 0, ms, nb, block.paddedGrad, 0, ds);
        for (int b = 0; b < nb; b++) {
            System.arraycopy(block.paddedGrad, b * ds, g, b * d, d);
        }
        if (products == null) {
            for (int b = 0; b < nb; b++) {
                double cs = 0;
                for (int s = 0; s < m; s++) {
                    cs += coefficients[b * ms + s];
                }
                kernel.finishSquaredExponentialGradient(g, b * d, cs, block.scaled, b * d);
            }
        }
    }
}
