package org.soapstone.gp;

/**
 * Adds m sparse points to a fitted projected-process sparse GP without refitting: a bordered update of the prior
 * factor U and of the streamed-QR factor R̃ = [R c; 0 ρ] (M → M + m), the new columns appended after the old ones.
 *
 * <p>With A = [Λ^{-1/2}K_NM | Λ^{-1/2}y ; U | 0] the stacked system of {@link QrAccumulator}, the enlarged system
 * gains the columns A_new = [Λ^{-1/2}K_{N,new} ; U₁₂ ; U₂₂] (U₁₂ = U^{-ᵀ}K_{M,new} and U₂₂ᵀU₂₂ = K_new,new + jitter·I −
 * U₁₂ᵀU₁₂, the bordered Cholesky factor of K_MM). The TSQR discarded Q, so the projection of the new columns on the
 * old ones comes from the normal equations: Qᵀ A_new = R^{-ᵀ}(A_oldᵀ A_new) with
 * <pre>  A_oldᵀ A_new = K_MN Λ⁻¹ K_{N,new} + K_{M,new},   A_newᵀ A_new = K_{new,N} Λ⁻¹ K_{N,new} + K_new,new + jitter·I,
 *   yᵀΛ⁻¹K_{N,new} (the target part)</pre>
 * and the new diagonal block [R₂₂ c₂; 0 ρ'] is the Cholesky factor of the Schur complement
 * S = [A_newᵀA_new − TᵀT, yᵀΛ⁻¹K_{N,new} − Tᵀc; ·, ρ²], T = R^{-ᵀ}A_oldᵀA_new. The result is
 * R̃' = [R T c; 0 R₂₂ c₂; 0 0 ρ'] — a valid triangular factor of the enlarged system, so α, variances and the log
 * marginal likelihood follow as after a full fit.
 *
 * <p>Cost: the data sums O(N·(M+m)·m) (one pass over the old rows' kernel columns, via {@link #add}), the update
 * O(M²·m + M·m²): nothing like the O(N·M²) of a refit. Stability trade-off: the old block keeps the QR's backward
 * stability, but the new block is formed from Gram matrices, so its accuracy is that of normal equations — the
 * Schur complement loses about log₁₀κ(S) digits to cancellation, where a refit by QR loses half as many. With
 * well-separated new points (the learner adds the most uncertain environments, far from the old ones) S is well
 * conditioned; a new point (nearly) duplicating an old one makes S singular, which {@link #apply} reports as an
 * {@link IllegalArgumentException} (refit, or raise the jitter). Many successive borders compound the error only
 * in the new blocks; a periodic full refit restores QR accuracy.
 *
 * <p>Use: one border per update; {@link #add} the whitened design rows of every old observation computed against
 * the M + m sparse points (old columns first), then {@link #apply}. Not thread-safe; {@link #merge} per-thread
 * borders. Reference: the bordered-QR idea of FLARE's {@code update_matrices_QR} (Vandermause et al., npj Comput.
 * Mater. 8, 1 (2022)); Golub &amp; Van Loan, Matrix Computations, 4th ed., sec. 6.5 (updating factorisations).
 */
public final class SparsePointBorder {

    /** Smallest fraction of a diagonal entry a Cholesky pivot² may keep before the new block counts as singular. */
    private static final double MIN_PIVOT = 1e-12;

    private final int m;
    private final int added;
    /** Σ over rows of B_{r,i} B_{r,M+j}: M × m column-major (dimensionless, whitened rows). */
    private final double[] cross;
    /** Σ over rows of B_{r,M+i} B_{r,M+j}: m × m column-major. */
    private final double[] gram;
    /** Σ over rows of B_{r,M+j} b_r (b the whitened target): m values. */
    private final double[] target;
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
        gram = new double[newCount * newCount];
        target = new double[newCount];
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
        int t = (m + added) * n;
        for (int j = 0; j < added; j++) {
            int cj = (m + j) * n;
            for (int i = 0; i < m; i++) {
                cross[i + j * m] += DotProductKernel.dot(b, i * n, b, cj, n);
            }
            for (int i = 0; i <= j; i++) {
                double v = DotProductKernel.dot(b, (m + i) * n, b, cj, n);
                gram[i + j * added] += v;
                if (i != j) {
                    gram[j + i * added] += v;
                }
            }
            target[j] += DotProductKernel.dot(b, cj, b, t, n);
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
        for (int i = 0; i < added; i++) {
            target[i] += other.target[i];
        }
        rows += other.rows;
    }

    /** The enlarged factors: U' (M+m)² and the accumulator over M + m sparse points. */
    public record Bordered(double[] upperCholesky, QrAccumulator accumulator) {}

