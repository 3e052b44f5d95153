package org.soapstone.gp;

/**
 * The posterior of a projected-process (DTC) sparse GP over M sparse points, independent of any kernel: the
 * weights α and the triangular factors of the predictive variance, as plain column-major arrays. With U the upper
 * Cholesky factor of K_MM + jitter·I and R the triangular factor of the streamed QR (RᵀR = K_MM + K_MN Λ⁻¹ K_NM):
 * <ul>
 * <li>mean of a functional with kernel row k_* (its covariance with the sparse points, eV² per unit of α): k_*·α,
 *     α = R⁻¹c;</li>
 * <li>variance: σ² = k_** − ||U^{-ᵀ} k_*||² + ||R^{-ᵀ} k_*||² (two triangular solves; never an inverse);</li>
 * <li>log marginal likelihood: −½ρ² − ½ log|Λ| − Σ ln|R_ii| + Σ ln U_ii − (N/2) ln 2π, from
 *     log|Q_NN + Λ| = log|Λ| + 2 log|det R| − 2 log|det U| and yᵀ(Q_NN + Λ)⁻¹y = ρ².</li>
 * </ul>
 * Kernel rows may concatenate several independent GPs (a GAP model with several descriptors: U block diagonal).
 * Immutable; arrays are copied in and out, the triangular factors are immutable {@link TriangularFactor}s.
 *
 * <p>Reference: Quiñonero-Candela &amp; Rasmussen, J. Mach. Learn. Res. 6, 1939 (2005), sec. 5 (DTC); Deringer et
 * al., Chem. Rev. 121, 10073 (2021), sec. 3; FLARE {@code sparse_gp.h} (names).
 */
public final class SparseGpPosterior {

    private final int m;
    private final double[] alpha;
    private final TriangularFactor upper;
    /** The fit's accumulator (a private copy): R̃ = [R c; 0 ρ], column-major, leading dimension M+1. */
    private final QrAccumulator fit;
    /** R, a view of the leading block of the private R̃. */
    private final TriangularFactor r;
    private final double logMarginalLikelihood;

    /**
     * @param upperCholesky U with Uᵀ U = K_MM + jitter·I (eV)
     * @param fit           a complete accumulator: the prior rows [U | 0] folded in exactly once, and the data
     */
    public SparseGpPosterior(TriangularFactor upperCholesky, QrAccumulator fit) {
        if (fit.priorCount() != 1) {
            throw new IllegalArgumentException("the accumulator must contain the prior rows exactly once, found "
                    + fit.priorCount());
        }
        this.m = fit.sparseCount();
        if (upperCholesky.size() != m) {
            throw new IllegalArgumentException("accumulator and Cholesky factor must match " + m + " sparse points");
        }
        this.upper = upperCholesky;
        this.fit = fit.copy();
        this.r = this.fit.rFactor();
        int n = m + 1;
        double[] aug = this.fit.factor();
        double[] c = new double[m];
        for (int j = 0; j < m; j++) {
            c[j] = aug[j + m * n];
        }
        double rho = aug[m + m * n];
        this.alpha = new double[m];
        r.solve(c, alpha);
        this.logMarginalLikelihood = -0.5 * rho * rho - fit.logSigmaSum() - r.logDet() + upper.logDet()
                - 0.5 * fit.rows() * Math.log(2.0 * Math.PI);
    }

    /** M, the number of sparse points. */
    public int sparseCount() {
        return m;
    }

    /** Weights α (eV⁻¹ in units of the kernel rows), one per sparse point (a copy). */
    public double[] alpha() {
        return alpha.clone();
    }

    /** k_*·α: the predictive mean of a functional with kernel row {@code kStar} (length M). */
    public double mean(double[] kStar) {
        checkRow(kStar);
        return DotProductKernel.dot(kStar, 0, alpha, 0, m);
    }

