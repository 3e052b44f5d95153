package org.soapstone.gp;

import static org.bytedeco.openblas.global.openblas.CblasColMajor;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dpotrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dtpqrt_work;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dtrcon;
import static org.bytedeco.openblas.global.openblas.CblasLower;
import static org.bytedeco.openblas.global.openblas.CblasNonUnit;
import static org.bytedeco.openblas.global.openblas.CblasRight;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_dsyrk;
import static org.bytedeco.openblas.global.openblas.cblas_dtrsm;

import java.lang.foreign.Arena;

/**
 * The few BLAS/LAPACK kernels the fit needs, called in OpenBLAS through the bytedeco preset (reference LAPACK 3.x
 * routines {@code dtpqrt}, {@code dpotrf}, {@code dtrcon}; BLAS-3 {@code dgemm}, {@code dsyrk}, {@code dtrsm}).
 *
 * <p>OpenBLAS is set to one thread (a process-wide setting): parallelism comes from our own workers, each reducing
 * its own blocks, merged in a fixed order (see {@link StreamedQrFit}), which keeps results reproducible bit for
 * bit. Measured on the shared 2-core machine under load: {@code dtpqrt} on 2000 × 1001 ran at 0.6–3 GFLOP/s with two
 * OpenBLAS threads against 15–30 GFLOP/s with one (LAPACK makes many medium-sized BLAS calls, and OpenBLAS threads
 * spin-wait for each other when a core is taken).
 *
 * <p>Every routine takes plain Java arrays and copies them in and out of native memory aligned to a cache line
 * ({@link NativeDoubles}; LAPACK's workspace too), which costs O(size) against the O(size × M) arithmetic of each
 * call — as much as the preset's own copies of arrays, which land wherever {@code malloc} puts them: an operand
 * whose alignment changed from call to call could change the order in which a kernel sums.
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
        try (Arena arena = Arena.ofConfined()) {
            NativeDoubles c = new NativeDoubles(arena, (long) n * m);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m, d, 1.0,
                    NativeDoubles.of(arena, a, aOffset, n * d).pointer, d, NativeDoubles.of(arena, b, 0, m * d).pointer,
                    d, 0.0, c.pointer, m);
            c.copyTo(out, 0, n * m);
        }
    }

    /**
     * {@code out (n × m, row-major) += alpha · a (n × d, row-major) · b (d × m, row-major)}; only the first
     * {@code d × m} entries of {@code b} are read.
     */
    static void multiplyAccumulate(double alpha, double[] a, int n, int d, double[] b, int m, double[] out) {
        if (n == 0 || m == 0 || d == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            NativeDoubles c = NativeDoubles.of(arena, out, 0, n * m);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m, d, alpha,
                    NativeDoubles.of(arena, a, 0, n * d).pointer, d, NativeDoubles.of(arena, b, 0, d * m).pointer, m,
                    1.0, c.pointer, m);
            c.copyTo(out, 0, n * m);
        }
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
        try (Arena arena = Arena.ofConfined()) {
            NativeDoubles g = NativeDoubles.of(arena, c, 0, (n - 1) * ldc + n);
            cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, n, rows, alpha,
                    NativeDoubles.of(arena, a, 0, (n - 1) * rows + rows).pointer, rows, 1.0, g.pointer, ldc);
            g.copyTo(c, 0, (n - 1) * ldc + n);
        }
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
        // the column-major upper T read row-major is its transpose, a lower triangle: solve Y (Tᵀ)ᵀ = B
        try (Arena arena = Arena.ofConfined()) {
            NativeDoubles y = NativeDoubles.of(arena, b, 0, rows * m);
            cblas_dtrsm(CblasRowMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, rows, m, 1.0,
                    NativeDoubles.of(arena, t, 0, (m - 1) * ld + m).pointer, ld, y.pointer, m);
            y.copyTo(b, 0, rows * m);
        }
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
        try (Arena arena = Arena.ofConfined()) {
            NativeDoubles x = NativeDoubles.of(arena, a, 0, m * rows);
            cblas_dtrsm(CblasColMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, rows, m, 1.0,
                    NativeDoubles.of(arena, t, 0, (m - 1) * ld + m).pointer, ld, x.pointer, rows);
            x.copyTo(a, 0, m * rows);
        }
    }

    /**
     * Cholesky factor in place: on entry the upper triangle of the symmetric positive-definite {@code n × n}
     * column-major {@code a}; on exit the upper factor {@code U} with {@code a = Uᵀ U} (LAPACK {@code dpotrf}, 'U').
     * The strict lower triangle is zeroed.
     *
     * @throws NotPositiveDefiniteException if {@code a} is not numerically positive definite
     */
    static void choleskyUpper(double[] a, int n) {
        int info;
        try (Arena arena = Arena.ofConfined()) {
            NativeDoubles u = NativeDoubles.of(arena, a, 0, n * n);
            info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, (byte) 'U', n, u.pointer, n);
            u.copyTo(a, 0, n * n);
        }
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
        if (hasNaN(r, n * n) || hasNaN(b, rows * n)) {
            throw new IllegalStateException("dtpqrt failed: its input holds a NaN");
        }
        int nb = Math.max(1, Math.min(QR_BLOCK, n));
        try (Arena arena = Arena.ofConfined()) {
            NativeDoubles nr = NativeDoubles.of(arena, r, 0, n * n);
            NativeDoubles nbm = NativeDoubles.of(arena, b, 0, rows * n);
            int info = LAPACKE_dtpqrt_work(LAPACK_COL_MAJOR, rows, n, l, nb, nr.pointer, n, nbm.pointer, rows,
                    new NativeDoubles(arena, (long) nb * n).pointer, nb, new NativeDoubles(arena, (long) nb * n).pointer);
            check(info, "dtpqrt");
            nr.copyTo(r, 0, n * n);
            nbm.copyTo(b, 0, rows * n);
        }
    }

    /** As LAPACKE's own check before it calls LAPACK, which its {@code _work} variant leaves to the caller. */
    private static boolean hasNaN(double[] values, int length) {
        for (int i = 0; i < length; i++) {
            if (Double.isNaN(values[i])) {
                return true;
            }
        }
        return false;
    }

    private static void check(int info, String routine) {
        if (info != 0) {
            throw new IllegalStateException(routine + " failed: info = " + info);
        }
    }

    /**
     * LAPACK's {@code dtrcon}: an estimate of the reciprocal condition number 1/(‖R‖·‖R⁻¹‖) of an upper-triangular
     * matrix, in the 1-norm ({@code 'O'}) or the ∞-norm ({@code 'I'}).
     *
     * @param upper R, column-major n × n (entries below the diagonal are not read)
     * @throws IllegalStateException if LAPACK reports an error
     */
    static double triangularReciprocalCondition(double[] upper, int n, char norm) {
        double[] rcond = new double[1];
        int info = LAPACKE_dtrcon(LAPACK_COL_MAJOR, (byte) norm, (byte) 'U', (byte) 'N', n, upper, n, rcond);
        if (info != 0) {
            throw new IllegalStateException("dtrcon failed, info = " + info);
        }
        return rcond[0];
    }
}
