package org.soapstone.gp;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;

/**
 * Native buffers for products against {@link SparseRows}, grown to the largest product seen and then reused, so that
 * a product allocates nothing: one per thread. The same {@code dgemm} on operands aligned to a cache line as
 * {@link NativeLinearAlgebra}'s copies, so the results are bit for bit those of a product of fresh copies.
 */
public final class ProductScratch {
    static {
        // one BLAS thread per call, as everywhere here (NativeLinearAlgebra)
        org.bytedeco.openblas.presets.openblas.blas_set_num_threads(1);
    }

    private NativeDoubles a = new NativeDoubles(0);
    private NativeDoubles c = new NativeDoubles(0);

    /**
     * {@code out (n × m, row-major) = x (n rows of d from xOffset, row-major) · Zᵀ}.
     *
     * @param x the rows
     * @param xOffset where the first row starts
     * @param n the number of rows
     * @param z the sparse points (m × d)
     * @param out at least n × m values, overwritten
     */
    public void multiplyTransposed(double[] x, int xOffset, int n, SparseRows z, double[] out) {
        int m = z.count();
        int d = z.dimension();
        if (n == 0 || m == 0) {
            return;
        }
        if (d == 0) {
            java.util.Arrays.fill(out, 0, n * m, 0.0);
            return;
        }
        if (a.length() < (long) n * d) {
            a = new NativeDoubles((long) n * d);
        }
        if (c.length() < (long) n * m) {
            c = new NativeDoubles((long) n * m);
        }
        MemorySegment.copy(x, xOffset, a.segment, JAVA_DOUBLE, 0, n * d);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m, d, 1.0, a.pointer, d, z.nativeValues().pointer, d,
                0.0, c.pointer, m);
        MemorySegment.copy(c.segment, JAVA_DOUBLE, 0, out, 0, n * m);
    }
}
