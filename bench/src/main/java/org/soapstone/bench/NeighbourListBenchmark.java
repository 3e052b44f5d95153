package org.soapstone.bench;

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
import org.soapstone.engine.neighbour.BruteForceNeighbours;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/**
 * Time to build a full neighbour list of diamond Si (a = 5.431 Å, atoms rattled by 0.05 Å) with the linked-cell
 * builder, at cutoff 3.77 Å + 1 Å skin (Stillinger–Weber with a Verlet skin) and at 5 Å (a typical GAP cutoff),
 * and once with the O(N²) reference search for comparison. Divide the time per operation by the atom count for
 * the time per atom.
 *
 * <pre>java -jar bench/target/benchmarks.jar NeighbourList -f 1 -wi 3 -i 5</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NeighbourListBenchmark {
    private static final double SI_A = 5.431;

    /** Diamond Si of a given size, cutoff and thread count for the linked-cell builder. */
    @State(Scope.Benchmark)
    public static class Lattice {
        /** 8n³ atoms: 4096 is 8×8×8 conventional cells, 32768 is 16×16×16. */
        @Param({"4096", "32768"})
        public int atoms;

        /** Å; 4.77 = 3.77 Å Si Stillinger–Weber cutoff + 1 Å skin. */
        @Param({"4.77", "5.0"})
        public double cutoff;

        /** Number of workers the search is split between. */
        @Param({"1", "2"})
        public int threads;

        Structure structure;
        WorkerPool pool;

        @Setup
        public void setUp() {
            structure = rattledSilicon(atoms);
            pool = new WorkerPool(threads);
        }

        @TearDown
        public void tearDown() {
            pool.close();
        }
    }

    /** The 4096-atom crystal at 4.77 Å for the O(N²) reference. */
    @State(Scope.Benchmark)
    public static class Reference {
        Structure structure;

        @Setup
        public void setUp() {
            structure = rattledSilicon(4096);
        }
    }

    @Benchmark
    public NeighbourList linkedCell(Lattice state) {
        return NeighbourList.build(state.structure, state.cutoff, true, state.pool);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public NeighbourList bruteForce4096(Reference state) {
        return BruteForceNeighbours.build(state.structure, 4.77, true);
    }

    static Structure rattledSilicon(int atoms) {
        int n = (int) Math.round(Math.cbrt(atoms / 8.0));
        if (8 * n * n * n != atoms) {
            throw new IllegalArgumentException(atoms + " is not 8n³ atoms");
        }
        Structure s = Crystal.diamond(14, SI_A, n);
        Random rng = new Random(42);
        double[] r = s.positions();
        for (int k = 0; k < r.length; k++) {
            r[k] += 0.05 * rng.nextGaussian();
        }
        return s;
    }
}
