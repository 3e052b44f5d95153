package org.soapstone.engine.gap;

import static org.bytedeco.openblas.global.openblas.CblasColMajor;
import static org.bytedeco.openblas.global.openblas.CblasLeft;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasNonUnit;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dgelqf_work;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dsyevd_work;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_dtrsm;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.Arena;
import org.bytedeco.javacpp.IntPointer;
import org.soapstone.gp.NativeDoubles;
import org.soapstone.gp.SparseGpPosterior;

/**
 * A predictive variance σ² = k** − kᵀ P k (eV²) with P positive semi-definite, precomputed once so that each
 * local energy costs r dot products of length M: σ_r² = k** − Σ_{i&lt;r} (b_i·k)², with σ_r² ≥ σ² for every k.
 *
 * <p><b>Derivation.</b> For the sparse-GP posterior (DTC) P = K_MM⁻¹ − Σ with Σ = (RᵀR)⁻¹ =
 * (K_MM + K_MN Λ⁻¹ K_NM)⁻¹ ≤ K_MM⁻¹, so P ⪰ 0; for QUIP's estimate of an imported model P = (K_MM + r²I)⁻¹
 * ({@link QuipVariance}). Truncating P's own eigen-decomposition would keep its largest eigenvalues, which live
 * where K_MM is nearly singular and the kernel rows k of real environments have almost no weight — a useless
 * bound. Instead weight P by the kernel rows it meets: for any symmetric positive-definite G,
 * P = G⁻¹ A G⁻¹ with A = G P G ⪰ 0; with A = Σ_i μ_i u_i u_iᵀ (μ descending) and b_i = √μ_i G⁻¹ u_i,
 * kᵀPk = Σ_i (b_i·k)². Keeping the r largest μ gives P_r = G⁻¹ A_r G⁻¹ ⪯ P (congruence keeps the order, the
 * dropped μ_i ≥ 0), hence kᵀP_r k ≤ kᵀPk and σ_r² ≥ σ²: the truncated deviation is a conservative bound. With
 * G = K_MM the choice is optimal on the sparse points themselves (k = K_MM e_s): the mean overestimate of σ² over
 * the sparse points is exactly Σ_{dropped} μ_i / M ({@link #meanOverestimate()}).
 * <ul>
 *   <li>Posterior: G = K_MM = UᵀU (with the fit's jitter), A = K_MM − K_MM Σ K_MM = K_MM − BᵀB with B = R^{-ᵀ}K_MM —
 *       the variance the data removed at the sparse points; no inverse of K_MM is formed.</li>
 *   <li>QUIP: G = K_MM + r²I, A = G: P_r keeps the r largest eigenpairs of G, b_i = u_i/√μ_i.</li>
 * </ul>
 * r = M is exact up to rounding. Built with LAPACK {@code dsyevd} and BLAS-3; O(M³) once. Immutable; the factor
 * is kept in register-tile panels, so the cost of a batch's row is the same whether the batch holds 16 rows or
 * 256: the M²/2 multiply-adds of the triangular product at full rank ({@link PanelledTriangle}, ≈ 20 µs at
 * M = 1000 on one core, near the core's peak), r·M at rank r ({@link PanelledRows}: BLAS {@code dgemm} would
 * repack the r × M factor on every call). Each row's result is one fixed sequence of operations, whatever the
 * batch.
 *
 * <p><b>Triangular form (full rank).</b> At r = M the rows b_i form a square B with P = BᵀB, and any orthogonal
 * Q leaves ‖Bk‖ unchanged. The LQ factorisation Bᵀ = L Q (LAPACK {@code dgelqf}, Householder) gives
 * B = QᵀLᵀ, so kᵀPk = ‖Lᵀk‖² with Lᵀ upper triangular: each kernel row costs a triangular product, M²/2
 * multiply-adds instead of M², computed by {@link PanelledTriangle} (BLAS {@code dtrmm} repacks the whole factor on
 * every call, which a 32-row batch cannot amortise). P itself is never formed: its entries are
 * as large as 1/jitter in the near-null directions of K_MM, and a Cholesky factor of P would lose every digit
 * there; the factor is taken of B, whose rows already carry the conditioning.
 *
 * <p><b>Error.</b> Householder LQ is backward stable: the computed L is the exact factor of Bᵀ + E with
 * ‖E‖_F ≤ c·M·ε‖B‖_F (ε = 2⁻⁵³), so the computed ‖Lᵀk‖ equals ‖(B + Eᵀ)k‖ up to the rounding of the product,
 * which is the same ε|B||k| the dense product already commits. The absolute error of kᵀPk is therefore
 * O(M·ε·‖B‖‖k‖·‖Bk‖), of the same order as the dense path's; σ² = k** − kᵀPk then has relative error
 * O(M·ε·‖B‖‖k‖√(kᵀPk)/σ²), small unless σ² ≪ k** (a configuration on top of the training data, where σ is tiny
 * anyway). Tested against {@code PosteriorVariance} to 1e-6 relative in σ² and against QUIP's variance.
 */
