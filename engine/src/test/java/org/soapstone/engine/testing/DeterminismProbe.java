package org.soapstone.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.FitSettings;
import org.soapstone.engine.fit.GapFit;
import org.soapstone.engine.fit.GapFitCommandLine;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.fit.TrainingSet;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.learn.LearnListener;
import org.soapstone.engine.learn.LearningPolicy;
import org.soapstone.engine.learn.OnTheFlyLearner;
import org.soapstone.engine.md.Langevin;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.MolecularDynamics;
import org.soapstone.engine.md.StochasticVelocityRescaling;
import org.soapstone.engine.md.TemperatureSchedule;
import org.soapstone.engine.md.VelocityVerlet;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/**
 * Every floating-point result of eval, md, fit and learn on one small system, by name: the SOAP descriptor with
 * gradients, {@link ReferenceGapCalculator} (energies, forces, stress, local variance), {@link FastGapCalculator} with σ and
 * Bussi MD through it on gap_fit's Si model with a posterior; in full, also gap_fit's Si and SiC models with QUIP's
 * variance, NVE MD, a small fit and a short on-the-fly learning run. Run in a child JVM ({@link #main}: interpreted
 * or C1-compiled) its results must equal, bit for bit, those of the test's own JVM after warm-up.
 */
public final class DeterminismProbe {
    private DeterminismProbe() {}


    /** gap_fit's Si model, and the same with a random posterior, read once per JVM. */
    private static final class Si {
        static final GapModel MODEL = read("si-soap");
        static final GapModel POSTERIOR = TestModels.withRandomPosterior(MODEL, 17);
    }

    /** gap_fit's SiC model (distance_2b and SOAP terms), read once per JVM. */
    private static final class SiC {
        static final GapModel MODEL = read("sic-2b-soap");
    }

