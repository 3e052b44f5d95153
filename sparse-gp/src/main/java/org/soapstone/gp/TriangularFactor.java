package org.soapstone.gp;

/**
 * An upper-triangular n × n factor T of a symmetric positive-definite matrix A = TᵀT, and the solves with it: the
 * Cholesky factor U of a covariance matrix ({@link #cholesky}: K + jitter·I = UᵀU) or the triangular factor R of a QR
 * factorisation ({@link QrAccumulator}: RᵀR = BᵀB). A factorisation hands back this solver, never an inverse:
 * A⁻¹b is {@link #solveTransposed} then {@link #solve}, and ln det A = 2·{@link #logDet()}.
 *
 * <p>Storage: column-major, T_ij at {@code i + j·ld} (ld = n but for a view of a larger factor), zeros below the
 * diagonal (LAPACK's 'U'); read row-major, the same numbers are the lower factor L = Tᵀ, A = L Lᵀ. Immutable. One
 * right-hand side is solved in Java in a fixed order of operations (bit for bit reproducible, and allocation-free:
 * the caller passes its own output); many at once in BLAS-3 {@code dtrsm}.
 *
 * <p>Reference: Golub &amp; Van Loan, Matrix Computations, 4th ed. (2013), sec. 3.1 (triangular systems) and
 * sec. 4.2 (Cholesky); EJML's {@code CholeskyDecomposition_F64} and Hipparchus's {@code CholeskyDecomposition}.
 */
public final class TriangularFactor {

    private final int n;
    private final int ld;
    private final double[] t;

    private TriangularFactor(double[] t, int ld, int n) {
        this.n = n;
        this.ld = ld;
        this.t = t;
    }

    /**
     * The Cholesky factor U of K + jitter·I = UᵀU (LAPACK {@code dpotrf}) of a symmetric positive-definite n × n
     * matrix K in either storage order (only the upper triangle of its column-major view is read). {@code k} is
     * overwritten and becomes the factor's storage, so that the largest matrices are held once: the caller must not
     * use it afterwards.
     *
     * @param k K, n² values (a covariance in eV² gives U in eV)
     * @param jitter added to the diagonal (the unit of K; ≥ 0 and finite)
     * @throws NotPositiveDefiniteException if K + jitter·I is not numerically positive definite
     */
    public static TriangularFactor cholesky(double[] k, int n, double jitter) {
        if (!(jitter >= 0) || !Double.isFinite(jitter)) {
            throw new IllegalArgumentException("jitter must be >= 0 and finite, got " + jitter);
        }
        checkSize(k, n);
        for (int i = 0; i < n; i++) {
            k[i + i * n] += jitter;
        }
        NativeLinearAlgebra.choleskyUpper(k, n);
        return new TriangularFactor(k, n, n);
    }