public final class VarianceProjection {
    static {
        // one BLAS thread per call: the evaluator's workers call it concurrently
        org.bytedeco.openblas.presets.openblas.blas_set_num_threads(1);
    }

    private final int m;
    private final int rank;
    /**
     * b_i at i·M + s while the projection is built, in native memory aligned to a cache line: LAPACK's and BLAS's
     * rounding may depend on where its operands start, and a Java array would be copied to wherever JavaCPP
     * allocates, so two builds of the same model could differ in the last bits.
     */
    private NativeDoubles rows;
    /** The rows b_i as the rows of {@link PanelledRows} (truncated rank; then {@link #panelled} is null). */
    private PanelledRows factor;
    private final double meanOverestimate;
    /** Whether the factor holds Lᵀ (full rank, upper triangular, row-major M × M). */
    private boolean triangular;
    /** Lᵀ in column panels (full rank; then {@link #factor} is null). */
    private PanelledTriangle panelled;

    private VarianceProjection(int m, double[] eigenvalues, NativeDoubles eigenvectors, int rank,
            boolean inverseSqrt) {
        this.m = m;
        this.rank = rank;
        this.rows = new NativeDoubles((long) rank * m);
        double dropped = 0;
        for (int i = 0; i < m - rank; i++) {
            dropped += Math.max(0, eigenvalues[i]);
        }
        // ascending eigenvalues: the largest r are the last columns
        for (int i = 0; i < rank; i++) {
            int col = m - 1 - i;
            double mu = Math.max(0, eigenvalues[col]);
            double scale = inverseSqrt ? (mu > 0 ? 1 / Math.sqrt(mu) : 0) : Math.sqrt(mu);
            for (int s = 0; s < m; s++) {
                rows.segment.setAtIndex(JAVA_DOUBLE, (long) i * m + s,
                        scale * eigenvectors.segment.getAtIndex(JAVA_DOUBLE, (long) col * m + s));
            }
        }
        this.meanOverestimate = dropped / m;
    }

    /**
     * The posterior variance of a fitted model's local energies, σ² = k** − ‖U^{-ᵀ}k‖² + ‖R^{-ᵀ}k‖².
     *
     * @param posterior the model's posterior over all its sparse points
     * @param rank the number of eigenpairs kept, 1 ≤ rank ≤ M (M: exact)
     * @return the projection
     */
    public static VarianceProjection ofPosterior(SparseGpPosterior posterior, int rank) {
        return ofPosterior(posterior, rank, true);
    }

    /**
     * All M rows b_i of the posterior's projection in order of μ_i, kept as rows (not triangularised), so that
     * {@link #variances(double[], double[], int[])} gives the bound of every rank from one product.
     *
     * @param posterior the posterior over all the sparse points
     * @return the projection, of rank M
     */
    public static VarianceProjection ofPosteriorInEigenOrder(SparseGpPosterior posterior) {
        return ofPosterior(posterior, posterior.sparseCount(), false);
    }

