package org.soapstone.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.fit.IncrementalGapFit;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.learn.LabelledFrames;
import org.soapstone.engine.learn.LearnListener;
import org.soapstone.engine.learn.LearningPolicy;
import org.soapstone.engine.learn.OnTheFlyLearner;
import org.soapstone.engine.md.Langevin;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.MolecularDynamics;
import org.soapstone.engine.md.TemperatureSchedule;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.PotentialSpec;

/**
 * The on-the-fly learner's overhead on MD steps that make no reference call (issue 8: ≤ 5 % of the step), in one
 * JVM after warm-up, on one thread (the pool's only worker is the calling thread, so the thread's CPU time is the
 * loop's whole cost, without JIT or GC threads). The same NVT Langevin MD (1300 K, 1 fs, same start and seed) of
 * diamond Si with a learnt model, four ways: {@link FastGapCalculator} with σ every step (what {@code soapstone md
 * --model} runs), without σ ({@code --no-sigma}), the {@link OnTheFlyLearner} with an unreachable σ tolerance (σ
 * every step, no call), and the learner checking every 10 steps. Rounds of {@code steps} steps alternate between
 * the four, so that load changes hit them alike; it prints per variant the median thread-CPU and wall µs per
 * atom-step, and the medians of the per-round ratios learner / md-σ and learner / md-no-σ.
 * Run (after {@code bench/learn-overhead.sh} has learnt the model):
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * org.soapstone.bench.LearnOverheadBenchmark MODEL.gap TRAINING.xyz [cells ...]} (cells 2: 64 atoms, 4: 512);
 * {@code -Drounds=7}, {@code -DatomSteps=64000} (atom-steps per round), {@code -Dsigma="0.002 0.05 0.05 0"} (the σ the
 * training frames were fitted with: the learner's frames must give the model's row count).
 */
public final class LearnOverheadBenchmark {
    private static final String[] NAMES = {"md-sigma", "md-nosigma", "learn", "learn-c10"};

    private LearnOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        GapModel model = GapModel.read(Path.of(args[0]));
        List<Structure> labelled = ExtXyz.read(Path.of(args[1]));
        int[] cells = args.length > 2 ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {2, 4};
        int rounds = Integer.getInteger("rounds", 7);
        int atomSteps = Integer.getInteger("atomSteps", 64_000);
        double[] sg = Arrays.stream(System.getProperty("sigma", "0.002 0.05 0.05 0").trim().split("\\s+"))
                .mapToDouble(Double::parseDouble).toArray();
        Sigmas sigmas = new Sigmas(sg[0], sg[1], sg[2], sg[3]);
        Calculator sw = PotentialSpec.parse("sw:" + System.getProperty("soapstone.root", ".") + "/test-data/Si.sw");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "model: %d sparse points, %d training frames; 1 thread; %d rounds%n",
                model.terms().getFirst().sparseCount(), labelled.size(), rounds);
        try (WorkerPool pool = new WorkerPool(1)) {
            for (int c : cells) {
                Structure start = Crystal.diamond(14, 5.431, c);
                MaxwellBoltzmann.assign(start, 1300, 7, MaxwellBoltzmann.Scaling.EXACT);
                int atoms = start.size();
                int steps = Math.max(10, atomSteps / atoms);
                List<OnTheFlyLearner> learners = new ArrayList<>();
                MolecularDynamics[] runs = new MolecularDynamics[NAMES.length];
                for (int v = 0; v < NAMES.length; v++) {
                    Structure s = start.copy();
                    Calculator calc;
                    List<MdObserver> observers = new ArrayList<>();
                    if (v < 2) {
                        calc = new FastGapCalculator(model, s, pool, v == 0 ? EvaluatorOptions.withVariance()
                                : EvaluatorOptions.meanOnly());
                    } else {
                        List<TrainingFrame> frames = new ArrayList<>();
                        for (Structure l : labelled) {
                            frames.add(LabelledFrames.trainingFrame(frames.size(), l, sigmas));
                        }
                        OnTheFlyLearner learner = OnTheFlyLearner.resume(IncrementalGapFit.resume(model, frames, 1e-8,
                                1), sw, sigmas, new LearningPolicy(1e9, 1, 4, 1000, v == 2 ? 1 : 10, 0),
                                LearnListener.NONE, pool, -1, 0);
                        learners.add(learner);
                        calc = learner;
                        observers.add(learner);
                    }
                    MdSystem system = new MdSystem(s, calc);
                    runs[v] = new MolecularDynamics(new Langevin(system, 1.0, TemperatureSchedule.constant(1300), 0.01,
                            7), observers);
                }
                double[][] cpu = new double[NAMES.length][rounds];
                double[][] wall = new double[NAMES.length][rounds];
                for (int r = -2; r < rounds; r++) {   // two warm-up rounds
                    for (int v = 0; v < NAMES.length; v++) {
                        long c0 = threads.getCurrentThreadCpuTime();
                        long w0 = System.nanoTime();
                        runs[v].run(steps);
                        if (r >= 0) {
                            cpu[v][r] = (threads.getCurrentThreadCpuTime() - c0) * 1e-3 / ((double) atoms * steps);
                            wall[v][r] = (System.nanoTime() - w0) * 1e-3 / ((double) atoms * steps);
                        }
                    }
                }
                for (OnTheFlyLearner l : learners) {
                    if (l.referenceCalls() != 0) {
                        throw new IllegalStateException("the learner made a reference call; the measurement needs none");
                    }
                }
                System.out.printf(Locale.ROOT, "%d atoms, %d steps per round:%n", atoms, steps);
                System.out.printf(Locale.ROOT, "  %-11s %16s %16s%n", "run", "cpu_us/at-step", "wall_us/at-step");
                for (int v = 0; v < NAMES.length; v++) {
                    System.out.printf(Locale.ROOT, "  %-11s %16.1f %16.1f%n", NAMES[v], median(cpu[v]),
                            median(wall[v]));
                }
                System.out.printf(Locale.ROOT, "  CPU ratios (median of rounds): learn / md-sigma %.3f, learn / "
                        + "md-nosigma %.3f, learn-c10 / md-nosigma %.3f, md-sigma / md-nosigma %.3f%n",
                        ratio(cpu[2], cpu[0]), ratio(cpu[2], cpu[1]), ratio(cpu[3], cpu[1]), ratio(cpu[0], cpu[1]));
            }
        }
    }

    private static double ratio(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] / b[i];
        }
        return median(r);
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