    /**
     * σ² = k_** − ||U^{-ᵀ}k_*||² + ||R^{-ᵀ}k_*||² for a functional with kernel row {@code kStar} (length M, eV²)
     * and prior variance {@code kStarStar} (eV²). Never negative in exact arithmetic; at a sparse point the first two
     * terms cancel, so rounding can leave −O(10⁻¹⁶ k_**): take {@code sqrt(max(0, σ²))} for an error bar.
     */
    public double variance(double[] kStar, double kStarStar) {
        checkRow(kStar);
        double[] a = new double[m];
        double[] b = new double[m];
        upper.solveTransposed(kStar, a);
        r.solveTransposed(kStar, b);
        return kStarStar - DotProductKernel.dot(a, 0, a, 0, m) + DotProductKernel.dot(b, 0, b, 0, m);
    }

    /**
     * {@link #variance} for many functionals at once, with two BLAS-3 triangular solves.
     *
     * @param kStarRows kernel rows, row-major {@code rows × M} (eV²)
     * @param kStarStar prior variances, one per row (eV²)
     * @return the variances (eV²)
     */
    public double[] variances(double[] kStarRows, double[] kStarStar) {
        int rows = kStarStar.length;
        if (kStarRows.length != rows * m) {
            throw new IllegalArgumentException(kStarRows.length + " kernel-row entries do not match " + rows
                    + " rows of " + m + " sparse points");
        }
        double[] a = java.util.Arrays.copyOf(kStarRows, rows * m);
        double[] b = java.util.Arrays.copyOf(kStarRows, rows * m);
        upper.solveTransposedRows(a, rows);
        r.solveTransposedRows(b, rows);
        double[] var = new double[rows];
        for (int i = 0; i < rows; i++) {
            var[i] = kStarStar[i] - DotProductKernel.dot(a, i * m, a, i * m, m) + DotProductKernel.dot(b, i * m, b, i * m, m);
        }
        return var;
    }

    /**
     * The weight-space variances uᵀΣu = ||R^{-ᵀ}u||² of many functionals, Σ = (RᵀR)⁻¹ the posterior covariance of
     * the weights α (one BLAS-3 triangular solve): the variance of the prediction u·α that comes from the
     * uncertainty of α alone, without the prior's k_** − ||U^{-ᵀ}u||² (the part of the latent function the sparse
     * points cannot represent). Deringer et al., Chem. Rev. 121, 10073 (2021), sec. 3.4.
     *
     * @param rows kernel rows u, row-major {@code count × M} (eV², eV²/Å for forces)
     * @param count the number of rows
     * @return the variances (eV², eV²/Å² for forces)
     */
    public double[] weightVariances(double[] rows, int count) {
        if (rows.length < count * m) {
            throw new IllegalArgumentException(rows.length + " kernel-row entries for " + count + " rows of " + m
                    + " sparse points");
        }
        double[] b = java.util.Arrays.copyOf(rows, count * m);
        r.solveTransposedRows(b, count);
        double[] var = new double[count];
        for (int r = 0; r < count; r++) {
            var[r] = DotProductKernel.dot(b, r * m, b, r * m, m);
        }
        return var;
    }

    /** Log marginal likelihood ln p(y) of the DTC model (dimensionless, y in the rows' own units). */
    public double logMarginalLikelihood() {
        return logMarginalLikelihood;
    }

    /** Number of observations fitted. */
    public long observations() {
        return fit.rows();
    }

    /** U, upper Cholesky factor of K_MM + jitter·I (eV). */
    public TriangularFactor sparseCholesky() {
        return upper;
    }

    /** R, triangular factor of the stacked least-squares system (RᵀR = K_MM + jitter·I + K_MN Λ⁻¹ K_NM). */
    public TriangularFactor rFactor() {
        return r;
    }

    /**
     * A copy of the fit's accumulator (R, Qᵀb, ρ and the likelihood sums), for incremental learning and for saving:
     * {@code add} new observation blocks to it and build a new posterior with the same {@link #sparseCholesky()} —
     * the cost is that of the new rows only.
     */
    public QrAccumulator accumulator() {
        return fit.copy();
    }

    private void checkRow(double[] kStar) {
        if (kStar.length != m) {
            throw new IllegalArgumentException("kernel row has " + kStar.length + " entries, model " + m + " sparse points");
        }
    }
}
