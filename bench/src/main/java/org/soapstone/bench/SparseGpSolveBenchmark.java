package org.soapstone.bench;

import static org.bytedeco.openblas.global.openblas.CblasColMajor;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.soapstone.gp.DesignBlock;
import org.soapstone.gp.DotProductKernel;
import org.soapstone.gp.ObservationBlock;
import org.soapstone.gp.ObservationKind;
import org.soapstone.gp.QrAccumulator;
import org.soapstone.gp.StreamedQrFit;
import org.soapstone.gp.SparseGpModel;
import org.soapstone.gp.SparsePoints;
import org.soapstone.gp.TriangularFactor;

/**
 * The streamed projected-process solve (QR of [Λ^{-1/2}K_NM | Λ^{-1/2}y ; U] block by block with LAPACK dtpqrt, then
 * α = R⁻¹c) for N = 40 000 observation rows and M = 1000 or 4000 sparse points, on random well-conditioned data;
 * and one dense 2000³ dgemm on 1 and 2 OpenBLAS threads to show the achieved GFLOP/s. gap_fit's solve for mlearn-Si (M = 1000) takes 4 s.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar SparseGpSolve -f 1 -wi 1 -i 3}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class SparseGpSolveBenchmark {

    /** Observation rows. */
    static final int ROWS = 40_000;

    /** Distinct random blocks cycled through (keeps the set-up memory at a few blocks). */
    static final int POOL = 4;

    @State(Scope.Benchmark)
    public static class Solve {
        @Param({"1000", "4000"})
        int sparse;

        @Param({"2000"})
        int blockRows;

        /** Fit workers (OpenBLAS itself runs one thread per worker). */
        @Param({"2"})
        int threads;

        double[][] pool;
        TriangularFactor upper;
        SparsePoints points;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random = new SplittableRandom(1);
            int n = sparse + 1;
            pool = new double[POOL][blockRows * n];
            for (double[] block : pool) {
                for (int i = 0; i < block.length; i++) {
                    block[i] = random.nextDouble(-1, 1);
                }
            }
            // prior factor U: well conditioned upper triangle (diagonal 2..3, small off-diagonal)
            double[] u = new double[sparse * sparse];
            for (int j = 0; j < sparse; j++) {
                for (int i = 0; i < j; i++) {
                    u[i + j * sparse] = random.nextDouble(-1, 1) / sparse;
                }
                u[j + j * sparse] = 2 + random.nextDouble();
            }
            upper = TriangularFactor.upper(u, sparse);
            points = new SparsePoints(1, new double[sparse]);
        }
    }

    /** The fit's parallel reduction of N/blockRows blocks (each a copy of a pooled random block), then α. */
    @Benchmark
    public double[] streamedSolve(Solve s) {
        List<double[]> blocks = new ArrayList<>();
        for (int b = 0; b < ROWS / s.blockRows; b++) {
            blocks.add(s.pool[b % POOL]);
        }
        QrAccumulator data = StreamedQrFit.accumulate(blocks,
                block -> new DesignBlock(s.blockRows, s.sparse, block.clone(), 0.0), s.sparse, s.threads);
        QrAccumulator acc = QrAccumulator.prior(s.upper);
        acc.merge(data);
        return new SparseGpModel(new DotProductKernel(1, 1), s.points, 0.0, s.upper, acc).posterior().alpha();
    }

    @State(Scope.Benchmark)
    public static class Gemm {
        static final int N = 2000;

        /** OpenBLAS threads for this product. */
        @Param({"1", "2"})
        int blasThreads;

        double[] a;
        double[] b;
        double[] c;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random = new SplittableRandom(2);
            a = random.doubles(N * N, -1, 1).toArray();
            b = random.doubles(N * N, -1, 1).toArray();
            c = new double[N * N];
            org.bytedeco.openblas.presets.openblas.blas_set_num_threads(blasThreads);
        }
    }

    /** 2·2000³ = 16 GFLOP: GFLOP/s = 16 / (seconds per operation). */
    @Benchmark
    public double[] dgemm2000(Gemm g) {
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Gemm.N, Gemm.N, Gemm.N, 1.0, g.a, Gemm.N, g.b, Gemm.N, 0.0, g.c, Gemm.N);
        return g.c;
    }

    /**
     * One block of 2000 force rows as SOAP gives them for mlearn-Si: 30 environments move with each atom (diamond Si
     * within 5 Å), descriptor dimension 300, M = 1000. The fit of 40 000 rows assembles 20 such blocks.
     */
    @State(Scope.Benchmark)
    public static class Assembly {
        static final int D = 300;
        static final int M = 1000;
        static final int ROWS = 2000;
        static final int TERMS_PER_ROW = 30;
        static final int ENVIRONMENTS = 700;

        ObservationBlock block;
        SparsePoints points;
        DotProductKernel kernel = new DotProductKernel(1.0, 4);

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random = new SplittableRandom(3);
            double[] x = unitRows(random, ENVIRONMENTS, D);
            points = new SparsePoints(D, unitRows(random, M, D));
            ObservationBlock.Builder b = new ObservationBlock.Builder(D);
            for (int e = 0; e < ENVIRONMENTS; e++) {
                b.environment(x, e * D);
            }
            double[] g = new double[D];
            for (int r = 0; r < ROWS; r++) {
                b.row(random.nextDouble(-1, 1), 0.1, ObservationKind.FORCE);
                for (int t = 0; t < TERMS_PER_ROW; t++) {
                    for (int c = 0; c < D; c++) {
                        g[c] = random.nextDouble(-0.1, 0.1);
                    }
                    b.gradient(random.nextInt(ENVIRONMENTS), g, 0);
                }
            }
            block = b.build();
        }

        private static double[] unitRows(SplittableRandom random, int n, int d) {
            double[] x = random.doubles((long) n * d, 0, 1).toArray();
            for (int i = 0; i < n; i++) {
                double norm = 0;
                for (int c = 0; c < d; c++) {
                    norm += x[i * d + c] * x[i * d + c];
                }
                for (int c = 0; c < d; c++) {
                    x[i * d + c] /= Math.sqrt(norm);
                }
            }
            return x;
        }
    }

    /** Kernel rows of one block of force observations, whitened (60 000 gradient contractions × 1000 points). */
    @Benchmark
    public DesignBlock assembleForceBlock(Assembly a) {
        return DesignBlock.assemble(a.kernel, a.points, a.block);
    }
}