    private static VarianceProjection ofPosterior(SparseGpPosterior posterior, int rank, boolean triangularise) {
        int m = posterior.sparseCount();
        checkRank(rank, m);
        // the M × M temporaries (five of them and the eigensolver's 2M² workspace) are freed on return, not at
        // some later garbage collection: a fit's cross-validation builds one projection per fold
        try (Arena arena = Arena.ofConfined()) {
            long mm = (long) m * m;
            NativeDoubles u = NativeDoubles.of(arena, posterior.sparseCholesky().data(), 0, (int) mm);
            NativeDoubles r = NativeDoubles.of(arena, posterior.rFactor().data(), 0, (int) mm);
            NativeDoubles k = new NativeDoubles(arena, mm);
            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, m, m, m, 1.0, u.pointer, m, u.pointer, m, 0.0,
                    k.pointer, m);
            NativeDoubles b = copy(arena, k);
            cblas_dtrsm(CblasColMajor, CblasLeft, CblasUpper, CblasTrans, CblasNonUnit, m, m, 1.0, r.pointer, m,
                    b.pointer, m);
            NativeDoubles a = copy(arena, k);
            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, m, m, m, -1.0, b.pointer, m, b.pointer, m, 1.0,
                    a.pointer, m);
            double[] w = eigen(arena, a, m);
            // b_i = √μ_i K⁻¹ u_i: scale the kept columns, then solve UᵀU Y = (scaled columns)
            VarianceProjection p = new VarianceProjection(m, w, a, rank, false);
            cblas_dtrsm(CblasColMajor, CblasLeft, CblasUpper, CblasTrans, CblasNonUnit, m, rank, 1.0, u.pointer, m,
                    p.rows.pointer, m);
            cblas_dtrsm(CblasColMajor, CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit, m, rank, 1.0, u.pointer, m,
                    p.rows.pointer, m);
            if (triangularise) {
                p.triangularise(arena);
            }
            p.finish();
            return p;
        }
    }

    private static NativeDoubles copy(Arena arena, NativeDoubles from) {
        NativeDoubles to = new NativeDoubles(arena, from.length());
        to.segment.copyFrom(from.segment);
        return to;
    }

    /**
     * QUIP's per-instance variance estimate of an imported term, σ² = k** − kᵀ(K_MM + r²I)⁻¹k ({@link QuipVariance}).
     *
     * @param term the term
     * @param rank the number of eigenpairs kept, 1 ≤ rank ≤ M (M: exact)
     * @return the projection
     */
    public static VarianceProjection ofQuipTerm(GapTerm term, int rank) {
        int m = term.sparseCount();
        checkRank(rank, m);
        try (Arena arena = Arena.ofConfined()) {
            double[] covariance = QuipVariance.sparseCovariance(term);
            NativeDoubles g = NativeDoubles.of(arena, covariance, 0, covariance.length);
            double[] w = eigen(arena, g, m);
            VarianceProjection p = new VarianceProjection(m, w, g, rank, true);
            p.triangularise(arena);
            p.finish();
            return p;
        }
    }

    /**
     * At full rank replaces the rows B by Lᵀ from Bᵀ = LQ (same ‖Bk‖ for every k); rows read column-major are Bᵀ,
     * and after {@code dgelqf} their lower triangle is L, i.e. row-major Lᵀ. The Householder vectors above it
     * are cleared.
     */
    private void triangularise(Arena arena) {
        if (rank != m) {
            return;
        }
        NativeDoubles tau = new NativeDoubles(arena, m);
        NativeDoubles query = new NativeDoubles(arena, 1);
        LAPACKE_dgelqf_work(LAPACK_COL_MAJOR, m, m, rows.pointer, m, tau.pointer, query.pointer, -1);
        int lwork = (int) query.segment.getAtIndex(JAVA_DOUBLE, 0);
        int info = LAPACKE_dgelqf_work(LAPACK_COL_MAJOR, m, m, rows.pointer, m, tau.pointer,
                new NativeDoubles(arena, lwork).pointer, lwork);
        if (info != 0) {
            throw new IllegalStateException("the LQ factorisation of the variance rows failed (dgelqf info "
                    + info + ")");
        }
        for (int i = 0; i < m; i++) {
            rows.segment.asSlice(8L * i * m, 8L * i).fill((byte) 0);
        }
        triangular = true;
    }

    /** Keeps the rows: Lᵀ as column panels ({@link PanelledTriangle}), truncated rows as {@link PanelledRows}. */
    private void finish() {
        if (triangular) {
            panelled = new PanelledTriangle(rows.segment, m);
        } else {
            factor = new PanelledRows(rows.segment.toArray(JAVA_DOUBLE), rank, m);
        }
        rows = null;
    }

    private static void checkRank(int rank, int m) {
        if (rank < 1 || rank > m) {
            throw new IllegalArgumentException("variance rank must be in [1, " + m + "], got " + rank);
        }
    }

    /**
     * Eigenvalues (ascending) of the symmetric column-major {@code a}, which is overwritten by the eigenvectors. The
     * floating-point workspace is aligned native memory too ({@code LAPACKE_dsyevd} would take it from
     * {@code malloc}).
     */
    private static double[] eigen(Arena arena, NativeDoubles a, int m) {
        NativeDoubles w = new NativeDoubles(arena, m);
        NativeDoubles query = new NativeDoubles(arena, 1);
        IntPointer iquery = new IntPointer(1L);
        LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, (byte) 'V', (byte) 'U', m, a.pointer, m, w.pointer, query.pointer, -1,
                iquery, -1);
        int lwork = (int) query.segment.getAtIndex(JAVA_DOUBLE, 0);
        int liwork = iquery.get();
        int info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, (byte) 'V', (byte) 'U', m, a.pointer, m, w.pointer,
                new NativeDoubles(arena, lwork).pointer, lwork, new IntPointer((long) Math.max(1, liwork)), liwork);
        if (info != 0) {
            throw new IllegalStateException("the eigen-decomposition of the variance matrix failed (dsyevd info "
                    + info + ")");
        }
        return w.segment.toArray(JAVA_DOUBLE);
    }

    /** @return M, the length of the kernel rows */
    public int sparseCount() {
        return m;
    }

    /** @return r, the number of eigenpairs kept */
    public int rank() {
        return rank;
    }

    /** @return the mean of σ_r² − σ² over the sparse points themselves (eV²; 0 at full rank) */
    public double meanOverestimate() {
        return meanOverestimate;
    }

    /**
     * σ_r² = k** − kᵀP_r k for a few rows at once (the reference path's use: a frame's atoms).
     *
     * @param k the rows, row c's M values at c·M
     * @param prior k** of each row (eV²)
     * @return the variances (eV²), never smaller than the exact ones up to rounding
     */
    public double[] variances(double[] k, double[] prior) {
        int count = prior.length;
        double[] y = needsScratch() ? new double[Math.max(1, count) * scratchRow()] : null;
        double[] out = new double[count];
        quadratics(k, count, y, out);
        for (int c = 0; c < count; c++) {
            out[c] = prior[c] - out[c];
        }
        return out;
    }

    /**
     * σ_r² = k** − Σ_{i&lt;r} (b_i·k)² at several ranks r from one product (a projection kept in eigen order,
     * {@link #ofPosteriorInEigenOrder}); each sum in the order of the truncated projection of that rank.
     *
     * @param k the rows, row c's M values at c·M
     * @param prior k** of each row (eV²)
     * @param ranks ascending ranks in [1, {@link #rank()}]
     * @return [rank][row] the variances (eV²)
     * @throws IllegalStateException if the projection is triangular
     */
    public double[][] variances(double[] k, double[] prior, int[] ranks) {
        if (triangular) {
            throw new IllegalStateException("a triangular projection has no rows in eigen order");
        }
        for (int j = 0; j < ranks.length; j++) {
            if (ranks[j] < 1 || ranks[j] > rank || (j > 0 && ranks[j] < ranks[j - 1])) {
                throw new IllegalArgumentException("ranks must ascend within [1, " + rank + "]");
            }
        }
        int count = prior.length;
        int rs = scratchRow();
        double[] y = new double[Math.max(1, count) * rs];
        factor.multiply(k, 0, m, count, y, 0, rs);
        double[][] out = new double[ranks.length][count];
        for (int c = 0; c < count; c++) {
            double q = 0;
            int i = 0;
            for (int j = 0; j < ranks.length; j++) {
                for (; i < ranks[j]; i++) {
                    double v = y[c * rs + i];
                    q += v * v;
                }
                out[j][c] = prior[c] - q;
            }
        }
        return out;
    }

    /** @return whether {@link #quadratics} needs its scratch {@code y}: truncated rank (full rank reads panels) */
    public boolean needsScratch() {
        return !triangular;
    }

    /** @return the doubles per row of {@link #quadratics}' scratch: r rounded up to whole panels (0 at full rank) */
    public int scratchRow() {
        return triangular ? 0 : factor.paddedRows();
    }

    /**
     * kᵀP_r k for {@code count} rows k_c (M doubles each, row-major) at once, into out[c]: at full rank ‖Lᵀk_c‖²
     * from the panels ({@link PanelledTriangle}); truncated, the products Y = K Bᵀ ({@link PanelledRows}) and the
     * row sums of Y². The rows are not changed.
     *
     * @param k the rows
     * @param y scratch of at least count·{@link #scratchRow()} doubles (unused unless {@link #needsScratch()})
     */
    public void quadratics(double[] k, int count, double[] y, double[] out) {
        if (count == 0) {
            return;
        }
        if (triangular) {
            panelled.squaredNorms(k, count, out);
            return;
        }
        int rs = scratchRow();
        factor.multiply(k, 0, m, count, y, 0, rs);
        for (int c = 0; c < count; c++) {
            double q = 0;
            for (int i = 0; i < rank; i++) {
                double v = y[c * rs + i];
                q += v * v;
            }
            out[c] = q;
        }
    }
}
