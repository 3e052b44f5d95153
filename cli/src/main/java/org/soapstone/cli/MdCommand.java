package org.soapstone.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.md.DivergenceGuard;
import org.soapstone.engine.md.EnergyDrift;
import org.soapstone.engine.md.Integrator;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.MolecularDynamics;
import org.soapstone.engine.md.ThermoLog;
import org.soapstone.engine.md.TrajectoryWriter;
import org.soapstone.engine.md.UnstableRunException;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code soapstone md}: molecular dynamics from the last frame of an extended-XYZ file. */
@Command(name = "md",
        header = "Run molecular dynamics with classical potentials, a GAP model or an external code over "
                + "i-PI.",
        mixinStandardHelpOptions = true,
        description = {"Run molecular dynamics from the last frame of an extended-XYZ file. Writes OUTPUT/trajectory.xyz"
            + " (extended XYZ with velocities, forces, per-atom energies), OUTPUT/thermo.log (step, time fs, potential,"
            + " kinetic and total energy eV, temperature K, pressure GPa; with --model also the largest and mean per-atom"
            + " local-energy deviation eV; with a model fitted by soapstone also the largest and mean per-atom force σ"
            + " eV/Å and whether it was exact) and OUTPUT/final.xyz (the last state). With --model the frames carry"
            + " each atom's local_energy_sigma (eV, latent) and, for a model fitted by soapstone, force_sigma (eV/Å,"
            + " 3 per atom): the calibrated observed σ of each force component — exact (s_w²·uᵀΣu + s_n²·σ_n², what"
            + " eval --sigma writes) on every --sigma-every step, else the model's calibrated proxy from the"
            + " local-energy σ of the atom's neighbourhood (same for its 3 components; models fitted with"
            + " cross-validation). An atom's force σ in the log and for --stop-if-uncertain-force is the largest of"
            + " its components'. σ is computed on the steps that write it (thermo lines, trajectory frames, the last"
            + " step) and, with a --stop-if-uncertain option, on every step; the other steps skip its cost."})
final class MdCommand implements Callable<Integer> {
    @ArgGroup(exclusive = false, multiplicity = "1")
    CalculatorOptions source;

    @Mixin
    ThreadsOption threads;

    @Parameters(index = "0", paramLabel = "IN.xyz", description = "Starting structure (the last frame is used; "
            + "its velocities, in Å/fs, are kept unless --temperature initialises them).")
    Path input;

    @Mixin
    DynamicsOptions dynamics;

    @Option(names = "--output", defaultValue = "md-output", paramLabel = "DIR",
            description = "Output directory (created; default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--thermo-every", defaultValue = "100", paramLabel = "N",
            description = "Steps between thermo-log lines, ≥ 1 (default: ${DEFAULT-VALUE}).")
    int thermoEvery;

    @Option(names = "--trajectory-every", defaultValue = "100", paramLabel = "N",
            description = "Steps between trajectory frames; 0 writes none (default: ${DEFAULT-VALUE}).")
    int trajectoryEvery;

    @Option(names = "--stop-if-uncertain", paramLabel = "SIGMA",
            description = "With --model: end the run cleanly (thermo log, trajectory and final.xyz written) after the "
                    + "first step at which some atom's local-energy standard deviation exceeds SIGMA (eV).")
    Double stopIfUncertain;

    @Option(names = "--stop-if-uncertain-force", paramLabel = "EV/Å",
            description = "With a model fitted by soapstone: end the run cleanly after the first step at which some "
                    + "atom's force σ (eV/Å; exact on --sigma-every steps, the calibrated proxy on the others) "
                    + "exceeds this.")
    Double stopIfUncertainForce;

    @Option(names = "--sigma-every", defaultValue = "0", paramLabel = "N",
            description = "With a model fitted by soapstone: the exact force σ every N steps (step 0 included; "
                    + "costs a few plain steps each); 0 never (default: ${DEFAULT-VALUE}).")
    int sigmaEvery;

