package org.soapstone.gp;

import static org.bytedeco.openblas.global.openblas.CblasColMajor;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dpotrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dtpqrt;
import static org.bytedeco.openblas.global.openblas.CblasLower;
import static org.bytedeco.openblas.global.openblas.CblasNonUnit;
import static org.bytedeco.openblas.global.openblas.CblasRight;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_dsyrk;
import static org.bytedeco.openblas.global.openblas.cblas_dtrsm;

/**
 * The few BLAS/LAPACK kernels the fit needs, called in OpenBLAS through the bytedeco preset (reference LAPACK 3.x
 * routines {@code dtpqrt}, {@code dpotrf}; BLAS-3 {@code dgemm}, {@code dsyrk}, {@code dtrsm}).
 *
 * <p>OpenBLAS is set to one thread (a process-wide setting): parallelism comes from our own workers, each reducing
 * its own blocks, merged in a fixed order (see {@link StreamedQrFit}), which keeps results reproducible bit for
 * bit. Measured on the shared 2-core machine under load: {@code dtpqrt} on 2000 × 1001 ran at 0.6–3 GFLOP/s with two
 * OpenBLAS threads against 15–30 GFLOP/s with one (LAPACK makes many medium-sized BLAS calls, and OpenBLAS threads
 * spin-wait for each other when a core is taken).
 *
 * <p>Every routine takes plain Java arrays: the preset copies them in and out, which costs O(size) against the
 * O(size × M) arithmetic of each call.
 */
final class NativeLinearAlgebra {

    /** Block size of the compact-WY representation inside {@code dtpqrt} (32 measured fastest of 32, 64, 128). */
    private static final int QR_BLOCK = 32;

    static {
        org.bytedeco.openblas.presets.openblas.blas_set_num_threads(1);
    }

    private NativeLinearAlgebra() {
    }

    /**
     * {@code out (n × m, row-major) = a (n × d, row-major) · b (m × d, row-major)ᵀ}.
     */
    static void multiplyTransposed(double[] a, int n, double[] b, int m, int d, double[] out) {
        multiplyTransposed(a, 0, n, b, m, d, out);
    }

    /** As {@link #multiplyTransposed(double[], int, double[], int, int, double[])} with a's rows from {@code aOffset}. */
    static void multiplyTransposed(double[] a, int aOffset, int n, double[] b, int m, int d, double[] out) {
        if (n == 0 || m == 0) {
            return;
        }
        if (d == 0) {
            java.util.Arrays.fill(out, 0, n * m, 0.0);
            return;
        }
        // the preset's array overloads pin whole arrays, so a slice is copied (O(n·d) against O(n·m·d) flops)
        double[] rows = aOffset == 0 ? a : java.util.Arrays.copyOfRange(a, aOffset, aOffset + n * d);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m, d, 1.0, rows, d, b, d, 0.0, out, m);
    }

    /**
     * {@code out (n × m, row-major) += alpha · a (n × d, row-major) · b (d × m, row-major)}; only the first
     * {@code d × m} entries of {@code b} are read.
     */
    static void multiplyAccumulate(double alpha, double[] a, int n, int d, double[] b, int m, double[] out) {
        if (n == 0 || m == 0 || d == 0) {
            return;
        }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m, d, alpha, a, d, b, m, 1.0, out, m);
    }

    /**
     * {@code c += alpha · aᵀa} on the upper triangle of the column-major {@code n × n} {@code c} (leading dimension
     * {@code ldc}), {@code a} the first n columns of a column-major {@code rows × ·} array (leading dimension
     * {@code rows}); BLAS-3 {@code dsyrk}. The strict lower triangle of {@code c} is not touched.
     */
    static void addGram(double[] a, int rows, int n, double alpha, double[] c, int ldc) {
        if (rows == 0 || n == 0) {
            return;
        }
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, n, rows, alpha, a, rows, 1.0, c, ldc);
    }

    /**
     * Solves Y Tᵀ = B in place for {@code rows} row vectors: each row b of the row-major {@code rows × m} array
     * {@code b} becomes y with T y = b, T the leading {@code m × m} upper triangle of the column-major {@code t}
     * (leading dimension {@code ld}). BLAS-3 {@code dtrsm}.
     */
    static void solveUpperRows(double[] t, int ld, int m, double[] b, int rows) {
        if (rows == 0) {
            return;
        }
        // the column-major upper T read row-major is its transpose L, a lower triangle: solve Y L = B
        cblas_dtrsm(CblasRowMajor, CblasRight, CblasLower, CblasNoTrans, CblasNonUnit, rows, m, 1.0, t, ld, b, m);
    }

    /** As {@link #solveUpperRows}, but each row becomes y with Tᵀ y = b (Y T = B, i.e. Y Lᵀ = B). */
    static void solveUpperTransposedRows(double[] t, int ld, int m, double[] b, int rows) {
        if (rows == 0) {
            return;
        }
        cblas_dtrsm(CblasRowMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, rows, m, 1.0, t, ld, b, m);
    }

    /**
     * Solves X T = A in place for the first m columns of the column-major {@code rows × ·} array {@code a} (leading
     * dimension {@code rows}), T the leading {@code m × m} upper triangle of the column-major {@code t} (leading
     * dimension {@code ld}); BLAS-3 {@code dtrsm}.
     */
    static void solveRightUpperColumnMajor(double[] t, int ld, int m, double[] a, int rows) {
        if (rows == 0) {
            return;
        }
        cblas_dtrsm(CblasColMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, rows, m, 1.0, t, ld, a, rows);
    }

    /**
     * Cholesky factor in place: on entry the upper triangle of the symmetric positive-definite {@code n × n}
     * column-major {@code a}; on exit the upper factor {@code U} with {@code a = Uᵀ U} (LAPACK {@code dpotrf}, 'U').
     * The strict lower triangle is zeroed.
     *
     * @throws NotPositiveDefiniteException if {@code a} is not numerically positive definite
     */
    static void choleskyUpper(double[] a, int n) {
        int info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, (byte) 'U', n, a, n);
        if (info > 0) {
            throw new NotPositiveDefiniteException(info, n);
        }
        check(info, "dpotrf");
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                a[i + j * n] = 0.0;
            }
        }
    }

    /**
     * Triangular-pentagonal QR (LAPACK {@code dtpqrt}): replaces the upper-triangular {@code n × n} column-major
     * {@code r} by the triangular factor of {@code [r; b]}, where {@code b} is {@code rows × n} column-major whose
     * last {@code l} rows form an upper trapezoid ({@code l = 0}: a full block; {@code l = n = rows}: a triangle).
     * {@code b} is overwritten with the Householder vectors, which the caller discards.
     */
    static void stackedQr(double[] r, int n, double[] b, int rows, int l) {
        if (rows == 0) {
            return;
        }
        int nb = Math.max(1, Math.min(QR_BLOCK, n));
        double[] t = new double[nb * n];
        int info = LAPACKE_dtpqrt(LAPACK_COL_MAJOR, rows, n, l, nb, r, n, b, rows, t, nb);
        check(info, "dtpqrt");
    }

    private static void check(int info, String routine) {
        if (info != 0) {
            throw new IllegalStateException(routine + " failed: info = " + info);
        }
    }
}
