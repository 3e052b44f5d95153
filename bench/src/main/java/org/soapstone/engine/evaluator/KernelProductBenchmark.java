package org.soapstone.engine.evaluator;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.DoublePointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.soapstone.engine.gap.PanelledRows;

/**
 * The two products of a GAP term's prediction for one sub-block of the fast evaluator — the kernel arguments
 * x_b·x_s of a sub-block's instances against M sparse points, then ∂e_b/∂x = Σ_s w_bs x_s — with the mlearn-Si model's sizes
 * (SOAP n_max = l_max = 8: D = 324; M = 1000), on one thread: {@code panelled} ({@link PanelledRows}, the sparse
 * points stored once in register-tile panels, as {@link TermKernel} does) against {@code dgemm} (OpenBLAS
 * {@code cblas_dgemm} on native copies, which packs the sparse points into its panels on every call). Score: µs per
 * instance (both products).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar KernelProduct -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class KernelProductBenchmark {
    private static final int BLOCK = FastGapCalculator.SUB_BLOCK;
    private static final int M = 1000;
    private static final int D = 324;

    @Param({"panelled", "dgemm"})
    public String products;

    private PanelledRows rows;
    private PanelledRows columns;
    private double[] x;
    private double[] dots;
    private double[] grad;
    private DoublePointer nativeSparse;
    private DoublePointer nativeX;
    private DoublePointer nativeDots;
    private DoublePointer nativeGrad;

    @Setup
    public void setUp() {
        org.bytedeco.openblas.presets.openblas.blas_set_num_threads(1);
        SplittableRandom rnd = new SplittableRandom(1);
        double[] sparse = new double[M * D];
        for (int i = 0; i < sparse.length; i++) {
            sparse[i] = rnd.nextDouble(-1, 1);
        }
        x = new double[BLOCK * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        rows = new PanelledRows(sparse, M, D);
        columns = PanelledRows.ofTransposed(sparse, D, M);
        dots = new double[BLOCK * rows.paddedRows()];
        grad = new double[BLOCK * columns.paddedRows()];
        nativeSparse = new DoublePointer(sparse);
        nativeX = new DoublePointer(x);
        nativeDots = new DoublePointer((long) BLOCK * M);
        nativeGrad = new DoublePointer((long) BLOCK * D);
    }

    /** @return one entry of ∂e/∂x, so that nothing is dead code */
    @Benchmark
    @OperationsPerInvocation(BLOCK)
    public double bothProducts() {
        if (products.equals("panelled")) {
            rows.multiply(x, 0, D, BLOCK, dots, 0, rows.paddedRows());
            columns.multiply(dots, 0, rows.paddedRows(), BLOCK, grad, 0, columns.paddedRows());
            return grad[7];
        }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, BLOCK, M, D, 1.0, nativeX, D, nativeSparse, D, 0.0,
                nativeDots, M);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, BLOCK, D, M, 1.0, nativeDots, M, nativeSparse, D, 0.0,
                nativeGrad, D);
        return nativeGrad.get(7);
    }
}
