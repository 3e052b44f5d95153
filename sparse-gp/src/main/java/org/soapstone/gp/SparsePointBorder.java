package org.soapstone.gp;

/**
 * Adds m sparse points to a fitted projected-process sparse GP without refitting: a bordered update of the prior
 * factor U and of the streamed-QR factor R̃ = [R c; 0 ρ] (M → M + m), the new columns appended after the old ones.
 *
 * <p>With A = [Λ^{-1/2}K_NM | Λ^{-1/2}y ; U | 0] the stacked system of {@link QrAccumulator}, the enlarged system
 * gains the columns A_new = [Λ^{-1/2}K_{N,new} ; U₁₂ ; U₂₂] (U₁₂ = U^{-ᵀ}K_{M,new}, U₂₂ᵀU₂₂ = K_new,new + jitter·I −
 * U₁₂ᵀU₁₂: the bordered Cholesky factor of K_MM). The TSQR discarded Q, so the projection of the new columns on the
 * old ones comes from the normal equations, T = Qᵀ A_new = R^{-ᵀ}(A_oldᵀ A_new) with
 * A_oldᵀ A_new = K_MN Λ⁻¹ K_{N,new} + K_{M,new} (first pass, {@link #add}). Forming the new diagonal block from
 * the Schur complement A_newᵀA_new − TᵀT would lose about log₁₀κ digits to cancellation — in practice a new point
 * well explained by 10⁴ force rows came out with a negative pivot — so a second pass ({@link #addResidual})
 * forms the residual rows E = [A_new b] − A_old[X α], X = R⁻¹T, and folds them into a QR, whose factor
 * [R₂₂ c₂; 0 ρ'] is the new block, and accumulates A_oldᵀE to correct T to first order (Björck's corrected
 * semi-normal equations). The result R̃' = [R T c; 0 R₂₂ c₂; 0 0 ρ'] gives α, variances and the log marginal
 * likelihood as a full fit would. What remains of the trade-off: T carries the error of one corrected semi-normal
 * solve (about κ(R)·ε·|T| after the correction, against ε·|T| for a refit), and the old block keeps the accuracy
 * it had; a periodic full refit restores QR accuracy after many borders.
 *
 * <p>Cost: two passes over the old rows, each O(N·(M+m)·m), plus O(M²·m): nothing like the O(N·M²) of a refit.
 * Of the old observations it needs their old columns and target [A_old b] and the new kernel columns; the old
 * columns do not change when points are added, so a caller may keep them rather than recompute them
 * (the engine's {@code IncrementalGapFit} does), and compute only the m new columns of each old row. Use:
 * {@link #add} every old block (over the M + m columns: old first, then new, then the target), {@link #project},
 * {@link #addResidual} the same blocks, {@link #finish}. Not thread-safe;
 * {@link #merge} per-thread first passes. Reference: FLARE's {@code update_matrices_QR} (Vandermause et al.,
 * npj Comput. Mater. 8, 1 (2022)); Björck, Numerical Methods for Least Squares Problems (SIAM 1996), sec. 2.8
 * (corrected semi-normal equations); Golub &amp; Van Loan, Matrix Computations, 4th ed., sec. 6.5.
 */
public final class SparsePointBorder {

    /** Smallest fraction of a diagonal entry a Cholesky pivot² may keep before the new block counts as singular. */
    private static final double MIN_PIVOT = 1e-12;
    /**
     * Smallest fraction of a new column's norm² its residual after projection on the old columns may keep: the
     * data rows can explain a new column to 10⁻¹⁴ and leave a sound pivot, while an exact duplicate leaves
     * rounding, ~10⁻³².
     */
    private static final double MIN_RESIDUAL = 1e-24;

    private final int m;
    private final int added;
    /** Σ over rows of B_{r,i} B_{r,M+j}: M × m column-major (dimensionless, whitened rows). */
    private final double[] cross;
    /** Σ over rows of B_{r,M+j}²: m values (the new columns' norms², for the dependence test). */
    private final double[] gram;
    private long rows;

