package org.soapstone.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
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
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.IncrementalGapFit;
import org.soapstone.engine.fit.SparseGpSolve;
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
 * 193 rows each), SOAP cutoff 4.5 Å n_max 6 l_max 4 ζ 4, M₀ = 100 sparse points to start with (atom 0's
 * environment in each of the first M₀ frames; {@code -Dsparse=M₀} for another), 2 threads ({@code -Dthreads=1}).
 * Per N it reports process CPU seconds (all threads, JIT and GC included) and wall seconds, medians of 3, of:
 * adding one frame ({@link IncrementalGapFit#addFrames}, a QR update: independent of N); a learner call, one frame
 * and 4 sparse points ({@link IncrementalGapFit#addSparsePoints}: the N old frames' descriptors recomputed for the
 * 4 new kernel columns, their old columns read from the kept rows); the descriptors with gradients of the N frames
 * alone (on the same threads: the border's floor); and, once, a full refit of the same data with the grown sparse
 * set ({@link SparseGpSolve#fit}). Each repetition adds its frames and points to the model (N and M grow by at
 * most 6 and 12). Memory: the kept rows, 8·193·(M + 1) bytes per frame (160 KiB at M = 104: 0.8 GB at N = 5000,
 * within the default budget of a quarter of the heap; 1.5 GB at M₀ = 1000, N = 1000: run that with -Xmx8g).
 * Run: {@code java --add-modules jdk.incubator.vector -Dsoapstone.root=. -cp bench/target/benchmarks.jar
 * org.soapstone.bench.LearnUpdateBenchmark 100 1000 5000}.
 */
public final class LearnUpdateBenchmark {
    private static final String SOAP = "soap cutoff=4.5 n_max=6 l_max=4 atom_sigma=0.5 zeta=4 delta=1 "
            + "covariance_type=dot_product";
    private static final int THREADS = Integer.getInteger("threads", 2);
    private static final int SPARSE = Integer.getInteger("sparse", 100);
    private static final int REPEATS = 3;
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private LearnUpdateBenchmark() {
    }

    /** A CPU and wall time, seconds. */
    private record Time(double cpu, double wall) {
        static Time of(Runnable work) {
            long c0 = OS.getProcessCpuTime();
            long w0 = System.nanoTime();
            work.run();
            return new Time((OS.getProcessCpuTime() - c0) * 1e-9, (System.nanoTime() - w0) * 1e-9);
        }

        static Time median(Time[] times) {
            return new Time(LearnUpdateBenchmark.median(Arrays.stream(times).mapToDouble(Time::cpu).toArray()),
                    LearnUpdateBenchmark.median(Arrays.stream(times).mapToDouble(Time::wall).toArray()));
        }

        String format() {
            return String.format(Locale.ROOT, "%7.3f / %7.3f", cpu, wall);
        }
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {100, 1000, 5000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        int largest = Arrays.stream(sizes).max().orElseThrow();
        int extra = 3 * REPEATS;
        Calculator sw = PotentialSpec.parse("sw:" + System.getProperty("soapstone.root", ".") + "/test-data/Si.sw");
        Sigmas sigmas = new Sigmas(0.002, 0.05, 0, 0);
        List<Structure> snapshots = snapshots(sw, largest + extra);
        List<TrainingFrame> frames = new ArrayList<>();
        for (Structure s : snapshots) {
            CalculationResults r = sw.calculate(s);
            frames.add(LabelledFrames.trainingFrame(frames.size(), LabelledFrames.labelled(s, r, 0), sigmas));
        }
        DescriptorSpec spec = DescriptorString.parse(SOAP);
        double[] e0 = new double[119];
        e0[14] = frames.getFirst().energy() / 64;
        GapTerm start = term(spec, snapshots, Math.min(SPARSE, snapshots.size()));
        // warm-up: the same work on at most 100 frames, not reported
        int warmUp = Math.min(100, Arrays.stream(sizes).min().orElseThrow());
        run(frames.subList(0, warmUp), frames, largest, spec, snapshots, e0, start);
        System.out.printf(Locale.ROOT, "%6s %5s | %-17s | %-17s | %-17s | %-17s   (CPU s / wall s)%n", "N", "M₀",
                "add 1 frame", "add frame+4 points", "descriptors only", "full refit");
        for (int n : sizes) {
            Time[] row = run(frames.subList(0, n), frames, largest, spec, snapshots, e0, start);
            System.out.printf(Locale.ROOT, "%6d %5d | %s | %s | %s | %s%n", n, start.sparseCount(), row[0].format(),
                    row[1].format(), row[2].format(), row[3].format());
        }
    }

    /** Add-frame, learner-call, descriptor-pass and refit times for a model fitted to {@code in}. */
    private static Time[] run(List<TrainingFrame> in, List<TrainingFrame> all, int largest, DescriptorSpec spec,
            List<Structure> snapshots, double[] e0, GapTerm start) {
        IncrementalGapFit fit = IncrementalGapFit.fit("bench", e0, List.of(start), in, 1e-8, THREADS);
        Time[] addFrame = new Time[REPEATS];
        Time[] call = new Time[REPEATS];
        for (int rep = 0; rep < REPEATS; rep++) {
            int next = largest + 3 * rep;
            addFrame[rep] = Time.of(() -> fit.addFrames(all.subList(next, next + 1)));
            double[][] points = environments(spec, snapshots.get(next + 2), 4);
            call[rep] = Time.of(() -> {
                fit.addFrames(all.subList(next + 1, next + 2));
                fit.addSparsePoints(points[0], points[1]);
            });
        }
        Time[] descriptors = new Time[REPEATS];
        for (int rep = 0; rep < REPEATS; rep++) {
            descriptors[rep] = Time.of(() -> descriptorPass(spec, fit.frames()));
        }
        Time refit = Time.of(() -> SparseGpSolve.fit("bench", e0, fit.terms(), fit.frames(), 1e-8, THREADS,
                FitListener.NONE));
        return new Time[] {Time.median(addFrame), Time.median(call), Time.median(descriptors), refit};
    }

    /** The frames' descriptors with gradients, on {@link #THREADS} threads (contiguous shares). */
    private static void descriptorPass(DescriptorSpec spec, List<TrainingFrame> frames) {
        List<Thread> running = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            List<TrainingFrame> share = frames.subList(w * frames.size() / THREADS, (w + 1) * frames.size() / THREADS);
            running.add(Thread.ofPlatform().start(() -> {
                Descriptor d = spec.create();
                DescriptorOutput out = d.newOutput();
                for (TrainingFrame f : share) {
                    d.compute(f.structure(), NeighbourList.build(f.structure(), d.cutoff(), true), true, out);
                }
            }));
        }
        for (Thread t : running) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
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
