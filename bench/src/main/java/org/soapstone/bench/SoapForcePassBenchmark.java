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
import org.openjdk.jmh.annotations.Warmup;
import org.soapstone.engine.calculator.ForceTally;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Structure;

/**
 * The SOAP descriptor work of the fast evaluator's step, per atom on one thread, as {@code FastGapCalculator} does it:
 * the values of a sub-block of 16 atoms, then, atom by atom, the force pass from each instance's ∂ε/∂x (random
 * here) to −∂E/∂r and the strain derivative — {@code forward} (∂x/∂r formed, D × 3 × neighbours, then contracted:
 * {@link Descriptor#tallyForward}) against {@code reverse} ({@link Descriptor#tallyGradients}: ∂ε/∂x back to ∂ε/∂c
 * once per atom, then through each neighbour's expansion derivative, the sub-block's expansions reused). The
 * kernel products against the sparse points are not included. The mlearn-Si model's SOAP (n_max=8, l_max=8, cutoff
 * 5.4 Å, atom_sigma 0.5 Å), 512 atoms of rattled diamond Si.
 * Run: {@code java -jar bench/target/benchmarks.jar SoapForcePass}; on a shared machine also
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * org.soapstone.bench.SoapForcePassBenchmark}, which alternates the two in one JVM and prints the median CPU µs per
 * atom of each and of their paired ratio.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class SoapForcePassBenchmark {
    private static final int ATOMS = 512;
    private static final int SUB_BLOCK = 16;

    @Param({"forward", "reverse"})
    public String pass;

    private Descriptor soap;
    private Structure atoms;
    private NeighbourList neighbours;
    private DescriptorOutput values;
    private DescriptorOutput out;
    private ForceTally tally;
    private double[] epsilon;
    private double[] dEpsilon;

    @Setup
    public void setUp() {
        soap = DescriptorString.parse("soap cutoff=5.4 n_max=8 l_max=8 atom_sigma=0.5 cutoff_transition_width=0.5")
                .create();
        atoms = GapEvaluatorBenchmark.rattledDiamond(4, 0.1, 5.431, 1);
        neighbours = NeighbourList.build(atoms, soap.cutoff(), true);
        values = soap.newOutput();
        out = soap.newOutput();
        tally = new ForceTally();
        epsilon = new double[ATOMS];
        dEpsilon = new double[ATOMS * soap.dimension()];
        Random rng = new Random(1);
        for (int k = 0; k < dEpsilon.length; k++) {
            dEpsilon[k] = rng.nextGaussian();
        }
    }

    /** @return F_x of atom 0 after the values and the force pass of every atom (eV/Å) */
    @Benchmark
    @OperationsPerInvocation(ATOMS)
    public double forces() {
        tally.reset(ATOMS);
        boolean reverse = pass.equals("reverse");
        for (int a0 = 0; a0 < ATOMS; a0 += SUB_BLOCK) {
            soap.compute(atoms, neighbours, a0, a0 + SUB_BLOCK, false, values);
            for (int a = a0; a < a0 + SUB_BLOCK; a++) {
                if (reverse) {
                    soap.tallyGradients(atoms, neighbours, a, a + 1, epsilon, a, dEpsilon, values, out, tally);
                } else {
                    Descriptor.tallyForward(soap, atoms, neighbours, a, a + 1, epsilon, a, dEpsilon, out, tally);
                }
            }
        }
        return tally.forces()[0];
    }

    /**
     * The two passes in turn in one JVM, 31 rounds after 10 warm-up ones, CPU time of the calling thread: medians of
     * each and of the paired ratio reverse ÷ forward.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        var threads = java.lang.management.ManagementFactory.getPlatformMXBean(
                com.sun.management.ThreadMXBean.class);
        SoapForcePassBenchmark forward = new SoapForcePassBenchmark();
        forward.pass = "forward";
        forward.setUp();
        SoapForcePassBenchmark reverse = new SoapForcePassBenchmark();
        reverse.pass = "reverse";
        reverse.setUp();
        int rounds = 31;
        double[] f = new double[rounds];
        double[] r = new double[rounds];
        double[] ratio = new double[rounds];
        for (int k = -10; k < rounds; k++) {
            long c0 = threads.getCurrentThreadCpuTime();
            forward.forces();
            long c1 = threads.getCurrentThreadCpuTime();
            reverse.forces();
            long c2 = threads.getCurrentThreadCpuTime();
            if (k >= 0) {
                f[k] = (c1 - c0) * 1e-3 / ATOMS;
                r[k] = (c2 - c1) * 1e-3 / ATOMS;
                ratio[k] = r[k] / f[k];
            }
        }
        java.util.Arrays.sort(f);
        java.util.Arrays.sort(r);
        java.util.Arrays.sort(ratio);
        System.out.printf(java.util.Locale.ROOT,
                "CPU µs per atom, median of %d rounds: forward %.1f, reverse %.1f; reverse ÷ forward %.3f "
                        + "[%.3f, %.3f]%n", rounds, f[rounds / 2], r[rounds / 2], ratio[rounds / 2], ratio[0],
                ratio[rounds - 1]);
    }
}
