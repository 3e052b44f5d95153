package org.soapstone.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
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
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.eam.Eam;
import org.soapstone.potentials.eam.EamTables;
import org.soapstone.potentials.lj.LennardJones;
import org.soapstone.potentials.lj.LennardJonesParameters;
import org.soapstone.potentials.lj.LjPair;
import org.soapstone.potentials.sw.StillingerWeber;
import org.soapstone.potentials.tersoff.Tersoff;

/**
 * Energy + forces of Stillinger–Weber ({@code Si.sw}) and Tersoff ({@code Si.tersoff}) on 4096-atom diamond Si, of
 * EAM ({@code Cu_u3.eam}, funcfl) and Lennard-Jones (ε 0.167 eV, σ 2.314 Å, cutoff 5.5 Å) on 4096-atom fcc Cu,
 * rattled by ±0.05 Å, on 1 and 2 threads, as an MD step would call them: the Verlet list is already built, so each
 * call refreshes its pair vectors and evaluates the potential. Reported per atom (µs/atom):
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

    @Param({"sw", "tersoff", "eam", "lj"})
    public String potential;

    @Param({"1", "2"})
    public int threads;

    private WorkerPool pool;
    private Calculator calculator;
    private Structure structure;
    private final CalculationResults results = new CalculationResults();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path data = Path.of(System.getProperty("soapstone.root", "."), "test-data");
        if (!Files.isDirectory(data)) {
            throw new IllegalStateException("run from the repository root or set -Dsoapstone.root: no " + data);
        }
        pool = new WorkerPool(threads);
        calculator = switch (potential) {
            case "sw" -> new StillingerWeber(data.resolve("Si.sw"), pool);
            case "tersoff" -> new Tersoff(data.resolve("Si.tersoff"), pool);
            case "eam" -> new Eam(EamTables.funcfl(List.of(data.resolve("Cu_u3.eam"))), Eam.DEFAULT_SKIN, pool);
            case "lj" -> new LennardJones(LennardJonesParameters.of(List.of(new LjPair(Element.of(29),
                    Element.of(29), 0.167, 2.314, 5.5))), LennardJones.DEFAULT_SKIN, pool);
            default -> throw new IllegalArgumentException("unknown potential " + potential);
        };
        Structure s = potential.equals("eam") || potential.equals("lj") ? fccCopper() : Crystal.diamond(14, 5.431, 8);
        java.util.Random rng = new java.util.Random(42);
        double[] r = s.positions();
        for (int k = 0; k < r.length; k++) {
            r[k] += 0.05 * (2 * rng.nextDouble() - 1);
        }
        structure = s;
        calculator.calculate(structure, ENERGY_FORCES, results);
    }

    /** @return 4096-atom fcc Cu: 8 × 8 × 16 cubic cells (a = 3.615 Å) */
    private static Structure fccCopper() {
        double a = 3.615;
        Structure half = Crystal.fcc(29, a, 8);
        int n = half.size();
        int[] z = new int[2 * n];
        double[] r = new double[6 * n];
        for (int copy = 0; copy < 2; copy++) {
            for (int i = 0; i < n; i++) {
                z[copy * n + i] = 29;
                for (int k = 0; k < 3; k++) {
                    r[3 * (copy * n + i) + k] = half.positions()[3 * i + k] + (k == 2 ? copy * 8 * a : 0);
                }
            }
        }
        return new Structure(z, r, new Cell(new double[] {8 * a, 0, 0, 0, 8 * a, 0, 0, 0, 16 * a}, new boolean[] {true, true, true}));
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