    /**
     * A factor given by its entries (read from a file, or from another factorisation).
     *
     * @param upper T, column-major n × n (a copy is kept): finite, zero below the diagonal, nonzero on it
     * @throws IllegalArgumentException if it is not such a matrix, naming the entry
     */
    public static TriangularFactor upper(double[] upper, int n) {
        checkSize(upper, n);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double v = upper[i + j * n];
                if (!Double.isFinite(v) || (i > j && v != 0.0) || (i == j && v == 0.0)) {
                    throw new IllegalArgumentException("not an invertible upper-triangular factor: element [" + i
                            + ", " + j + "] is " + v);
                }
            }
        }
        return new TriangularFactor(upper.clone(), n, n);
    }

    /**
     * The leading n × n block of the upper-triangular column-major {@code upper} (leading dimension {@code ld} ≥ n),
     * viewed, not copied: the caller must not change it while the view is in use.
     */
    static TriangularFactor leadingBlock(double[] upper, int ld, int n) {
        if (ld < n || upper.length < (long) ld * n) {
            throw new IllegalArgumentException("a leading block of order " + n + " with leading dimension " + ld
                    + " does not fit in " + upper.length + " entries");
        }
        return new TriangularFactor(upper, ld, n);
    }

    /** n, the order of T. */
    public int size() {
        return n;
    }

    /** T, column-major n × n with zeros below the diagonal (a copy); read row-major it is L = Tᵀ. */
    public double[] data() {
        double[] out = new double[n * n];
        for (int j = 0; j < n; j++) {
            System.arraycopy(t, j * ld, out, j * n, j + 1);
        }
        return out;
    }

    /** T_ij (zero below the diagonal). */
    double get(int i, int j) {
        return i > j ? 0.0 : t[i + j * ld];
    }

    /**
     * Solves T x = b by back substitution, column by column (each step reads one contiguous column of T).
     *
     * @param b the right-hand side, n values (not modified unless it is {@code x})
     * @param x receives the solution, n values; may be {@code b} itself
     */
    public void solve(double[] b, double[] x) {
        checkVector(b);
        checkVector(x);
        if (x != b) {
            System.arraycopy(b, 0, x, 0, n);
        }
        for (int j = n - 1; j >= 0; j--) {
            int col = j * ld;
            x[j] /= t[col + j];
            double xj = x[j];
            for (int i = 0; i < j; i++) {
                x[i] -= t[col + i] * xj;
            }
        }
    }

    /**
     * Solves Tᵀ x = b (L x = b) by forward substitution: step i is the dot product of column i of T with the
     * solution so far, summed in four independent chains (a fixed order, so reproducible; the JIT does not vectorise
     * a single floating-point chain).
     *
     * @param b the right-hand side, n values (not modified unless it is {@code x})
     * @param x receives the solution, n values; may be {@code b} itself
     */
    public void solveTransposed(double[] b, double[] x) {
        checkVector(b);
        checkVector(x);
        for (int i = 0; i < n; i++) {
            int col = i * ld;
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            int j = 0;
            for (; j + 4 <= i; j += 4) {
                a0 += t[col + j] * x[j];
                a1 += t[col + j + 1] * x[j + 1];
                a2 += t[col + j + 2] * x[j + 2];
                a3 += t[col + j + 3] * x[j + 3];
            }
            for (; j < i; j++) {
                a0 += t[col + j] * x[j];
            }
            x[i] = (b[i] - ((a0 + a1) + (a2 + a3))) / t[col + i];
        }
    }

    /**
     * Solves T y = b in place for {@code rows} right-hand sides, the rows of the row-major {@code rows × n} array
     * {@code b} (equivalently the columns of a column-major n × rows one); BLAS-3 {@code dtrsm}.
     */
    public void solveRows(double[] b, int rows) {
        checkRows(b, rows);
        NativeLinearAlgebra.solveUpperRows(t, ld, n, b, rows);
    }

    /** As {@link #solveRows}, for Tᵀ y = b. */
    public void solveTransposedRows(double[] b, int rows) {
        checkRows(b, rows);
        NativeLinearAlgebra.solveUpperTransposedRows(t, ld, n, b, rows);
    }

    /**
     * Replaces the first n columns of the column-major {@code rows × ·} array {@code a} (leading dimension
     * {@code rows}) by A T⁻¹: each row a becomes x with x T = a (BLAS-3 {@code dtrsm}). With T = U, UᵀU = K_MM + jitter·I,
     * this whitens kernel rows: (A U⁻¹)(A U⁻¹)ᵀ = A (K_MM + jitter·I)⁻¹ Aᵀ.
     */
    public void multiplyInverseRight(double[] a, int rows) {
        checkRows(a, rows);
        NativeLinearAlgebra.solveRightUpperColumnMajor(t, ld, n, a, rows);
    }

    /** ln |det T| = Σ ln |T_ii|; ln det A is twice this. */
    public double logDet() {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += Math.log(Math.abs(t[i + i * ld]));
        }
        return sum;
    }

    private static void checkSize(double[] a, int n) {
        if (n < 1 || a.length != (long) n * n) {
            throw new IllegalArgumentException("a matrix of order " + n + " needs " + (long) n * n
                    + " entries, got " + a.length);
        }
    }

    private void checkVector(double[] v) {
        if (v.length < n) {
            throw new IllegalArgumentException("a vector for a factor of order " + n + " has " + v.length
                    + " entries");
        }
    }

    private void checkRows(double[] b, int rows) {
        if (rows < 0 || b.length < (long) rows * n) {
            throw new IllegalArgumentException(rows + " rows of " + n + " do not fit in " + b.length + " entries");
        }
    }
}