    /**
     * Applies the border.
     *
     * @param upperCholesky U, Uᵀ U = K_MM + jitter·I, column-major M×M upper triangular (eV)
     * @param fit the complete accumulator of the fit (prior folded in once), whose rows are exactly those
     *     {@link #add}ed here
     * @param kOldNew K_{M,new}, column-major M×m (eV², the same covariance as the kernel rows)
     * @param kNewNew K_new,new, column-major m×m (eV²)
     * @param jitter the fit's jitter, added to the new diagonal (eV²)
     * @return U' and R̃' over the M + m sparse points (old first)
     * @throws IllegalArgumentException if the rows folded in differ from the fit's, or if the new points make
     *     K_MM or the Schur complement numerically singular (e.g. a new point duplicating an old one)
     */
    public Bordered apply(double[] upperCholesky, QrAccumulator fit, double[] kOldNew, double[] kNewNew,
            double jitter) {
        if (fit.sparseCount() != m || upperCholesky.length != m * m || kOldNew.length != m * added
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
        NativeLinearAlgebra.solveUpperTransposedRows(upperCholesky, m, m, u12, added);
        double[] u22 = kNewNew.clone();
        for (int j = 0; j < added; j++) {
            for (int i = 0; i < added; i++) {
                u22[i + j * added] -= DotProductKernel.dot(u12, i * m, u12, j * m, m);
            }
        }
        double[] diagonal = new double[added + 1];
        for (int j = 0; j < added; j++) {
            diagonal[j] = kNewNew[j + j * added] + jitter;
        }
        u22 = choleskyOrThrow(u22, added, jitter, diagonal, "K_MM");
        double[] uNew = new double[mm * mm];
        for (int j = 0; j < m; j++) {
            System.arraycopy(upperCholesky, j * m, uNew, j * mm, j + 1);
        }
        for (int j = 0; j < added; j++) {
            System.arraycopy(u12, j * m, uNew, (m + j) * mm, m);
            System.arraycopy(u22, j * added, uNew, (m + j) * mm + m, j + 1);
        }
        // T = R^{-T} (K_MN Λ⁻¹ K_{N,new} + K_{M,new})
        int n = m + 1;
        double[] r = fit.factor();
        double[] t = cross.clone();
        for (int i = 0; i < t.length; i++) {
            t[i] += kOldNew[i];
        }
        NativeLinearAlgebra.solveUpperTransposedRows(r, n, m, t, added);
        double rho = r[m + m * n];
        int k = added + 1;
        double[] s = new double[k * k];
        for (int j = 0; j < added; j++) {
            for (int i = 0; i <= j; i++) {
                s[i + j * k] = gram[i + j * added] + kNewNew[i + j * added] - DotProductKernel.dot(t, i * m, t, j * m, m);
            }
            s[j + added * k] = target[j] - DotProductKernel.dot(t, j * m, r, m * n, m);
        }
        s[added + added * k] = rho * rho;
        for (int j = 0; j < added; j++) {
            s[j + j * k] += jitter;
        }
        for (int j = 0; j < added; j++) {
            diagonal[j] += gram[j + j * added];
        }
        diagonal[added] = 0.0; // ρ'² → 0 is a perfect fit, not a singularity
        s = choleskyOrThrow(s, k, 0.0, diagonal, "the Schur complement of the new sparse points");
        int nn = mm + 1;
        double[] rNew = new double[nn * nn];
        for (int j = 0; j < m; j++) {
            System.arraycopy(r, j * n, rNew, j * nn, j + 1);
        }
        for (int j = 0; j < added; j++) {
            System.arraycopy(t, j * m, rNew, (m + j) * nn, m);
        }
        System.arraycopy(r, m * n, rNew, mm * nn, m);
        for (int j = 0; j < k; j++) {
            System.arraycopy(s, j * k, rNew, (m + j) * nn + m, j + 1);
        }
        QrAccumulator acc = QrAccumulator.restore(mm, rNew, fit.rows(), fit.logSigmaSum(), fit.priorCount());
        return new Bordered(uNew, acc);
    }

    /**
     * Cholesky factor of a + jitter·I; a pivot² below {@link #MIN_PIVOT} times {@code diagonal} (the entry before
     * the old points' part was subtracted) means the new points are (numerically) dependent on the old ones.
     */
    private static double[] choleskyOrThrow(double[] a, int size, double jitter, double[] diagonal, String what) {
        try {
            SparseGaussianProcess.choleskyUpper(a, size, jitter);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not positive definite after adding the new sparse points "
                    + "(a new point nearly duplicates an old one?): " + e.getMessage(), e);
        }
        for (int i = 0; i < size; i++) {
            double p = a[i + i * size];
            if (p * p < MIN_PIVOT * Math.abs(diagonal[i])) {
                throw new IllegalArgumentException(what + " is not positive definite after adding the new sparse "
                        + "points: pivot " + i + " keeps " + (p * p / diagonal[i]) + " of its diagonal (a new point "
                        + "nearly duplicates an old one?)");
            }
        }
        return a;
    }
}
