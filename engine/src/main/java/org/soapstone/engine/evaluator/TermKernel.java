package org.soapstone.engine.evaluator;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.PermutedPrediction;
import org.soapstone.engine.gap.SparseKernel;
import org.soapstone.gp.NativeDoubles;

/**
 * One GAP term's prediction for a block of descriptor instances at once (QUIP's {@code gpCoordinates_Predict}):
 * the kernel rows k(x_b, x_s) (eV², with the sparse cutoffs c_s), the local energies e_b = Σ_s α_s k(x_b, x_s) (eV,
 * before the instance's cutoff weight) and their gradients ∂e_b/∂x. Kernels as {@link GapTerm} defines them:
 * dot_product δ² (x·x_s)^ζ c_s, ard_se (δ² exp(−½|(x − x_s)/θ|²) + f0²) c_s, with the dot products or the
 * θ-scaled squared distances of a block against all sparse points computed together (BLAS-3 {@code dgemm} for the
 * products, {@link BlockedProducts} for the distances). The BLAS operands — the sparse points and a block's
 * instances, coefficients and gradients — are in native memory ({@link NativeDoubles}), so no call copies them.
 * Immutable and thread-safe; the per-block results live in a {@link Block}.
 */
final class TermKernel {
    private static final VectorSpecies<Double> LANES = DoubleVector.SPECIES_PREFERRED;
    private static final int V = LANES.length();
    private final SparseKernel kernel;
    private final int m;
    private final int d;
    /** Sparse points row-major M × D; for ard_se divided by θ. */
    private final double[] sparse;
    /** The same in native memory, for BLAS. */
    private final NativeDoubles nativeSparse;
    /** The prediction of a permutation-symmetrised ard_se term (distance_Nb), instance by instance; else null. */
    private final PermutedPrediction permuted;

