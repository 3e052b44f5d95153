package org.soapstone.bench;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
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
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/**
 * One GAP step (energy, forces, virial, per-atom energies and, with {@code variance=true}, every atom's local-energy
 * deviation) of rattled diamond Si through {@link FastGapCalculator}'s MemorySegment API, against
 * {@link ReferenceGapCalculator} (energy, forces, stress): time per step; divide by {@code atoms} for µs per atom-step.
 * Models: {@code si-soap} (gap_fit's test model: SOAP n_max=8 l_max=8 cutoff 5 Å, ζ=4, 200 sparse points) and
 * {@code mlearn-shape} (the mlearn-Si model's shapes: SOAP n_max=8 l_max=8 cutoff 5.4 Å, ζ=4, 1000 sparse points
 * taken from SOAP vectors of rattled and strained diamond, random α; the deviations use QUIP's variance, which costs
 * what a posterior's does at the same rank). Run:
 * {@code java -jar bench/target/benchmarks.jar GapEvaluatorBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GapEvaluatorBenchmark {
    @Param({"si-soap", "mlearn-shape"})
    public String model;

    @Param({"64", "512"})
    public int atoms;

    @Param({"1", "2"})
    public int threads;

    @Param({"false", "true"})
    public boolean variance;

    /** Eigenpairs kept for the deviations (0: all, exact). */
    @Param({"0"})
    public int rank;

    private WorkerPool pool;
    private FastGapCalculator evaluator;
    private ReferenceGapCalculator calculator;
    private Structure structure;
    private Arena arena;
    private MemorySegment positions;
    private MemorySegment forces;
    private MemorySegment virial;
    private MemorySegment energies;
    private MemorySegment deviations;
    private final CalculationResults results = new CalculationResults();
    private final EnumSet<Property> requested = EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS,
            Property.ENERGIES);

    @Setup
    public void setUp() throws Exception {
        GapModel gap = switch (model) {
            case "si-soap" -> GapModel.readQuip(BenchData.shared("reference/gap_fit/si-soap/gp.xml"));
            case "mlearn-shape" -> mlearnShape();
            default -> throw new IllegalArgumentException("unknown model " + model);
        };
        structure = rattledDiamond(atoms == 64 ? 2 : 4, 0.1, 5.431, 1);
        pool = new WorkerPool(threads);
        evaluator = new FastGapCalculator(gap, structure, pool, new EvaluatorOptions(1.0, variance, rank));
        calculator = new ReferenceGapCalculator(gap, pool);
        int n = structure.size();
        arena = Arena.ofShared();
        positions = arena.allocate(JAVA_DOUBLE, 3L * n);
        forces = arena.allocate(JAVA_DOUBLE, 3L * n);
        virial = arena.allocate(JAVA_DOUBLE, 9);
        energies = arena.allocate(JAVA_DOUBLE, n);
        deviations = variance ? arena.allocate(JAVA_DOUBLE, n) : null;
        MemorySegment.copy(structure.positions(), 0, positions, JAVA_DOUBLE, 0, 3 * n);
    }

    /** Diamond Si of (reps)³ conventional cells, lattice a (Å), every coordinate moved by a Gaussian of σ amp (Å). */
    static Structure rattledDiamond(int reps, double amp, double a, long seed) {
        Structure s = Crystal.diamond(14, a, reps);
        Random rng = new Random(seed);
        double[] r = s.positions();
        for (int k = 0; k < r.length; k++) {
            r[k] += amp * rng.nextGaussian();
        }
        return s;
    }

    /** A model with the mlearn-Si GAP's shapes: SOAP 8/8 cutoff 5.4 Å, ζ = 4, 1000 sparse environments. */
    static GapModel mlearnShape() {
        DescriptorSpec spec = DescriptorString.parse("soap cutoff=5.4 n_max=8 l_max=8 atom_sigma=0.5 zeta=4 "
                + "cutoff_transition_width=1.0 delta=1.0 covariance_type=dot_product n_sparse=1000 "
                + "sparse_method=cur_points").addSpecies(new int[] {14}).getFirst();
        int m = 1000;
        int d = spec.create().dimension();
        double[] sparse = new double[m * d];
        int filled = 0;
        for (int c = 0; filled < m; c++) {
            Structure s = rattledDiamond(4, 0.05 + 0.05 * c, 5.2 + 0.1 * c, 10 + c);
            DescriptorOutput out = spec.create().compute(s, false);
            int take = Math.min(out.count(), Math.min(m - filled, 256));
            System.arraycopy(out.values(), 0, sparse, filled * d, take * d);
            filled += take;
        }
        Random rng = new Random(3);
        double[] alpha = new double[m];
        double[] cutoff = new double[m];
        for (int s = 0; s < m; s++) {
            alpha[s] = 1e-3 * rng.nextGaussian();
            cutoff[s] = 1;
        }
        double[] e0 = new double[GapModel.MAX_Z + 1];
        e0[14] = -0.79;
        GapTerm term = new GapTerm("mlearn_shape", spec, CovarianceType.DOT_PRODUCT, 1.0, 0, 4, new double[0], sparse,
                alpha, cutoff);
        return new GapModel("mlearn_shape", GapModel.GAP_VERSION, e0, List.of(term));
    }

    @TearDown
    public void tearDown() {
        arena.close();
        pool.close();
    }

    /** @return the energy (eV) of one evaluator step into the segments */
    @Benchmark
    public double evaluator() {
        return evaluator.evaluate(positions, null, forces, virial, energies, deviations);
    }

    /** @return the energy (eV) of one ReferenceGapCalculator call (no deviations) */
    @Benchmark
    public double gapCalculator() {
        calculator.calculate(structure, requested, results);
        return results.energy;
    }

    /**
     * The same cases outside JMH, for a shared machine: per case the median over 15 samples of ⌈1024/atoms⌉ steps
     * (after 10 warm-up steps)
     * of wall time and of process CPU time per atom-step (µs; CPU time is insensitive to other processes taking the
     * CPU, and on two threads shows the parallel overhead), and the bytes allocated per step summed over every
     * thread of the JVM (com.sun.management.ThreadMXBean).
     *
     * @param args optional model names (default: si-soap mlearn-shape)
     */
    public static void main(String[] args) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        var threadsBean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        String[] models = args.length > 0 ? args : new String[] {"si-soap", "mlearn-shape"};
        System.out.println("model atoms threads what wall_us_per_atom_step cpu_us_per_atom_step bytes_per_step");
        for (String name : models) {
            for (int n : new int[] {64, 512}) {
                for (int t = 1; t <= 2; t++) {
                    for (String what : new String[] {"ReferenceGapCalculator", "evaluator", "evaluator+sigma"}) {
                        GapEvaluatorBenchmark b = new GapEvaluatorBenchmark();
                        b.model = name;
                        b.atoms = n;
                        b.threads = t;
                        b.variance = what.endsWith("sigma");
                        b.setUp();
                        Runnable step = what.equals("ReferenceGapCalculator") ? b::gapCalculator : b::evaluator;
                        double[] wall = new double[15];
                        double[] cpu = new double[15];
                        for (int i = 0; i < 10; i++) {
                            step.run();
                        }
                        int batch = Math.max(1, 1024 / n);
                        long a0 = allocated(threadsBean);
                        for (int i = 0; i < 15; i++) {
                            long c0 = os.getProcessCpuTime();
                            long w0 = System.nanoTime();
                            for (int k = 0; k < batch; k++) {
                                step.run();
                            }
                            wall[i] = (System.nanoTime() - w0) * 1e-3 / ((long) n * batch);
                            cpu[i] = (os.getProcessCpuTime() - c0) * 1e-3 / ((long) n * batch);
                        }
                        long bytes = (allocated(threadsBean) - a0) / (15L * batch);
                        java.util.Arrays.sort(wall);
                        java.util.Arrays.sort(cpu);
                        System.out.printf(java.util.Locale.ROOT, "%s %d %d %s %.1f %.1f %d%n", name, n, t, what,
                                wall[7], cpu[7], bytes);
                        b.tearDown();
                    }
                }
            }
        }
    }

    /** @return the bytes allocated so far by all live threads of the JVM */
    static long allocated(com.sun.management.ThreadMXBean bean) {
        long sum = 0;
        for (long b : bean.getThreadAllocatedBytes(bean.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }
}
