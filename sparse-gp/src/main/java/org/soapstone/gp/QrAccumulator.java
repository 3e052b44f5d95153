package org.soapstone.gp;

/**
 * Streamed (tall-skinny) QR of the stacked projected-process system
 * <pre>  A = [Λ^{-1/2} K_NM | Λ^{-1/2} y ;  U | 0 ],   K_MM + jitter·I = Uᵀ U,</pre>
 * kept as the upper-triangular (M+1)×(M+1) factor R̃ = [R c; 0 ρ] of A: R is the triangular factor of the least-squares
 * problem min ||Λ^{-1/2}(y − K_NM α)||² + αᵀ K_MM α, c = (Qᵀb)_{1..M} and ρ² = yᵀ(Q_NN + Λ)⁻¹ y the residual. Memory is
 * O(M²) whatever the number of observations.
 *
 * <p>It is a monoid, ready for a distributed reduction (a TSQR tree): {@link #add} folds a block of rows in with
 * LAPACK's triangular-pentagonal QR ({@code dtpqrt}, 2·rows·M² flops, no re-factorisation), {@link #merge} folds in
 * another accumulator's R̃ (QR of [R̃₁; R̃₂]). Blocks and merges may come in any order; R̃ is unique up to the signs
 * of its rows, so α, variances and the likelihood do not depend on the order. The prior rows U enter exactly once,
 * from the accumulator made by {@link #prior}; the others start {@link #empty}.
 *
 * <p>Incremental learning: new observations are one more {@link #add}. New sparse points (M → M + m) border the
 * system: append m zero columns to R̃ (R̃ stays triangular after moving the target column last), then fold in the
 * rows [Λ^{-1/2} K_{N,new}] of <em>all</em> N observations for the new columns — so the old observations must
 * be replayed, or their whitened rows K_{N,new} kept — together with the new prior rows [0 | U₂₂] from the
 * bordered Cholesky factor U₁₂ = U₁₁^{-ᵀ} K_{old,new}, U₂₂ᵀU₂₂ = K_new,new − U₁₂ᵀU₁₂: {@link SparsePointBorder}.
 *
 * <p>Not thread-safe; use one accumulator per thread and merge. Serializable (primitive state only), so it can be
 * a Spark aggregate.
 *
 * <p>Reference: Demmel, Grigori, Hoemmen, Langou, SIAM J. Sci. Comput. 34, A206 (2012) (TSQR); Deringer et al.,
 * Chem. Rev. 121, 10073 (2021) (QR solution of the sparse GP).
 */
