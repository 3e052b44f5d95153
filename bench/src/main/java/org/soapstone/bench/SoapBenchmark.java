package org.soapstone.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.descriptor.ParallelDescriptor;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/**
 * SOAP (n_max=8, l_max=8, cutoff 5.0 Å, atom_sigma 0.5 Å) of 512 Si atoms, time per atom, on 1 and 2 threads
 * ({@link ParallelDescriptor}): bulk diamond at a = 5.431 Å (28 neighbours within 5 Å) and a liquid-like
 * structure (diamond compressed to a = 4.75 Å and rattled by 0.25 Å, ≈ 36 neighbours). The target is
 * ≤ 0.15 ms per atom with gradients on one thread and ≥ 1.8× on two.
 * Run: {@code java -jar bench/target/benchmarks.jar SoapBenchmark -f 1 -wi 3 -i 5}; on a shared machine also
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.soapstone.bench.SoapBenchmark}
 * (SOAP uses the incubating Vector API; JMH's forks get the option from {@code @Fork}), which reports median wall
 * and CPU time per atom (CPU time is insensitive to other processes taking the CPU).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class SoapBenchmark {
    private static final int ATOMS = 512;

    @Param({"diamond", "liquid"})
    public String structure;

    @Param({"1", "2"})
    public int threads;

    private Structure atoms;
    private NeighbourList neighbours;
    private WorkerPool pool;
    private ParallelDescriptor soap;

    @Setup
    public void setUp() {
        atoms = switch (structure) {
            case "diamond" -> Crystal.diamond(14, 5.431, 4);
            case "liquid" -> liquid();
            default -> throw new IllegalArgumentException("unknown structure " + structure);
        };
        neighbours = NeighbourList.build(atoms, 5.0, true);
        pool = new WorkerPool(threads);
        soap = new ParallelDescriptor(DescriptorString.parse(
                "soap cutoff=5.0 n_max=8 l_max=8 atom_sigma=0.5 cutoff_transition_width=0.5").create(), pool);
        int inside = 0;
        for (double d : neighbours.distance) {
            inside += d < 5.0 ? 1 : 0;
        }
        System.err.printf("%s: %.1f neighbours within 5 Å per atom%n", structure, inside / (double) ATOMS);
    }

    private static Structure liquid() {
        Structure s = Crystal.diamond(14, 5.431, 4);
        double f = 4.75 / 5.431;
        double[] r = s.positions();
        Random rng = new Random(1);
        for (int k = 0; k < r.length; k++) {
            r[k] = r[k] * f + 0.25 * rng.nextGaussian();
        }
        double[] h = s.cell().matrix();
        for (int k = 0; k < h.length; k++) {
            h[k] *= f;
        }
        s.setCell(new Cell(h, new boolean[] {true, true, true}));
        return s;
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    /** @return per atom: SOAP vectors and their gradients */
    @Benchmark
    @OperationsPerInvocation(ATOMS)
    public void withGradients(Blackhole bh) {
        soap.compute(atoms, neighbours, true);
        bh.consume(soap.part(0).gradients());
    }

    /**
     * Per atom with gradients, 1 and 2 threads, medians over 21 repetitions after 20 warm-up ones: wall time and
     * CPU time (summed over the process's threads, to the nanosecond; on a shared machine its ratio to the
     * one-thread figure shows the parallel overhead even when other processes keep the wall-time speed-up from
     * showing).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        var threads = java.lang.management.ManagementFactory.getPlatformMXBean(
                com.sun.management.ThreadMXBean.class);
        for (String name : new String[] {"diamond", "liquid"}) {
            for (int t = 1; t <= 2; t++) {
                SoapBenchmark b = new SoapBenchmark();
                b.structure = name;
                b.threads = t;
                b.setUp();
                double[] wall = new double[21];
                double[] cpu = new double[21];
                for (int rep = -20; rep < wall.length; rep++) {
                    long c0 = cpuNanos(threads);
                    long w0 = System.nanoTime();
                    b.soap.compute(b.atoms, b.neighbours, true);
                    long w1 = System.nanoTime();
                    long c1 = cpuNanos(threads);
                    if (rep >= 0) {
                        wall[rep] = (w1 - w0) * 1e-3 / ATOMS;
                        cpu[rep] = (c1 - c0) * 1e-3 / ATOMS;
                    }
                }
                java.util.Arrays.sort(wall);
                java.util.Arrays.sort(cpu);
                System.out.printf("%s, %d thread(s): median wall %.1f µs/atom (min %.1f), CPU %.1f µs/atom%n", name,
                        t, wall[10], wall[0], cpu[10]);
                b.tearDown();
            }
        }
    }

    /** @return the CPU time of the live threads (ns) */
    private static long cpuNanos(com.sun.management.ThreadMXBean threads) {
        long sum = 0;
        for (long t : threads.getThreadCpuTime(threads.getAllThreadIds())) {
            sum += Math.max(t, 0);
        }
        return sum;
    }

    /** @return per atom: SOAP vectors only */
    @Benchmark
    @OperationsPerInvocation(ATOMS)
    public void valuesOnly(Blackhole bh) {
        soap.compute(atoms, neighbours, false);
        bh.consume(soap.part(0).values());
    }
}