    private static GapModel read(String name) {
        try {
            return GapModel.readQuip(SharedData.gapFit(name).resolve("gp.xml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param frame index of the frame of gap_fit's Si reference predictions to evaluate (25: 2 atoms, 26: 8)
     * @param maxThreads eval, md, fit and learn at 1 … maxThreads threads
     * @param mdSteps the steps of each MD run
     * @param full whether to add QUIP's variance, the SiC model, NVE, fit and learn
     * @return the results, in a fixed order
     */
    public static Map<String, double[]> run(int frame, int maxThreads, int mdSteps, boolean full) throws Exception {
        Map<String, double[]> out = new LinkedHashMap<>();
        GapModel posterior = Si.POSTERIOR;
        Structure s = FiniteDifferences.rattled(ExtXyz.read(SharedData.gapFit("si-soap").resolve("quip-predictions.xyz"))
                .get(frame), 0.05, 3);
        soap(posterior, s, "si", out);
        for (int threads = 1; threads <= maxThreads; threads++) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                eval(posterior, s, pool, "eval posterior " + threads, out);
                evaluator(posterior, s, pool, "evaluator posterior " + threads, out);
                md(posterior, s, pool, true, mdSteps, "md bussi " + threads, out);
                if (full) {
                    eval(Si.MODEL, s, pool, "eval si " + threads, out);
                    evaluator(Si.MODEL, s, pool, "evaluator si " + threads, out);
                    md(Si.MODEL, s, pool, false, mdSteps, "md nve " + threads, out);
                    fit(threads, "fit " + threads, out);
                    learn(Si.MODEL, pool, "learn " + threads, out);
                }
            }
        }
        if (full) {
            Structure sic = FiniteDifferences.rattled(ExtXyz.read(SharedData.gapFit("sic-2b-soap").resolve("quip-predictions.xyz"))
                    .getLast(), 0.05, 5);
            soap(SiC.MODEL, sic, "sic", out);
            for (int threads = 1; threads <= maxThreads; threads++) {
                try (WorkerPool pool = new WorkerPool(threads)) {
                    eval(SiC.MODEL, sic, pool, "eval sic " + threads, out);
                }
            }
        }
        return out;
    }

    private static void soap(GapModel model, Structure s, String name, Map<String, double[]> out) {
        Descriptor d = model.terms().stream().filter(t -> t.descriptor().text().startsWith("soap")).findFirst()
                .orElseThrow().descriptor().create();
        DescriptorOutput o = d.newOutput();
        d.compute(s, NeighbourList.build(s, d.cutoff(), true), 0, s.size(), true, o);
        out.put("soap values " + name, Arrays.copyOf(o.values(), o.count() * o.dimension()));
        out.put("soap gradients " + name, Arrays.copyOf(o.gradients(), 3 * o.gradientEntries() * o.dimension()));
    }

    private static void eval(GapModel model, Structure s, WorkerPool pool, String name, Map<String, double[]> out) {
        ReferenceGapCalculator calc = new ReferenceGapCalculator(model, pool);
        CalculationResults r = calc.calculate(s);
        put(out, name, r);
        out.put(name + " variance", calc.localVariance(s));
        if (calc.hasPosterior()) {
            out.put(name + " energy variance", new double[] {calc.energyVariance(s)});
            out.put(name + " force variance", calc.forceVariance(s));
        }
    }

    private static void evaluator(GapModel model, Structure s, WorkerPool pool, String name,
            Map<String, double[]> out) {
        FastGapCalculator ev = new FastGapCalculator(model, s, pool, EvaluatorOptions.withVariance());
        double[] sigma = new double[s.size()];
        CalculationResults r = new CalculationResults();
        ev.calculateWithDeviations(s, r, sigma);
        put(out, name, r);
        out.put(name + " sigma", sigma);
    }

    /** NVE (velocity Verlet) or Bussi MD at 1 fs through the evaluator with σ. */
    private static void md(GapModel model, Structure start, WorkerPool pool, boolean bussi, int steps, String name,
            Map<String, double[]> out) {
        Structure s = start.copy();
        MaxwellBoltzmann.assign(s, 600, 7, MaxwellBoltzmann.Scaling.EXACT);
        FastGapCalculator ev = new FastGapCalculator(model, s, pool, EvaluatorOptions.withVariance());
        MdSystem system = new MdSystem(s, ev);
        var integrator = bussi
                ? new StochasticVelocityRescaling(system, 1.0, TemperatureSchedule.constant(900), 20, 3)
                : new VelocityVerlet(system, 1.0);
        double[] sigma = new double[s.size()];
        new MolecularDynamics(integrator, List.of(sys -> {
            ev.deviations(sigma);
            return org.soapstone.engine.md.MdObserver.Action.CONTINUE;
        })).run(steps);
        out.put(name + " positions", s.positions().clone());
        out.put(name + " velocities", s.velocities().clone());
        out.put(name + " sigma", sigma);
        out.put(name + " energy", new double[] {system.results().energy, system.kineticEnergy()});
    }

    /** gap_fit's command line on 3 of gap_fit's Si training frames: CUR sparse points, forces and energies. */
    private static void fit(int threads, String name, Map<String, double[]> out) {
        FitSettings settings = GapFitCommandLine.parse(Arrays.asList(("at_file=" + SharedData.gapFit("si-soap")
                .resolve("train.xyz") + " gap={soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 zeta=4 "
                + "cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product n_sparse=20 "
                + "sparse_method=cur_points} default_sigma={0.01 0.05 0.01 1} e0={Si:-0.79} sparse_jitter=1e-8 "
                + "force_parameter_name=forces rnd_seed=5 gp_file=unused.gap").split(" ")),
                SharedData.root());
        TrainingSet data = TrainingSet.read(settings);
        TrainingSet few = new TrainingSet(data.file(), data.frames().subList(0, 3), data.species(), data.e0(),
                data.notes(), data.warnings());
        GapModel model = GapFit.run(settings, few, "test", threads, new FitListener() { }).model();
        out.put(name + " sparse", model.terms().getFirst().sparseX());
        out.put(name + " alpha", model.terms().getFirst().alpha());
        out.put(name + " log likelihood", new double[] {model.posterior().logMarginalLikelihood()});
    }

    /** On-the-fly learning of the Si model on 8-atom diamond, Langevin at 1500 K, 30 steps, σ checked each step. */
    private static void learn(GapModel reference, WorkerPool pool, String name, Map<String, double[]> out) {
        Structure s = Crystal.diamond(14, 5.431, 1);
        MaxwellBoltzmann.assign(s, 1500, 3, MaxwellBoltzmann.Scaling.EXACT);
        List<Double> sigmas = new ArrayList<>();
        LearnListener record = (event, labelled, model) -> sigmas.add(event.maxSigma());
        OnTheFlyLearner learner = OnTheFlyLearner.bootstrap(s, new ReferenceGapCalculator(reference, pool),
                DescriptorString.parse("soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 zeta=4 delta=1 "
                        + "covariance_type=dot_product n_sparse=10"), new Sigmas(0.002, 0.05, 0.05, 0), 1e-8,
                new LearningPolicy(0.003, 4, 2, 1000, 1, 0), record, pool);
        MdSystem system = new MdSystem(s, learner);
        new MolecularDynamics(new Langevin(system, 1.0, TemperatureSchedule.constant(1500), 0.02, 5),
                List.of(learner)).run(30);
        out.put(name + " positions", s.positions().clone());
        out.put(name + " alpha", learner.model().terms().getFirst().alpha());
        out.put(name + " sigma at calls", sigmas.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static void put(Map<String, double[]> out, String name, CalculationResults r) {
        out.put(name + " energy", new double[] {r.energy});
        out.put(name + " energies", r.energies.clone());
        out.put(name + " forces", r.forces.clone());
        out.put(name + " stress", r.stress.clone());
    }

    /**
     * Prints {@link #run} as one line per result: its name, a tab, and the bits of each value in hexadecimal
     * ({@link #parse} reads it).
     *
     * @param args the frame index, the largest thread count, the MD steps, and {@code full} for the full set
     */
    public static void main(String[] args) throws Exception {
        Map<String, double[]> results = run(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]), args.length > 3 && args[3].equals("full"));
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, double[]> e : results.entrySet()) {
            text.append(e.getKey()).append('\t');
            for (double v : e.getValue()) {
                text.append(Long.toHexString(Double.doubleToRawLongBits(v))).append(' ');
            }
            text.append('\n');
        }
        System.out.print(text);
    }

    /** @return the results {@link #main} printed */
    public static Map<String, double[]> parse(String printed) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String line : printed.split("\n")) {
            String[] parts = line.split("\t", 2);
            if (parts.length < 2) {
                continue;
            }
            String[] words = parts[1].isBlank() ? new String[0] : parts[1].trim().split(" ");
            double[] v = new double[words.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = Double.longBitsToDouble(Long.parseUnsignedLong(words[i], 16));
            }
            out.put(parts[0], v);
        }
        return out;
    }
}