    /** Per-thread results of one block of instances, grown as needed (rarely: the largest block seen). */
    static final class Block {
        /** k(x_b, x_s) at b·M + s (eV²). */
        double[] k = new double[0];
        /** Squared θ-scaled distances |x_b − x_s|² (ard_se) at b·M + s. */
        double[] c = new double[0];
        /** The instance vectors x_b at b·D + j (dot_product), for BLAS. */
        NativeDoubles x = new NativeDoubles(0);
        /** x_b·x_s (dot_product), then the coefficients of ∂e_b/∂x, at b·M + s. */
        NativeDoubles coefficients = new NativeDoubles(0);
        /** ∂e_b/∂x as BLAS gives it, before the copy into {@link #grad}. */
        NativeDoubles nativeGrad = new NativeDoubles(0);
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
            x = new NativeDoubles((long) rowCapacity * dimensionCapacity);
            coefficients = new NativeDoubles((long) rowCapacity * sparseCapacity);
            nativeGrad = new NativeDoubles((long) rowCapacity * dimensionCapacity);
            grad = new double[rowCapacity * dimensionCapacity];
            scaled = new double[rowCapacity * dimensionCapacity];
            e = new double[rowCapacity];
            permutedScratch = new double[3 * dimensionCapacity];
        }
    }

    static {
        org.bytedeco.openblas.presets.openblas.blas_set_num_threads(1);
    }

    TermKernel(GapTerm t) {
        kernel = SparseKernel.of(t);
        m = kernel.sparseCount();
        d = kernel.dimension();
        sparse = kernel.sparse();
        nativeSparse = NativeDoubles.of(sparse);
        permuted = t.permuted() ? new PermutedPrediction(t) : null;
    }

    int sparseCount() {
        return m;
    }

    int dimension() {
        return d;
    }

    /**
     * One instance's dot_product row for an integer ζ, a vector of sparse points at a time: k_s and the gradient
     * weights w_s with the same bits as {@link SparseKernel#dotProductKernel} and
     * {@link SparseKernel#dotProductGradientWeight} (the same products in the same order), e = Σ_s α_s k_s summed
     * per lane, then the lanes and the last sparse points in order (no order left to the JIT).
     *
     * @param coefficients x·x_s at {@code row + s}, replaced by w_s
     * @param row the row's first index
     * @param k where k_s goes (eV²), at {@code row + s}
     * @param lanes scratch, one vector
     * @return e (eV)
     */
    private double integerDotProductRow(MemorySegment coefficients, int row, double[] k, double[] lanes) {
        double[] alpha = kernel.alpha();
        double[] cutoff = kernel.sparseCutoff();
        double delta2 = kernel.delta2();
        double zeta = kernel.zeta();
        int p = kernel.integerZeta() - 1;
        DoubleVector sum = DoubleVector.zero(LANES);
        int s = 0;
        for (int bound = LANES.loopBound(m); s < bound; s += V) {
            long at = 8L * (row + s);
            DoubleVector dot = DoubleVector.fromMemorySegment(LANES, coefficients, at, ByteOrder.nativeOrder());
            DoubleVector pm1 = DoubleVector.broadcast(LANES, 1);
            for (int i = 0; i < p; i++) {
                pm1 = pm1.mul(dot);
            }
            DoubleVector c = DoubleVector.fromArray(LANES, cutoff, s);
            DoubleVector a = DoubleVector.fromArray(LANES, alpha, s);
            DoubleVector ks = pm1.mul(delta2).mul(dot).mul(c);
            ks.intoArray(k, row + s);
            sum = sum.add(a.mul(ks));
            a.mul(delta2).mul(zeta).mul(pm1).mul(c).intoMemorySegment(coefficients, at, ByteOrder.nativeOrder());
        }
        sum.intoArray(lanes, 0);
        double e = 0;
        for (double lane : lanes) {
            e += lane;
        }
        return dotProductRow(coefficients, row, s, k, e);
    }

    /**
     * One instance's dot_product row from sparse point {@code from} on, one sparse point at a time.
     *
     * @param coefficients x·x_s at {@code row + s}, replaced by w_s
     * @param k where k_s goes (eV²), at {@code row + s}
     * @param e the energy summed so far (eV)
     * @return e plus Σ_{s ≥ from} α_s k_s (eV)
     */
    private double dotProductRow(MemorySegment coefficients, int row, int from, double[] k, double e) {
        double[] alpha = kernel.alpha();
        for (int s = from; s < m; s++) {
            double dot = coefficients.getAtIndex(JAVA_DOUBLE, row + s);
            double pm1 = kernel.powerMinusOne(dot);
            double ks = kernel.dotProductKernel(s, dot, pm1);
            k[row + s] = ks;
            e += alpha[s] * ks;
            coefficients.setAtIndex(JAVA_DOUBLE, row + s, kernel.dotProductGradientWeight(s, pm1));
        }
        return e;
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
        if (permuted != null) {
            for (int b = 0; b < nb; b++) {
                block.e[b] = permuted.predict(x, b * d, block.k, b * m, gradients ? block.grad : null, b * d,
                        block.permutedScratch);
            }
            return;
        }
        double[] k = block.k;
        MemorySegment coefficients = block.coefficients.segment;
        boolean dotProduct = kernel.dotProduct();
        double[] alpha = kernel.alpha();
        double[] invTheta = kernel.inverseTheta();
        if (dotProduct) {
            MemorySegment.copy(x, 0, block.x.segment, JAVA_DOUBLE, 0, nb * d);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nb, m, d, 1.0, block.x.pointer, d,
                    nativeSparse.pointer, d, 0.0, block.coefficients.pointer, m);
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
            int row = b * m;
            if (dotProduct && kernel.integerZeta() > 0) {
                e = integerDotProductRow(coefficients, row, k, block.lanes);
            } else if (dotProduct) {
                e = dotProductRow(coefficients, row, 0, k, 0);
            } else {
                double[] c = block.c;
                for (int s = 0; s < m; s++) {
                    double ex = kernel.exponential(c[row + s]);
                    double ks = kernel.squaredExponentialKernel(s, ex);
                    k[row + s] = ks;
                    e += alpha[s] * ks;
                    coefficients.setAtIndex(JAVA_DOUBLE, row + s, kernel.squaredExponentialGradientWeight(s, ex));
                }
            }
            block.e[b] = e;
        }
        if (!gradients) {
            return;
        }
        double[] g = block.grad;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nb, d, m, 1.0, block.coefficients.pointer, m,
                nativeSparse.pointer, d, 0.0, block.nativeGrad.pointer, d);
        MemorySegment.copy(block.nativeGrad.segment, JAVA_DOUBLE, 0, g, 0, nb * d);
        if (!dotProduct) {
            for (int b = 0; b < nb; b++) {
                double cs = 0;
                for (int s = 0; s < m; s++) {
                    cs += coefficients.getAtIndex(JAVA_DOUBLE, b * m + s);
                }
                kernel.finishSquaredExponentialGradient(g, b * d, cs, block.scaled, b * d);
            }
        }
    }
}