public final class QrAccumulator implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final int m;
    private final int n;
    /** R̃, column-major (M+1)×(M+1), upper triangular. */
    private final double[] r;
    private long rows;
    private double logSigmaSum;
    private int priors;

    private QrAccumulator(int m) {
        if (m < 1) {
            throw new IllegalArgumentException("need at least one sparse point, got " + m);
        }
        this.m = m;
        this.n = m + 1;
        this.r = new double[n * n];
    }

    /** An accumulator with no rows yet (a zero R̃), for blocks of observations. */
    public static QrAccumulator empty(int sparseCount) {
        return new QrAccumulator(sparseCount);
    }

    /**
     * An accumulator holding the prior rows [U | 0], U the upper Cholesky factor of K_MM + jitter·I.
     *
     * @param upperCholesky U (eV); its order is M, the number of sparse points
     */
    public static QrAccumulator prior(TriangularFactor upperCholesky) {
        int m = upperCholesky.size();
        QrAccumulator acc = new QrAccumulator(m);
        for (int j = 0; j < m; j++) {
            for (int i = 0; i <= j; i++) {
                acc.r[i + j * acc.n] = upperCholesky.get(i, j);
            }
        }
        acc.priors = 1;
        return acc;
    }

    /**
     * An accumulator restored from its saved state (a model file): R̃ and the sums of {@link #rows},
     * {@link #logSigmaSum} and {@link #priorCount}.
     *
     * @param augmentedFactor R̃, column-major (M+1)×(M+1) upper triangular, as {@link #augmentedFactor()} gave it
     */
    public static QrAccumulator restore(int sparseCount, double[] augmentedFactor, long rows, double logSigmaSum,
                                        int priorCount) {
        QrAccumulator acc = new QrAccumulator(sparseCount);
        if (augmentedFactor.length != acc.r.length) {
            throw new IllegalArgumentException("R~ must be " + acc.n + " x " + acc.n + ", got " + augmentedFactor.length
                    + " numbers");
        }
        for (int j = 0; j < acc.n; j++) {
            for (int i = 0; i < acc.n; i++) {
                double v = augmentedFactor[i + j * acc.n];
                if (i > j && v != 0.0) {
                    throw new IllegalArgumentException("R~ is not upper triangular at (" + i + ", " + j + ")");
                }
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("R~ has a non-finite entry at (" + i + ", " + j + ")");
                }
            }
        }
        if (rows < 0 || priorCount < 0 || !Double.isFinite(logSigmaSum)) {
            throw new IllegalArgumentException("invalid accumulator sums: rows " + rows + ", priors " + priorCount
                    + ", log sigma sum " + logSigmaSum);
        }
        System.arraycopy(augmentedFactor, 0, acc.r, 0, acc.r.length);
        acc.rows = rows;
        acc.logSigmaSum = logSigmaSum;
        acc.priors = priorCount;
        return acc;
    }

    /** Folds a block of whitened rows into R̃. The block's matrix is overwritten. */
    public void add(DesignBlock block) {
        if (block.sparseCount() != m) {
            throw new IllegalArgumentException("block has " + block.sparseCount() + " sparse columns, accumulator " + m);
        }
        NativeLinearAlgebra.stackedQr(r, n, block.matrix(), block.rows(), 0);
        rows += block.rows();
        logSigmaSum += block.logSigmaSum();
    }

    /** Folds another accumulator in (QR of [R̃; R̃_other]); {@code other} is unchanged. */
    public void merge(QrAccumulator other) {
        if (other.m != m) {
            throw new IllegalArgumentException("cannot merge accumulators of " + m + " and " + other.m + " sparse points");
        }
        NativeLinearAlgebra.stackedQr(r, n, other.r.clone(), n, n);
        rows += other.rows;
        logSigmaSum += other.logSigmaSum;
        priors += other.priors;
    }

    /**
     * The same fit with its sparse columns renamed: column j of the result is column {@code order[j]} of this one
     * (the target column stays last). The projected-process least-squares problem is unchanged but for the order of
     * its unknowns, so R̃P is re-triangularised by one QR of (M+1)×(M+1) (about 2·M³ flops, independent of the
     * number of observations); the prior rows follow as UP, a square root of PᵀK_MM P. Lets an incremental fit that
     * bordered new sparse points of one term at the end move them into that term's block.
     *
     * @param order a permutation of 0 … M−1
     * @throws IllegalArgumentException if it is not one
     */
    public QrAccumulator permuted(int[] order) {
        if (order.length != m) {
            throw new IllegalArgumentException("a column order for " + m + " sparse points has " + m + " entries, got "
                    + order.length);
        }
        return columns(order);
    }

    /**
     * The fit over a subset of its sparse points, the same rows: column j of the result is column {@code keep[j]} of
     * this one (the target column stays last). R̃ restricted to those columns has the Gram of the rows restricted to
     * them ([A b]ᵀ[A b] on the kept columns; the prior rows U give (UᵀU) on them, K_SS + jitter·I), so one QR of the
     * (M+1) × (k+1) selection re-triangularises it: the fit with sparse set S on the same data, without the data
     * (about 2·M·k² flops). Lets a cross-validation leave a held-out frame's own sparse points out of its fold's fit.
     *
     * @param keep distinct columns, 0 … M−1, in the order wanted (at least one)
     * @return the accumulator over {@code keep.length} sparse points
     * @throws IllegalArgumentException if a column is out of range or repeated
     */
    public QrAccumulator columns(int[] keep) {
        int k = keep.length;
        boolean[] seen = new boolean[m];
        int kn = k + 1;
        double[] b = new double[n * kn];
        for (int j = 0; j < k; j++) {
            int from = keep[j];
            if (from < 0 || from >= m || seen[from]) {
                throw new IllegalArgumentException("columns must be distinct, 0.." + (m - 1) + ": column " + from
                        + " at position " + j);
            }
            seen[from] = true;
            System.arraycopy(r, from * n, b, j * n, n);
        }
        System.arraycopy(r, m * n, b, k * n, n);
        QrAccumulator acc = new QrAccumulator(k);
        NativeLinearAlgebra.stackedQr(acc.r, kn, b, n, 0);
        acc.rows = rows;
        acc.logSigmaSum = logSigmaSum;
        acc.priors = priors;
        return acc;
    }

    /** An independent copy. */
    public QrAccumulator copy() {
        QrAccumulator c = new QrAccumulator(m);
        System.arraycopy(r, 0, c.r, 0, r.length);
        c.rows = rows;
        c.logSigmaSum = logSigmaSum;
        c.priors = priors;
        return c;
    }

    /** M, the number of sparse points. */
    public int sparseCount() {
        return m;
    }

    /** Number of observation rows folded in (prior rows excluded). */
    public long rows() {
        return rows;
    }

    /** Σ ln σ over the rows folded in, so that log|Λ| = 2·logSigmaSum. */
    public double logSigmaSum() {
        return logSigmaSum;
    }

    /** How many prior blocks have been folded in (1 for a complete fit). */
    public int priorCount() {
        return priors;
    }

    /** R̃ = [R c; 0 ρ] (a copy), column-major (M+1)×(M+1). */
    public double[] augmentedFactor() {
        return r.clone();
    }

    /** Raw access for the model builder. */
    double[] factor() {
        return r;
    }

    /** R, the leading M×M block of R̃, viewed (not copied) for the model builder. */
    TriangularFactor rFactor() {
        return TriangularFactor.leadingBlock(r, n, m);
    }
}