    /**
     * @param oldCount M, the sparse points the model has
     * @param newCount m ≥ 1, the sparse points to add
     */
    public SparsePointBorder(int oldCount, int newCount) {
        if (oldCount < 1 || newCount < 1) {
            throw new IllegalArgumentException("need M >= 1 old and m >= 1 new sparse points, got " + oldCount
                    + " and " + newCount);
        }
        this.m = oldCount;
        this.added = newCount;
        cross = new double[oldCount * newCount];
        gram = new double[newCount];
    }

    /**
     * Folds in the whitened design rows of old observations over all M + m sparse points (old columns first, then
     * the new ones, then the target), O(rows·(M+m)·m).
     */
    public void add(DesignBlock block) {
        if (block.sparseCount() != m + added) {
            throw new IllegalArgumentException("block has " + block.sparseCount() + " sparse columns, border "
                    + (m + added));
        }
        int n = block.rows();
        double[] b = block.matrix();
        // column-major n × (M+m+1) read row-major is its transpose: rows of length n, A_old's first
        double[] product = new double[added * m];
        NativeLinearAlgebra.multiplyTransposed(b, m * n, added, b, m, n, product);
        for (int i = 0; i < product.length; i++) {
            cross[i] += product[i];
        }
        for (int j = 0; j < added; j++) {
            int cj = (m + j) * n;
            gram[j] += DotProductKernel.dot(b, cj, b, cj, n);
        }
        rows += n;
    }

    /** Folds in another border's sums (same M and m); {@code other} is unchanged. */
    public void merge(SparsePointBorder other) {
        if (other.m != m || other.added != added) {
            throw new IllegalArgumentException("cannot merge borders of (" + m + ", " + added + ") and (" + other.m
                    + ", " + other.added + ") sparse points");
        }
        for (int i = 0; i < cross.length; i++) {
            cross[i] += other.cross[i];
        }
        for (int i = 0; i < gram.length; i++) {
            gram[i] += other.gram[i];
        }
        rows += other.rows;
    }

    /** The enlarged factors: U' (M+m)² and the accumulator over M + m sparse points. */
    public record Bordered(TriangularFactor upperCholesky, QrAccumulator accumulator) {}

    /** State between the passes, set by {@link #project}. */
    private TriangularFactor upperNew;
    private QrAccumulator fitOld;
    private double[] t;
    /** [X α_old]: column-major M × (m+1), X = R⁻¹T, α_old = R⁻¹c. */
    private double[] projection;
    private QrAccumulator residual;
    /** A_oldᵀE, column-major M × (m+1). */
    private double[] correction;
    private double[] columnNorms;
    private long residualRows;

