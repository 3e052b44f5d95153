package org.soapstone.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.fit.IncrementalGapFit;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.learn.LabelledFrames;
import org.soapstone.engine.md.Langevin;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.TemperatureSchedule;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.PotentialSpec;

/**
 * Time of one on-the-fly model update against the size of the training set already in the model (issue 8): N
 * frames of 64-atom SW silicon (Langevin MD at 1500 K, one frame every 20 fs, labelled by SW: energy and forces,
 * 193 rows each), SOAP cutoff 4.5 Å n_max 6 l_max 4 ζ 4, M = 100 sparse points (one environment from each of the
 * first 100 frames). Reported per N, median of 3 (wall seconds, 2 threads): adding one frame
 * ({@link IncrementalGapFit#addFrames}, QR update: independent of N), adding 4 sparse points
 * ({@link IncrementalGapFit#addSparsePoints}, bordered update: one pass over the N kept frames to recompute their
 * descriptors and the new kernel columns, O(N·M·m)), and, for comparison, a full refit of the same data with the
 * grown sparse set (O(N·M²) QR plus the same descriptor pass).
 * Run: {@code java -cp bench/target/benchmarks.jar org.soapstone.bench.LearnUpdateBenchmark 100 1000}.
 */
public final class LearnUpdateBenchmark {
    private static final String SOAP = "soap cutoff=4.5 n_max=6 l_max=4 atom_sigma=0.5 zeta=4 delta=1 "
            + "covariance_type=dot_product";

    private LearnUpdateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {100, 1000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        int largest = Arrays.stream(sizes).max().orElseThrow();
        Calculator sw = PotentialSpec.parse("sw:" + System.getProperty("soapstone.root", ".") + "/test-data/Si.sw");
        Sigmas sigmas = new Sigmas(0.002, 0.05, 0, 0);
        List<Structure> snapshots = snapshots(sw, largest + 10);
        List<TrainingFrame> frames = new ArrayList<>();
        for (Structure s : snapshots) {
            CalculationResults r = sw.calculate(s);
            frames.add(LabelledFrames.trainingFrame(frames.size(), LabelledFrames.labelled(s, r, 0), sigmas));
        }
        DescriptorSpec spec = DescriptorString.parse(SOAP);
        double[] e0 = new double[119];
        e0[14] = frames.getFirst().energy() / 64;
        System.out.printf(Locale.ROOT, "%8s %6s %14s %18s %12s%n", "frames", "M", "add frame (s)", "add 4 points (s)",
                "refit (s)");
        for (int n : sizes) {
            double[] addFrame = new double[3];
            double[] addPoints = new double[3];
            double[] refit = new double[3];
            for (int rep = 0; rep < 3; rep++) {
                IncrementalGapFit fit = IncrementalGapFit.fit("bench", e0, List.of(term(spec, snapshots, 100)),
                        frames.subList(0, n), 1e-8, 2);
                long t0 = System.nanoTime();
                fit.addFrames(frames.subList(largest + rep, largest + rep + 1));
                long t1 = System.nanoTime();
                double[][] points = environments(spec, snapshots.get(largest + 5 + rep), 4);
                fit.addSparsePoints(points[0], points[1]);
                long t2 = System.nanoTime();
                IncrementalGapFit.fit("bench", e0, fit.terms(), fit.frames(), 1e-8, 2);
                long t3 = System.nanoTime();
                addFrame[rep] = (t1 - t0) * 1e-9;
                addPoints[rep] = (t2 - t1) * 1e-9;
                refit[rep] = (t3 - t2) * 1e-9;
            }
            System.out.printf(Locale.ROOT, "%8d %6d %14.4f %18.3f %12.3f%n", n, 104, median(addFrame),
                    median(addPoints), median(refit));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** 64-atom Si snapshots 20 fs apart from Langevin MD at 1500 K with SW. */
    private static List<Structure> snapshots(Calculator sw, int count) {
        Structure s = Crystal.diamond(14, 5.431, 2);
        MaxwellBoltzmann.assign(s, 1500, 1, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s, sw);
        Langevin md = new Langevin(system, 1.0, TemperatureSchedule.constant(1500), 0.02, 1);
        for (int k = 0; k < 1000; k++) {
            md.step();
        }
        List<Structure> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < 20; k++) {
                md.step();
            }
            out.add(s.copy());
        }
        return out;
    }

    /** The first {@code count} atoms' environments of a structure: {x (count × D), cutoff weights}. */
    private static double[][] environments(DescriptorSpec spec, Structure s, int count) {
        Descriptor d = spec.create();
        DescriptorOutput out = d.newOutput();
        d.compute(s, NeighbourList.build(s, d.cutoff(), true), false, out);
        int dim = out.dimension();
        double[] c = new double[count];
        for (int i = 0; i < count; i++) {
            c[i] = out.cutoffWeight(i);
        }
        return new double[][] {Arrays.copyOf(out.values(), count * dim), c};
    }

    /** A term whose sparse points are atom 0's environment in each of the first {@code m} snapshots. */
    private static GapTerm term(DescriptorSpec spec, List<Structure> snapshots, int m) {
        double[] x = null;
        double[] c = new double[m];
        for (int i = 0; i < m; i++) {
            double[][] env = environments(spec, snapshots.get(i), 1);
            if (x == null) {
                x = new double[m * env[0].length];
            }
            System.arraycopy(env[0], 0, x, i * env[0].length, env[0].length);
            c[i] = env[1][0];
        }
        return new GapTerm("bench", spec, CovarianceType.DOT_PRODUCT, 1.0, 0.0, 4.0, new double[0], x, new double[m], c);
    }
}
