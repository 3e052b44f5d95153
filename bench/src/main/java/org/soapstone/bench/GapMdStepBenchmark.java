package org.soapstone.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.VelocityVerlet;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/**
 * One full GAP-Si MD step per operation, as {@code soapstone md --model} takes it: velocity Verlet (half kick,
 * drift, {@link FastGapCalculator} through {@link MdSystem} — energy, forces, stress, per-atom energies and, with
 * {@code sigma=true}, every atom's local-energy deviation —, half kick) on diamond Si started at 300 K. Neighbour-list
 * rebuilds happen when the Verlet skin ({@code skin}, Å) is used up, as in a real run; {@code -p skin=0} rebuilds
 * the list at every step. Divide the time by {@code atoms} for µs per atom-step; with {@code -prof gc},
 * {@code gc.alloc.rate.norm} is the Java-heap allocation per step summed over every thread of the JVM (the pool's
 * workers included).
 *
 * <p>{@code model}: {@code mlearn-shape} (built in memory: the mlearn-Si GAP's shapes, SOAP n_max=8 l_max=8 cutoff
 * 5.4 Å, ζ=4, 1000 sparse points, random α, QUIP's variance; see {@link GapEvaluatorBenchmark}) or the path of a
 * model file (e.g. {@code bench/target/gap-md/si.gap}, the mlearn-Si fit that {@code bench/gap-md.sh} makes, whose
 * deviations are its posterior's; or its gap_fit XML, with QUIP's variance). Run:
 * {@code java -jar bench/target/benchmarks.jar GapMdStep -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GapMdStepBenchmark {
    @Param({"mlearn-shape"})
    public String model;

    @Param({"64", "512"})
    public int atoms;

    @Param({"1", "2"})
    public int threads;

    @Param({"false", "true"})
    public boolean sigma;

    /** The Verlet skin (Å); 0 rebuilds the neighbour list at every step. */
    @Param({"1.0"})
    public double skin;

    private WorkerPool pool;
    private FastGapCalculator evaluator;
    private VelocityVerlet integrator;

    @Setup
    public void setUp() throws Exception {
        GapModel gap = model.equals("mlearn-shape") ? GapEvaluatorBenchmark.mlearnShape() : GapModel.read(Path.of(model));
        Structure s = Crystal.diamond(14, 5.431, (int) Math.round(Math.cbrt(atoms / 8.0)));
        if (s.size() != atoms) {
            throw new IllegalArgumentException("atoms must be 8·k³ (diamond cubic cells), got " + atoms);
        }
        MaxwellBoltzmann.assign(s, 300, 1, MaxwellBoltzmann.Scaling.EXACT);
        pool = new WorkerPool(threads);
        evaluator = new FastGapCalculator(gap, s, pool, new EvaluatorOptions(skin, sigma, 0));
        integrator = new VelocityVerlet(new MdSystem(s, evaluator), 1.0);
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    /** @return the potential energy (eV) after one MD step of 1 fs */
    @Benchmark
    public double step() {
        integrator.step();
        return integrator.system().results().energy;
    }

    /**
     * The same steps outside JMH, side by side, for a shared machine whose speed drifts: for each atom count, the four
     * cases (1 and 2 threads, σ off and on) are set up in one JVM, warmed up (as many steps as {@code -Dwarmup} samples take, default 30), then
     * run in turn, one sample of ⌈{@code -DatomSteps}/atoms⌉ steps (default 4096) each per round, for
     * {@code -Drounds} rounds (default 15). Each round gives paired ratios — σ on ÷ off per thread count, 1 ÷ 2
     * threads per σ — taken seconds apart, so that a slow spell of the machine slows both sides of a ratio. Prints
     * per case the median wall and process-CPU µs per atom-step and the bytes allocated per step (over 10 samples
     * after the rounds) summed over every thread of the JVM (com.sun.management.ThreadMXBean, which JMH's
     * {@code -prof gc} cannot resolve below its own bookkeeping per iteration), then the medians and quartiles of
     * the paired wall-time ratios.
     *
     * @param args [model] [atoms,…] (default mlearn-shape 64,512)
     */
    public static void main(String[] args) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        var threadsBean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        String name = args.length > 0 ? args[0] : "mlearn-shape";
        int[] sizes = java.util.Arrays.stream((args.length > 1 ? args[1] : "64,512").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int rounds = Integer.getInteger("rounds", 15);
        int warmup = Integer.getInteger("warmup", 30);
        int[][] cases = {{1, 0}, {1, 1}, {2, 0}, {2, 1}};
        for (int n : sizes) {
            GapMdStepBenchmark[] b = new GapMdStepBenchmark[cases.length];
            for (int c = 0; c < cases.length; c++) {
                b[c] = new GapMdStepBenchmark();
                b[c].model = name;
                b[c].atoms = n;
                b[c].threads = cases[c][0];
                b[c].sigma = cases[c][1] == 1;
                b[c].skin = 1.0;
                b[c].setUp();
            }
            int batch = Math.max(1, Integer.getInteger("atomSteps", 4096) / n);
            for (GapMdStepBenchmark x : b) {
                for (int i = 0; i < warmup * batch; i++) {
                    x.step();
                }
            }
            double[][] wall = new double[cases.length][rounds];
            double[][] cpu = new double[cases.length][rounds];
            double[] bytes = new double[cases.length];
            for (int r = 0; r < rounds; r++) {
                for (int c = 0; c < cases.length; c++) {
                    long c0 = os.getProcessCpuTime();
                    long w0 = System.nanoTime();
                    for (int k = 0; k < batch; k++) {
                        b[c].step();
                    }
                    wall[c][r] = (System.nanoTime() - w0) * 1e-3 / ((long) n * batch);
                    cpu[c][r] = (os.getProcessCpuTime() - c0) * 1e-3 / ((long) n * batch);
                }
            }
            for (int c = 0; c < cases.length; c++) {
                long a0 = GapEvaluatorBenchmark.allocated(threadsBean);
                for (int k = 0; k < 10 * batch; k++) {
                    b[c].step();
                }
                bytes[c] = (GapEvaluatorBenchmark.allocated(threadsBean) - a0) / (10.0 * batch);
            }
            System.out.printf(java.util.Locale.ROOT, "%d atoms, %d rounds of %d steps per case%n", n, rounds, batch);
            System.out.println("threads sigma wall_us_per_atom_step cpu_us_per_atom_step bytes_per_step");
            for (int c = 0; c < cases.length; c++) {
                System.out.printf(java.util.Locale.ROOT, "%d %s %.1f %.1f %.1f%n", cases[c][0], cases[c][1] == 1,
                        quantile(wall[c], 0.5), quantile(cpu[c], 0.5), bytes[c]);
            }
            printRatio("sigma on / off, 1 thread", wall[1], wall[0]);
            printRatio("sigma on / off, 2 threads", wall[3], wall[2]);
            printRatio("1 / 2 threads, sigma off", wall[0], wall[2]);
            printRatio("1 / 2 threads, sigma on", wall[1], wall[3]);
            for (GapMdStepBenchmark x : b) {
                x.tearDown();
            }
        }
    }

    /** Prints the median and quartiles over rounds of the paired ratio a[r] / b[r]. */
    private static void printRatio(String what, double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] / b[i];
        }
        System.out.printf(java.util.Locale.ROOT, "%s: median %.3f (quartiles %.3f–%.3f)%n", what, quantile(r, 0.5),
                quantile(r, 0.25), quantile(r, 0.75));
    }

    /** The q-quantile of {@code v} (nearest rank; sorts a copy). */
    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }
}