    /**
     * Ends the first pass: borders U and projects the new columns on the old ones from the Gram sums,
     * T = R^{-ᵀ}(A_oldᵀ A_new). Then {@link #addResidual} every old block again and {@link #finish}.
     *
     * @param upperCholesky U, Uᵀ U = K_MM + jitter·I (eV)
     * @param fit the complete accumulator of the fit (prior folded in once), whose rows are exactly those
     *     {@link #add}ed here
     * @param kOldNew K_{M,new}, column-major M×m (eV², the same covariance as the kernel rows)
     * @param kNewNew K_new,new, column-major m×m (eV²)
     * @param jitter the fit's jitter, added to the new diagonal (eV²)
     * @throws IllegalArgumentException if the rows folded in differ from the fit's
     * @throws DependentSparsePointsException if the new points make K_MM numerically singular
     */
    public void project(TriangularFactor upperCholesky, QrAccumulator fit, double[] kOldNew, double[] kNewNew,
            double jitter) {
        if (fit.sparseCount() != m || upperCholesky.size() != m || kOldNew.length != m * added
                || kNewNew.length != added * added) {
            throw new IllegalArgumentException("factors and covariances do not match " + m + " old and " + added
                    + " new sparse points");
        }
        if (fit.priorCount() != 1 || fit.rows() != rows) {
            throw new IllegalArgumentException("the border has " + rows + " observation rows, the fit " + fit.rows()
                    + " (priors " + fit.priorCount() + "); add every old observation exactly once");
        }
        int mm = m + added;
        // U12 = U^{-T} K_{M,new}: m right-hand sides, stored as rows of a row-major m × M array (= column-major M × m)
        double[] u12 = kOldNew.clone();
        upperCholesky.solveTransposedRows(u12, added);
        // the Schur complement K_new,new − U12ᵀU12, whose Cholesky factor (with the jitter) is U22
        double[] schur = kNewNew.clone();
        for (int j = 0; j < added; j++) {
            for (int i = 0; i < added; i++) {
                schur[i + j * added] -= DotProductKernel.dot(u12, i * m, u12, j * m, m);
            }
        }
        columnNorms = new double[added];
        for (int j = 0; j < added; j++) {
            columnNorms[j] = kNewNew[j + j * added] + jitter;
        }
        TriangularFactor u22 = choleskyOrThrow(schur, added, jitter, columnNorms, "K_MM");
        double[] bordered = new double[mm * mm];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i <= j; i++) {
                bordered[i + j * mm] = upperCholesky.get(i, j);
            }
        }
        for (int j = 0; j < added; j++) {
            System.arraycopy(u12, j * m, bordered, (m + j) * mm, m);
            for (int i = 0; i <= j; i++) {
                bordered[m + i + (m + j) * mm] = u22.get(i, j);
            }
            columnNorms[j] += gram[j];
        }
        upperNew = TriangularFactor.leadingBlock(bordered, mm, mm);
        int n = m + 1;
        double[] r = fit.factor();
        TriangularFactor rOld = fit.rFactor();
        t = cross.clone();
        for (int i = 0; i < t.length; i++) {
            t[i] += kOldNew[i];
        }
        rOld.solveTransposedRows(t, added);
        projection = new double[m * (added + 1)];
        System.arraycopy(t, 0, projection, 0, m * added);
        System.arraycopy(r, m * n, projection, m * added, m);
        rOld.solveRows(projection, added + 1);
        fitOld = fit;
        residual = QrAccumulator.empty(added);
        correction = new double[m * (added + 1)];
        // the prior rows: [U11 | U12 | 0] for the old points, [0 | U22 | 0] for the new ones
        double[] e = new double[m * (added + 1)];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < added; j++) {
                e[i + j * m] = u12[i + j * m];
            }
        }
        for (int j = 0; j <= added; j++) {
            for (int k = 0; k < m; k++) {
                double xkj = projection[k + j * m];
                for (int i = 0; i <= k; i++) {
                    e[i + j * m] -= upperCholesky.get(i, k) * xkj;
                }
            }
        }
        for (int j = 0; j <= added; j++) {
            for (int k = 0; k < m; k++) {
                double sum = 0;
                for (int i = 0; i <= k; i++) {
                    sum += upperCholesky.get(i, k) * e[i + j * m];
                }
                correction[k + j * m] += sum;
            }
        }
        residual.add(new DesignBlock(m, added, e, 0.0));
        double[] p = new double[added * (added + 1)];
        for (int j = 0; j < added; j++) {
            for (int i = 0; i <= j; i++) {
                p[i + j * added] = u22.get(i, j);
            }
        }
        residual.add(new DesignBlock(added, added, p, 0.0));
    }

    /**
     * Second pass: the residual of one old block's new columns and target after projection on the old columns,
     * E = [A_new b] − A_old[X α_old], folded into a QR (no Gram matrix, so no cancellation), and A_oldᵀE for a
     * first-order correction of T (corrected semi-normal equations). The block is not modified.
     */
    public void addResidual(DesignBlock block) {
        if (projection == null) {
            throw new IllegalStateException("call project() after the first pass, before addResidual()");
        }
        if (block.sparseCount() != m + added) {
            throw new IllegalArgumentException("block has " + block.sparseCount() + " sparse columns, border "
                    + (m + added));
        }
        int n = block.rows();
        double[] b = block.matrix();
        double[] e = new double[n * (added + 1)];
        System.arraycopy(b, m * n, e, 0, n * (added + 1));
        // row-major views: E ((m+1) × n) −= [X α]ᵀ ((m+1) × M) · A_old (M × n); correction += E · A_oldᵀ
        NativeLinearAlgebra.multiplyAccumulate(-1.0, projection, added + 1, m, b, n, e);
        double[] product = new double[(added + 1) * m];
        NativeLinearAlgebra.multiplyTransposed(e, added + 1, b, m, n, product);
        for (int i = 0; i < product.length; i++) {
            correction[i] += product[i];
        }
        residual.add(new DesignBlock(n, added, e, 0.0));
        residualRows += n;
    }

    /**
     * The bordered factors: R̃' = [R T' c; 0 R₂₂ c₂; 0 0 ρ'] with T' = T + R^{-ᵀ}A_oldᵀE and [R₂₂ c₂; 0 ρ'] the QR
     * factor of the residual rows.
     *
     * @throws IllegalStateException if not every old row went through {@link #addResidual}
     * @throws DependentSparsePointsException if a new point is numerically dependent on the sparse set (a pivot²
     *     of R₂₂ keeps less than 10⁻²⁴ of its column's norm²)
     */
    public Bordered finish() {
        if (projection == null || residualRows != rows) {
            throw new IllegalStateException("the second pass saw " + residualRows + " of " + rows + " rows");
        }
        int n = m + 1;
        double[] r = fitOld.factor();
        double[] dt = java.util.Arrays.copyOf(correction, m * added);
        fitOld.rFactor().solveTransposedRows(dt, added);
        int mm = m + added;
        int nn = mm + 1;
        int k = added + 1;
        double[] s = residual.factor();
        for (int j = 0; j < added; j++) {
            double p = s[j + j * k];
            if (p * p < MIN_RESIDUAL * columnNorms[j]) {
                throw new DependentSparsePointsException("new sparse point " + j + " is numerically dependent on the "
                        + "sparse set: its residual keeps " + p * p / columnNorms[j] + " of its column's norm² (a near "
                        + "duplicate?)", null);
            }
        }
        double[] rNew = new double[nn * nn];
        for (int j = 0; j < m; j++) {
            System.arraycopy(r, j * n, rNew, j * nn, j + 1);
        }
        for (int j = 0; j < added; j++) {
            for (int i = 0; i < m; i++) {
                rNew[i + (m + j) * nn] = t[i + j * m] + dt[i + j * m];
            }
        }
        System.arraycopy(r, m * n, rNew, mm * nn, m);
        for (int j = 0; j < k; j++) {
            System.arraycopy(s, j * k, rNew, (m + j) * nn + m, j + 1);
        }
        QrAccumulator acc = QrAccumulator.restore(mm, rNew, fitOld.rows(), fitOld.logSigmaSum(), fitOld.priorCount());
        return new Bordered(upperNew, acc);
    }

    /**
     * Cholesky factor of a + jitter·I; a pivot² below {@link #MIN_PIVOT} times {@code diagonal} (the entry before
     * the old points' part was subtracted) means the new points are (numerically) dependent on the old ones.
     */
    private static TriangularFactor choleskyOrThrow(double[] a, int size, double jitter, double[] diagonal,
            String what) {
        TriangularFactor u;
        try {
            u = TriangularFactor.cholesky(a, size, jitter);
        } catch (NotPositiveDefiniteException e) {
            throw new DependentSparsePointsException(what + " is not positive definite after adding the new sparse "
                    + "points (a new point nearly duplicates an old one?): " + e.getMessage(), e);
        }
        for (int i = 0; i < size; i++) {
            double p = u.get(i, i);
            if (p * p < MIN_PIVOT * Math.abs(diagonal[i])) {
                throw new DependentSparsePointsException(what + " is not positive definite after adding the new "
                        + "sparse points: pivot " + i + " keeps " + (p * p / diagonal[i]) + " of its diagonal (a new "
                        + "point nearly duplicates an old one?)", null);
            }
        }
        return u;
    }
}
