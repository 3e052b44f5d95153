package org.soapstone.engine.evaluator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.md.Integrator;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.MolecularDynamics;
import org.soapstone.engine.md.StochasticVelocityRescaling;
import org.soapstone.engine.md.TemperatureSchedule;
import org.soapstone.engine.md.VelocityVerlet;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.Bits;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.SharedData;
import org.soapstone.engine.testing.TestModels;

/**
 * The way issue 15 found GAP runs irreproducible: one frame evaluated many times in one JVM, and one MD run
 * repeated in one JVM, while the JIT compiles the code underneath. Each evaluation — {@link ReferenceGapCalculator} (eval:
 * energies, forces, stress, local variance) and {@link FastGapCalculator} (σ off, QUIP's σ, a posterior's σ) — and
 * each MD run (NVE and Bussi, σ on and off) must give the first one's bits, at 1 and 2 threads: gap_fit's Si model
 * (n_max = l_max = 8, 200 sparse points) on a rattled 63-atom cell.
 */
class RepeatabilityTest {
    private static final int EVALUATIONS = 60;
    private static final int MD_RUNS = 3;
    private static final int MD_STEPS = 12;

    private static GapModel quip() throws Exception {
        return GapModel.readQuip(SharedData.gapFit("si-soap").resolve("gp.xml"));
    }

    private static Structure frame() throws Exception {
        return FiniteDifferences.rattled(ExtXyz.read(SharedData.gapFit("si-soap").resolve("quip-predictions.xyz"))
                .getFirst(), 0.05, 3);
    }

    /** Calls {@code evaluation} {@link #EVALUATIONS} times; every result must have the first one's bits. */
    private static void repeat(String what, Supplier<Map<String, double[]>> evaluation) {
        Map<String, double[]> first = evaluation.get();
        for (int k = 1; k < EVALUATIONS; k++) {
            Bits.assertSameBits(first, evaluation.get(), what + ", evaluation " + k);
        }
    }

    private static Map<String, double[]> results(CalculationResults r) {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("energy", new double[] {r.energy});
        m.put("energies", r.energies.clone());
        m.put("forces", r.forces.clone());
        m.put("stress", r.stress.clone());
        return m;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void evalGivesTheFirstEvaluationsBitsEveryTime(int threads) throws Exception {
        Structure s = frame();
        GapModel quip = quip();
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (GapModel model : List.of(quip, TestModels.withRandomPosterior(quip, 5))) {
                ReferenceGapCalculator calc = new ReferenceGapCalculator(model, pool);
                repeat("eval, posterior " + model.hasPosterior() + ", " + threads + " threads", () -> {
                    Map<String, double[]> m = results(calc.calculate(s));
                    m.put("local variance", calc.localVariance(s));
                    return m;
                });
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void evaluatorGivesTheFirstEvaluationsBitsEveryTime(int threads) throws Exception {
        Structure s = frame();
        GapModel quip = quip();
        GapModel posterior = TestModels.withRandomPosterior(quip, 5);
        try (WorkerPool pool = new WorkerPool(threads)) {
            // σ off, QUIP's σ, the posterior's σ
            List<GapModel> models = List.of(quip, quip, posterior);
            List<EvaluatorOptions> options = List.of(EvaluatorOptions.meanOnly(), EvaluatorOptions.withVariance(),
                    EvaluatorOptions.withVariance());
            for (int c = 0; c < models.size(); c++) {
                boolean sigma = options.get(c).variance();
                FastGapCalculator ev = new FastGapCalculator(models.get(c), s, pool, options.get(c));
                repeat("evaluator, posterior " + models.get(c).hasPosterior() + ", σ " + sigma + ", " + threads
                        + " threads", () -> {
                    Map<String, double[]> m = results(ev.calculate(s));
                    if (sigma) {
                        double[] deviations = new double[s.size()];
                        ev.deviations(deviations);
                        m.put("sigma", deviations);
                    }
                    return m;
                });
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1, false, false", "1, false, true", "1, true, false", "1, true, true",
                "2, false, false", "2, false, true", "2, true, false", "2, true, true"})
    void mdRunsRepeatBitForBit(int threads, boolean bussi, boolean sigma) throws Exception {
        Structure start = frame();
        MaxwellBoltzmann.assign(start, 900, 11, MaxwellBoltzmann.Scaling.EXACT);
        GapModel model = bussi ? TestModels.withRandomPosterior(quip(), 5) : quip();
        EvaluatorOptions options = sigma ? EvaluatorOptions.withVariance() : EvaluatorOptions.meanOnly();
        Map<String, double[]> first = null;
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int run = 0; run < MD_RUNS; run++) {
                Structure s = start.copy();
                Map<String, double[]> trajectory = new LinkedHashMap<>();
                FastGapCalculator ev = new FastGapCalculator(model, s, pool, options);
                MdSystem system = new MdSystem(s, ev);
                Integrator integrator = bussi
                        ? new StochasticVelocityRescaling(system, 1.0, TemperatureSchedule.constant(1200), 10, 7)
                        : new VelocityVerlet(system, 1.0);
                MdObserver record = sys -> {
                    trajectory.put("positions " + sys.step(), s.positions().clone());
                    trajectory.put("velocities " + sys.step(), s.velocities().clone());
                    trajectory.put("energy " + sys.step(), new double[] {sys.results().energy,
                            sys.kineticEnergy(), sigma ? ev.maxDeviation() : 0});
                    return MdObserver.Action.CONTINUE;
                };
                new MolecularDynamics(integrator, List.of(record)).run(MD_STEPS);
                if (first == null) {
                    first = trajectory;
                } else {
                    Bits.assertSameBits(first, trajectory, (bussi ? "Bussi" : "NVE") + ", σ " + sigma + ", "
                            + threads + " threads, run " + run);
                }
            }
        }
    }
}
