package org.soapstone.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.fit.FitDesign;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.SparsePointChooser;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.gp.DesignBlock;

/**
 * Assembly of the whitened covariance rows K_NM of a GAP fit — descriptors with gradients, kernel rows of the
 * energies and force components as matrix products of descriptor gradients with the sparse points, and the
 * whitening — on one thread for one 64-atom frame of the mlearn Si training set (13 233 atoms in all) with the
 * published SOAP (n_max = l_max = 8, cutoff 5.4 Å, ζ = 4) and M sparse points. Multiply by the number of frames
 * (and divide by the threads) for a whole fit; gap_fit spends 93 % of its 388 s (two threads) on this part for
 * mlearn-Si with M = 1000. Score: milliseconds per frame.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar CovarianceAssembly -f 1 -wi 2 -i 5}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class CovarianceAssemblyBenchmark {
    @Param({"200", "1000"})
    int sparse;

    FitDesign design;
    List<TrainingFrame> frame;

    @Setup
    public void setUp() throws Exception {
        Path train = BenchData.shared("datasets/mlearn/mlearn-Si-train.xyz");
        List<TrainingFrame> frames = BenchData.trainingFrames(train, 0.01, 0.05);
        var spec = DescriptorString.parse("soap cutoff=5.4 n_max=8 l_max=8 atom_sigma=0.5 zeta=4 "
                + "cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product sparse_method=random n_sparse="
                + sparse).addSpecies(new int[] {14});
        List<GapTerm> terms = SparsePointChooser.choose("bench", spec, frames, 1, 2, FitListener.NONE,
                new ArrayList<>());
        double[] e0 = new double[119];
        e0[14] = -0.79;
        design = new FitDesign(new GapKernelRows(terms), e0);
        frame = frames.stream().filter(f -> f.structure().size() == 64).limit(1).toList();
        if (frame.isEmpty()) {
            throw new IllegalStateException("no 64-atom frame in " + train);
        }
    }

    @Benchmark
    public DesignBlock assembleOneFrame() {
        return design.assemble(frame);
    }
}
