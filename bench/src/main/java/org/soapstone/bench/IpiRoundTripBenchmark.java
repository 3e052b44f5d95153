package org.soapstone.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.ipi.IpiAddress;
import org.soapstone.engine.ipi.IpiCalculator;
import org.soapstone.engine.ipi.IpiClient;
import org.soapstone.engine.ipi.IpiExtras;
import org.soapstone.engine.ipi.IpiSpecies;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/**
 * The cost of the i-PI socket per MD step on 512 Si atoms over a UNIX socket: {@code direct} evaluates the model
 * in-process, {@code socket} asks an {@link IpiClient} wrapping the same model (on another thread) through
 * {@link IpiCalculator}, as {@code soapstone md --ipi-server} with {@code soapstone serve} would. Model
 * {@code none} costs nothing, so its socket time is the protocol's own overhead; {@code gap} is the gap_fit
 * model {@code reference/gap_fit/si-soap} of the shared data on one thread. The target: overhead < 5 % of a GAP step.
 * Run from the repository root: {@code java -jar bench/target/benchmarks.jar IpiRoundTrip -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class IpiRoundTripBenchmark {
    @Param({"none", "gap"})
    public String model;

    private Structure atoms;
    private Calculator calc;
    private IpiCalculator server;
    private Thread client;
    private final CalculationResults results = new CalculationResults();
    private final Set<Property> wanted = EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        WorkerPool.configureShared(1);
        atoms = Crystal.diamond(14, 5.431, 4);
        calc = model.equals("gap") ? new FastGapCalculator(GapModel.readQuip(BenchData.shared(
                "reference/gap_fit/si-soap/gp.xml")), WorkerPool.shared(), EvaluatorOptions.meanOnly()) : new Free();
        IpiAddress address = IpiAddress.parse("unix:soapstone-bench-" + ProcessHandle.current().pid());
        server = IpiCalculator.listen(address, Duration.ofSeconds(60));
        IpiClient ipi = new IpiClient(address, calc, IpiSpecies.parse("Si"),
                new IpiClient.Options(Duration.ofSeconds(60), IpiExtras.NONE));
        client = new Thread(() -> {
            try {
                ipi.run();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        client.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        server.close();
        client.join();
    }

    @Benchmark
    public double direct() {
        calc.calculate(atoms, wanted, results);
        return results.energy;
    }

    @Benchmark
    public double socket() {
        server.calculate(atoms, wanted, results);
        return results.energy;
    }

    /** A model that computes nothing: zero energy, forces and stress. */
    private static final class Free implements Calculator {
        @Override
        public Set<Property> implementedProperties() {
            return EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS);
        }

        @Override
        public void calculate(Structure structure, Set<Property> requested, CalculationResults r) {
            r.reset(structure.size());
            r.markComputed(requested);
        }
    }
}