    @Option(names = "--sigma-rank", paramLabel = "R",
            description = "With --model: eigenpairs kept for the per-atom local-energy σ (eV); 0 keeps all (exact), "
                    + "fewer are cheaper and never smaller. Default: the rank the model's force-σ proxy is "
                    + "calibrated on (chosen by the fit's cross-validation), so that one pass gives both; another "
                    + "rank turns the proxy off (a model without the proxy: 0).")
    Integer sigmaRank;

    @Option(names = "--no-sigma",
            description = "With --model: skip the per-atom local-energy deviations and with them the force-σ proxy "
                    + "(energies and forces only, and the exact force σ of --sigma-every steps if asked).")
    boolean noSigma;

    /** The step and atom at which --stop-if-uncertain ended the run. */
    private record Uncertain(long step, int atom, double sigma) {}

    private Uncertain uncertain;
    /** Which force σ each step computes; null without one. */
    private ForceSigmaSchedule forceSigma;
    /** The steps whose σ is read. */
    private SigmaSteps sigmaSteps;
    /** The step and atom at which --stop-if-uncertain-force ended the run (σ in eV/Å). */
    private Uncertain uncertainForce;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        double[] temps = dynamics.temperatures();
        if (ensemble() == DynamicsOptions.Ensemble.nvt && temps == null) {
            throw new IllegalArgumentException("--ensemble nvt needs --temperature K");
        }
        dynamics.check();
        OptionChecks.directory("--output", output);
        OptionChecks.atLeast("--thermo-every", thermoEvery, 1);
        OptionChecks.atLeast("--trajectory-every", trajectoryEvery, 0);
        if ((stopIfUncertainForce != null || sigmaEvery > 0) && source.model == null) {
            throw new IllegalArgumentException((sigmaEvery > 0 ? "--sigma-every" : "--stop-if-uncertain-force")
                    + " needs --model (a model fitted by soapstone)");
        }
        if (stopIfUncertain != null && (source.model == null || noSigma || !(stopIfUncertain > 0))) {
            throw new IllegalArgumentException("--stop-if-uncertain needs --model (without --no-sigma) and a deviation > 0 eV");
        }
        if (sigmaRank != null) {
            OptionChecks.atLeast("--sigma-rank", sigmaRank, 0);
        }
        OptionChecks.atLeast("--sigma-every", sigmaEvery, 0);
        if (stopIfUncertainForce != null && !(stopIfUncertainForce > 0 && Double.isFinite(stopIfUncertainForce))) {
            throw new IllegalArgumentException("--stop-if-uncertain-force needs a force σ > 0 eV/Å, got "
                    + stopIfUncertainForce);
        }
        source.check();
        Structure s = lastFrame(input);
        GapModel model = source.model == null ? null : GapModel.read(source.model);
        int proxyRank = ForceSigmaSchedule.proxyRank(model);
        int rank = sigmaRank != null ? sigmaRank : Math.max(proxyRank, 0);
        boolean otherRank = ForceSigmaSchedule.otherRank(model, sigmaRank);
        if (otherRank && !noSigma) {
            System.err.println("note: --sigma-rank " + sigmaRank + ": the model's force-σ proxy is calibrated on rank "
                    + proxyRank + ", so no step computes it; the force σ comes only from --sigma-every steps");
        }
        FastGapCalculator evaluator = model == null ? null : new FastGapCalculator(model, s, WorkerPool.shared(),
                new EvaluatorOptions(EvaluatorOptions.DEFAULT_SKIN, !noSigma, rank));
        sigmaSteps = new SigmaSteps(thermoEvery, trajectoryEvery, dynamics.steps,
                stopIfUncertain != null || stopIfUncertainForce != null);
        forceSigma = ForceSigmaSchedule.of(evaluator, noSigma, otherRank, sigmaEvery, stopIfUncertainForce != null,
                sigmaSteps);
        Calculator calc = evaluator != null ? source.withBaseline(evaluator) : source.calculator();
        try {
            return run(s, calc, evaluator, temps);
        } finally {
            CalculatorOptions.release(calc);
        }
    }

    private int run(Structure s, Calculator calc, FastGapCalculator evaluator, double[] temps) throws Exception {
        if (temps != null) {
            MaxwellBoltzmann.assign(s, temps[0], dynamics.seed, MaxwellBoltzmann.Scaling.EXACT);
        }
        Files.createDirectories(output);
        MdSystem system;
        try {
            system = new MdSystem(s, calc);
        } catch (UnstableRunException e) {
            throw new IllegalArgumentException(input + ": the last frame: " + e.reason(), e);
        }
        Integrator integrator = dynamics.integrator(system, ensemble(), temps == null ? 0 : temps[0],
                temps == null ? 0 : temps[1], dynamics.steps);
        EnergyDrift drift = new EnergyDrift(thermoEvery);
        List<MdObserver> observers = new ArrayList<>();
        if (forceSigma != null) {
            observers.add(forceSigma);
        }
        if (evaluator != null && !noSigma) {
            observers.add(sys -> {
                evaluator.localSigma(sigmaSteps.used(sys.step() + 1));
                return MdObserver.Action.CONTINUE;
            });
        }
        List<ThermoLog.Column> columns = new ArrayList<>();
        if (evaluator != null && !noSigma) {
            columns.add(new ThermoLog.Column("sigma_max_eV", sys -> evaluator.maxDeviation()));
            columns.add(new ThermoLog.Column("sigma_mean_eV", sys -> evaluator.meanDeviation()));
        }
        if (forceSigma != null) {
            columns.addAll(forceSigma.columns());
        }
        ThermoLog thermo = new ThermoLog(output.resolve("thermo.log"), thermoEvery, columns);
        if (evaluator != null && trajectoryEvery > 0) {
            observers.add(sigmaProperty(evaluator, trajectoryEvery));
        }
        observers.add(thermo);
        if (trajectoryEvery > 0) {
            observers.add(new TrajectoryWriter(output.resolve("trajectory.xyz"), trajectoryEvery));
        }
        observers.add(drift);
        observers.add(new DivergenceGuard(integrator));
        if (stopIfUncertainForce != null) {
            double limit = stopIfUncertainForce;
            observers.add(sys -> {
                if (evaluator.lastForceSigma() != FastGapCalculator.ForceSigma.NONE
                        && evaluator.maxForceDeviation() > limit) {
                    uncertainForce = new Uncertain(sys.step(), evaluator.maxForceDeviationAtom(),
                            evaluator.maxForceDeviation());
                    return MdObserver.Action.STOP;
                }
                return MdObserver.Action.CONTINUE;
            });
        }
        if (stopIfUncertain != null) {
            double limit = stopIfUncertain;
            observers.add(sys -> {
                if (evaluator.maxDeviation() > limit) {
                    uncertain = new Uncertain(sys.step(), evaluator.maxDeviationAtom(), evaluator.maxDeviation());
                    return MdObserver.Action.STOP;
                }
                return MdObserver.Action.CONTINUE;
            });
        }
        int atoms = s.size();
        double fsPerStep = dynamics.timestep;
        TimedDynamics run;
        try (Progress progress = Progress.start("md", dynamics.steps, "steps",
                rate -> String.format(Locale.ROOT, "%.3g ns/day", rate * fsPerStep * 86400 * 1e-6))) {
            run = TimedDynamics.run(integrator, observers, dynamics.steps, progress);
        } finally {
            thermo.close();
        }
        if (evaluator != null) {
            sigmaProperty(evaluator, 1).observe(system);
        }
        ExtXyz.write(output.resolve("final.xyz"), List.of(TrajectoryWriter.frame(system)));
        report(run, atoms, drift);
        return 0;
    }

    /**
     * Puts each atom's deviation (eV) on the live structure as {@code local_energy_sigma} and its force σ (eV/Å, 3
     * per atom) as {@code force_sigma}, as far as the step computed them, for the frames written.
     */
    private MdObserver sigmaProperty(FastGapCalculator evaluator, int interval) {
        return MdObserver.every(interval, sys -> {
            if (!noSigma) {
                double[] sd = new double[sys.structure().size()];
                evaluator.deviations(sd);
                sys.structure().setProperty("local_energy_sigma", AtomProperty.real(1, sd));
            }
            if (evaluator.lastForceSigma() != FastGapCalculator.ForceSigma.NONE) {
                double[] fs = new double[3 * sys.structure().size()];
                evaluator.forceDeviations(fs);
                sys.structure().setProperty("force_sigma", AtomProperty.real(3, fs));
            }
        });
    }

    private void report(TimedDynamics run, int atoms, EnergyDrift drift) {
        MolecularDynamics.Outcome outcome = run.outcome();
        double seconds = run.seconds();
        if (uncertainForce != null) {
            System.out.printf(Locale.ROOT, "stopped at step %d: atom %d (0-based) has force σ %.6g eV/Å > %.6g eV/Å "
                    + "(--stop-if-uncertain-force, %s σ); everything up to this step is written%n",
                    uncertainForce.step(), uncertainForce.atom(), uncertainForce.sigma(), stopIfUncertainForce,
                    forceSigma.lastExact() ? "exact" : "proxy");
        }
        if (uncertain != null) {
            System.out.printf(Locale.ROOT, "stopped at step %d: atom %d (0-based) has local-energy deviation %.6g eV "
                    + "> %.6g eV (--stop-if-uncertain); everything up to this step is written%n", uncertain.step(),
                    uncertain.atom(), uncertain.sigma(), stopIfUncertain);
        }
        long n = Math.max(1, outcome.steps());
        System.out.printf(Locale.ROOT, "md: %d steps of %.4g fs, %d atoms, %s%s%n", outcome.steps(), dynamics.timestep,
                atoms,
                ensemble(), ensemble() == DynamicsOptions.Ensemble.nvt ? " (" + dynamics.thermostat + ")" : "");
        System.out.printf(Locale.ROOT, "loop time %.4f s: %.4g µs/atom-step, %.4g steps/s, %.4g ns/day%n", seconds,
                1e6 * seconds / (n * atoms), n / seconds, n / seconds * dynamics.timestep * 86400 * 1e-6);
        System.out.printf(Locale.ROOT, "loop CPU time %.4f s (all threads of the process): %.4g µs/atom-step%n",
                run.cpuSeconds(), 1e6 * run.cpuSeconds() / (n * atoms));
        if (run.secondHalfSteps() > 0) {
            long h = run.secondHalfSteps();
            System.out.printf(Locale.ROOT, "second half (last %d steps, after JIT warm-up): %.4g µs/atom-step, CPU "
                    + "%.4g µs/atom-step%n", h, 1e6 * run.secondHalfSeconds() / (h * atoms),
                    1e6 * run.secondHalfCpuSeconds() / (h * atoms));
        }
        if (ensemble() == DynamicsOptions.Ensemble.nve && drift.samples() >= 3) {
            System.out.printf(Locale.ROOT, "total-energy drift %.3e eV/atom/ps (least-squares slope), max |ΔE| "
                    + "%.3e eV/atom%n", drift.slope() * 1000 / atoms, drift.maxDeviation() / atoms);
        }
        System.out.println("wrote " + output.resolve("thermo.log") + (trajectoryEvery > 0 ? ", "
                + output.resolve("trajectory.xyz") : "") + ", " + output.resolve("final.xyz"));
    }

    private DynamicsOptions.Ensemble ensemble() {
        return dynamics.ensemble(DynamicsOptions.Ensemble.nve);
    }

    static Structure lastFrame(Path file) throws java.io.IOException {
        Structure last = null;
        try (var reader = ExtXyz.open(file)) {
            while (reader.hasNext()) {
                last = reader.next();
            }
        }
        if (last == null) {
            throw new IllegalArgumentException(file + ": no frames");
        }
        return last;
    }
}
