package org.soapstone.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.sw.StillingerWeber;
import org.soapstone.potentials.tersoff.Tersoff;

/**
 * Energy + forces of Stillinger–Weber ({@code Si.sw}) and Tersoff ({@code Si.tersoff}) on 4096-atom diamond Si
 * rattled by ±0.05 Å, on 1 and 2 threads, as an MD step would call them: the Verlet list (1 Å skin) is already
 * built, so each call refreshes its pair vectors and evaluates the potential. Reported per atom (µs/atom):
 * {@code java -jar bench/target/benchmarks.jar ClassicalPotential -f 1 -wi 3 -i 5}. Finds {@code test-data/}
 * from the working directory (run from the repository root) or the {@code soapstone.root} property.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(ClassicalPotentialBenchmark.ATOMS)
public class ClassicalPotentialBenchmark {
    static final int ATOMS = 4096;
    private static final Set<Property> ENERGY_FORCES = EnumSet.of(Property.ENERGY, Property.FORCES);

    @Param({"sw", "tersoff"})
    public String potential;

    @Param({"1", "2"})
    public int threads;

    private WorkerPool pool;
    private Calculator calculator;
    private Structure structure;
    private final CalculationResults results = new CalculationResults();

    @Setup(Level.Trial)
    public void setUp() {
        Path data = Path.of(System.getProperty("soapstone.root", "."), "test-data");
        if (!Files.isDirectory(data)) {
            throw new IllegalStateException("run from the repository root or set -Dsoapstone.root: no " + data);
        }
        pool = new WorkerPool(threads);
        calculator = switch (potential) {
            case "sw" -> new StillingerWeber(data.resolve("Si.sw"), pool);
            case "tersoff" -> new Tersoff(data.resolve("Si.tersoff"), pool);
            default -> throw new IllegalArgumentException("unknown potential " + potential);
        };
        Structure s = Crystal.diamond(14, 5.431, 8);
        java.util.Random rng = new java.util.Random(42);
        double[] r = s.positions();
        for (int k = 0; k < r.length; k++) {
            r[k] += 0.05 * (2 * rng.nextDouble() - 1);
        }
        structure = s;
        calculator.calculate(structure, ENERGY_FORCES, results);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public double energyAndForces() {
        calculator.calculate(structure, ENERGY_FORCES, results);
        return results.energy + results.forces[0];
    }
}
