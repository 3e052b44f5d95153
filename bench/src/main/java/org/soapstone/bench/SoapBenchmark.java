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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/**
 * SOAP (n_max=8, l_max=8, cutoff 5.0 Å, atom_sigma 0.5 Å) on bulk diamond Si, 64 atoms slightly rattled, one
 * thread: time per atom with and without gradients. The target is ≤ 0.15 ms per atom with gradients.
 * Run: {@code java -jar bench/target/benchmarks.jar SoapBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SoapBenchmark {
    private static final int ATOMS = 64;
    private Structure structure;
    private NeighbourList neighbours;
    private Descriptor soap;
    private DescriptorOutput out;

    @Setup
    public void setUp() {
        structure = Crystal.diamond(14, 5.43, 2);
        double[] r = structure.positions();
        Random rng = new Random(1);
        for (int k = 0; k < r.length; k++) {
            r[k] += 0.05 * rng.nextGaussian();
        }
        neighbours = NeighbourList.build(structure, 5.0, true);
        soap = DescriptorString.parse("soap cutoff=5.0 n_max=8 l_max=8 atom_sigma=0.5 cutoff_transition_width=0.5")
                .create();
        out = soap.newOutput();
    }

    /** @return per atom: SOAP vectors and their gradients */
    @Benchmark
    @OperationsPerInvocation(ATOMS)
    public void withGradients(Blackhole bh) {
        soap.compute(structure, neighbours, true, out);
        bh.consume(out.gradients());
    }

    /** @return per atom: SOAP vectors only */
    @Benchmark
    @OperationsPerInvocation(ATOMS)
    public void valuesOnly(Blackhole bh) {
        soap.compute(structure, neighbours, false, out);
        bh.consume(out.values());
    }
}
