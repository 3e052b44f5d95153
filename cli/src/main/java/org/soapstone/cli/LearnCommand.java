package org.soapstone.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.ipi.IpiAddress;
import org.soapstone.engine.ipi.IpiCalculator;
import org.soapstone.engine.learn.CommandReference;
import org.soapstone.engine.learn.LearnRun;
import org.soapstone.engine.learn.LearnSettings;
import org.soapstone.engine.learn.LearnerCalibration;
import org.soapstone.engine.learn.LearningPolicy;
import org.soapstone.engine.learn.OnTheFlyLearner;
import org.soapstone.engine.learn.StartingModel;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.PotentialSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soapstone learn}: MD with a GAP that learns on the fly from a reference calculator. */
@Command(name = "learn",
        header = "Run molecular dynamics with a GAP that learns on the fly from a reference calculator.",
        mixinStandardHelpOptions = true,
        description = {"Molecular dynamics with on-the-fly learning: when an atom's predicted local-energy σ exceeds "
            + "--std-tolerance, the reference labels the structure, the frame and the most uncertain environments "
            + "join the GAP by incremental updates, and the run carries on. Writes DIR/model.gap (after every "
            + "update), DIR/training.xyz (every reference frame, appended as it comes), DIR/trajectory.xyz, "
            + "DIR/thermo.log (as md's, with the conserved energy: total − thermostat heat − re-referenced jumps) and "
            + "DIR/learn.log (step, max σ eV, atom, energy error before the update eV, energy jump at the update eV,"
            + " reference calls, sparse points, frames, update seconds; '#' lines for re-optimisations and for the "
            + "error-bar calibrations: 5-fold cross-validation on the frames learnt, from 10 frames on, whose scales "
            + "model.gap carries for --force-tolerance and 'eval --sigma')."})
final class LearnCommand implements Callable<Integer> {
    /** Where the reference labels come from. */
    static final class ReferenceOptions {
        @Option(names = "--reference", paramLabel = "KIND:FILE", required = true,
                description = "A classical potential as the reference, named as for 'soapstone eval --potential' "
                        + "(e.g. sw:Si.sw, tersoff:Si.tersoff).")
        String potential;

        @Option(names = "--reference-command", paramLabel = "CMD", required = true,
                description = "A shell command as the reference: run as 'CMD IN.xyz OUT.xyz' in DIR/reference/; it "
                        + "reads IN.xyz and writes OUT.xyz with info energy (eV), per-atom forces (eV/Å) and "
                        + "optionally stress (eV/Å³, ASE sign), e.g. ASE's write(..., format='extxyz').")
        String command;

        @Option(names = "--reference-ipi", paramLabel = "unix:NAME|inet:HOST:PORT", required = true,
                description = "An external i-PI force provider as the reference (LAMMPS 'fix ipi', ASE SocketClient "
                        + "in front of a DFT code): Soapstone listens on the UNIX socket /tmp/ipi_NAME or on "
                        + "HOST:PORT; the client, started beside it, must hold the same atoms in the same order and "
                        + "returns energy (eV), forces (eV/Å) and virial. --reference-timeout bounds the wait for it "
                        + "to connect and for each answer; it is sent EXIT at the end of the run.")
        String ipi;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    ReferenceOptions reference;

    @Mixin
    ThreadsOption threads;

    @Parameters(index = "0", paramLabel = "START.xyz", description = "Starting structure (the last frame).")
    Path input;

    @Option(names = "--descriptor", paramLabel = "STRING",
            description = "gap_fit descriptor string of the model to learn from nothing, with its fit keys, e.g. "
                    + "\"soap cutoff=5 n_max=8 l_max=8 atom_sigma=0.5 zeta=4 delta=1 covariance_type=dot_product "
                    + "n_sparse=20 sparse_method=cur_points\" (n_sparse: the first frame's sparse points).")
    String descriptor;

    @Option(names = "--model", paramLabel = "START.gap",
            description = "Start from this model (Soapstone's model file, with its posterior); needs --training.")
    Path model;

    @Option(names = "--training", paramLabel = "TRAIN.xyz",
            description = "With --model: the frames it was fitted to (energy, forces, stress), read with "
                    + "--default-sigma.")
    Path training;

    @Mixin
    DynamicsOptions dynamics;

    @Option(names = "--std-tolerance", paramLabel = "EV", defaultValue = "0.05",
            description = "Largest tolerated per-atom local-energy σ (eV; default ${DEFAULT-VALUE}).")
    double stdTolerance;

    @Option(names = "--std-tolerance-noise", paramLabel = "FACTOR",
            description = "Instead of --std-tolerance: FACTOR times the per-atom energy σ of --default-sigma.")
    Double stdToleranceNoise;

    @Option(names = "--force-tolerance", paramLabel = "EV/Å",
            description = "Largest tolerated force σ (eV/Å): on each check step the exact observed σ of every force "
                    + "component, s_w²·uᵀΣu + s_n²·σ_n² with the scales from 5-fold cross-validation on the frames "
                    + "learnt so far (refreshed as they come; from 10 frames on — until then, or the --model's own "
                    + "calibration, every check step calls the reference); an atom's is its largest component's. "
                    + "A calibrated σ is the standard deviation of the component's error: the tolerance is the "
                    + "largest such σ accepted on any atom, and the typical error is several times smaller. Alone it "
                    + "replaces --std-tolerance's default; with --std-tolerance given, either triggers.")
    Double forceTolerance;

    @Option(names = "--min-steps", defaultValue = "5", paramLabel = "N",
            description = "Fewest MD steps between reference calls (default: ${DEFAULT-VALUE}).")
    int minSteps;

    @Option(names = "--points-per-call", defaultValue = "4", paramLabel = "N",
            description = "Most uncertain environments added as sparse points per call (default: ${DEFAULT-VALUE}).")
    int pointsPerCall;

    @Option(names = "--max-sparse", defaultValue = "1000", paramLabel = "N",
            description = "Cap on sparse points (default: ${DEFAULT-VALUE}).")
    int maxSparse;

    @Option(names = "--check-every", defaultValue = "1", paramLabel = "N",
            description = "Steps between σ checks (default: ${DEFAULT-VALUE}); the σ come with the check step's "
                    + "forces, other steps skip their cost.")
    int checkEvery;

    @Option(names = "--reoptimise-every", defaultValue = "0", paramLabel = "K",
            description = "Every K reference calls (the first included), re-optimise δ and the σ of energies, forces "
                    + "and virials by maximising the log marginal likelihood on all frames seen (as 'fit "
                    + "--optimise --spark' does); the fit carries on with the new values, logged in learn.log (default: "
                    + "${DEFAULT-VALUE}: never).")
    int reoptimiseEvery;

    @Option(names = "--reset-reference-after-update",
            description = "After each model update, re-reference the conserved energy (thermo.log's conserved_eV: "
                    + "the NVE total energy, or total − thermostat heat) by the update's energy jump, so that it "
                    + "continues without the jump and shows the drift of the models alone.")
    boolean resetReference;

    @Option(names = "--thermo-every", defaultValue = "10", paramLabel = "N",
            description = "Steps between thermo.log lines (default: ${DEFAULT-VALUE}).")
    int thermoEvery;

    @Option(names = "--default-sigma", defaultValue = "0.002 0.05 0.05 0", paramLabel = "\"E F V H\"",
            description = "gap_fit's default_sigma: energy eV/atom, force eV/Å, virial eV/atom, Hessian "
                    + "(default: ${DEFAULT-VALUE}; V = 0 fits no virial).")
    String defaultSigma;

    @Option(names = "--jitter", defaultValue = "1e-8", paramLabel = "EV2", description = "sparse_jitter (eV²).")
    double jitter;

    @Option(names = "--reference-timeout", defaultValue = "3600", paramLabel = "S",
            description = "Time-out of one --reference-command call, or of the --reference-ipi client's connection "
                    + "and of each of its answers (s; default: ${DEFAULT-VALUE}).")
    long referenceTimeout;

    @Option(names = "--drift-excluding-jumps",
            description = "At the end, report the total-energy drift of the run (kinetic + potential, eV, and "
                    + "meV/atom/ps), the sum of the energy jumps logged at the model updates (eV; each is the model "
                    + "energy after − before the update at the same positions) and the drift excluding retraining "
                    + "jumps (total drift − sum of jumps, eV and meV/atom/ps): the drift of the models themselves. "
                    + "Meaningful with --ensemble nve (with nvt the thermostat's heat is part of the drift).")
    boolean driftExcludingJumps;

    @Option(names = "--output", defaultValue = "learn-output", paramLabel = "DIR", description = "Output directory.")
    Path output;

    @Option(names = "--trajectory-every", defaultValue = "10", paramLabel = "N",
            description = "Steps between trajectory frames (default: ${DEFAULT-VALUE}).")
    int trajectoryEvery;

    @Option(names = "--resume", description = "Carry on up to --steps from DIR: from the last frame of "
            + "trajectory.xyz (its step, velocities and conserved energy) with model.gap and training.xyz. A run "
            + "stopped at any point resumes: frames model.gap lacks are fitted, learn.log and thermo.log are cut back "
            + "to what was saved, and temporary files of interrupted writes are removed; a DIR stopped before its "
            + "first step starts afresh.")
    boolean resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        double[] temps = dynamics.temperatures();
        if (temps == null) {
            throw new IllegalArgumentException("--temperature K[:K1] is required");
        }
        dynamics.check();
        OptionChecks.directory("--output", output);
        OptionChecks.atLeast("--trajectory-every", trajectoryEvery, 1);
        OptionChecks.atLeast("--thermo-every", thermoEvery, 1);
        OptionChecks.atLeast("--min-steps", minSteps, 1);
        OptionChecks.atLeast("--points-per-call", pointsPerCall, 0);
        OptionChecks.atLeast("--max-sparse", maxSparse, 1);
        OptionChecks.atLeast("--check-every", checkEvery, 1);
        OptionChecks.atLeast("--reoptimise-every", reoptimiseEvery, 0);
        OptionChecks.atLeast("--reference-timeout", referenceTimeout, 1);
        if (stdToleranceNoise != null) {
            OptionChecks.positive("--std-tolerance-noise", stdToleranceNoise, "(a factor)");
        } else {
            OptionChecks.positive("--std-tolerance", stdTolerance, "eV");
        }
        if (forceTolerance != null) {
            OptionChecks.positive("--force-tolerance", forceTolerance, "eV/Å");
        }
        if (!(jitter >= 0) || !Double.isFinite(jitter)) {
            throw new IllegalArgumentException("--jitter must be a finite number ≥ 0 eV², got " + jitter);
        }
        Sigmas sigmas = Sigmas.parse(defaultSigma, "--default-sigma");
        double std = stdToleranceNoise != null ? stdToleranceNoise * sigmas.energy()
                : forceTolerance != null && !spec.commandLine().getParseResult().hasMatchedOption("--std-tolerance")
                        ? Double.POSITIVE_INFINITY : stdTolerance;
        LearningPolicy policy = new LearningPolicy(std, minSteps, pointsPerCall, maxSparse, checkEvery,
                reoptimiseEvery, forceTolerance == null ? 0 : forceTolerance);
        StartingModel origin = startingModel();
        Structure start = MdCommand.lastFrame(input);
        MaxwellBoltzmann.assign(start, temps[0], dynamics.seed, MaxwellBoltzmann.Scaling.EXACT);
        DynamicsOptions.Ensemble ensemble = dynamics.ensemble(DynamicsOptions.Ensemble.nvt);
        LearnSettings settings = new LearnSettings(output, sigmas, jitter, policy,
                system -> dynamics.integrator(system, ensemble, temps[0], temps[1], dynamics.steps), dynamics.steps,
                thermoEvery, trajectoryEvery, resetReference, spec.commandLine().getParseResult().originalArgs(),
                Version.number());
        Calculator ref = reference();
        try (LearnRun run = LearnRun.open(settings, ref, WorkerPool.shared(), start, origin, resume, file -> { })) {
            run.notes().forEach(n -> System.out.println("learn: " + n));
            learn(run);
        } finally {
            CalculatorOptions.release(ref);
        }
        return 0;
    }

    /** @return the model a fresh run starts from: --model with --training, or --descriptor from nothing */
    private StartingModel startingModel() {
        if (model != null) {
            if (training == null) {
                throw new IllegalArgumentException("--model needs --training, the frames it was fitted to");
            }
            return new StartingModel.Given(model, training);
        }
        if (descriptor == null) {
            throw new IllegalArgumentException("give --descriptor (to learn from nothing) or --model");
        }
        return new StartingModel.Bootstrap(DescriptorString.parse(descriptor));
    }

    private Calculator reference() throws IOException {
        if (reference.potential != null) {
            return PotentialSpec.parse(reference.potential);
        }
        if (reference.ipi != null) {
            return IpiCalculator.listen(IpiAddress.parse(reference.ipi), Duration.ofSeconds(referenceTimeout));
        }
        return new CommandReference(reference.command, output.resolve("reference"), Duration.ofSeconds(referenceTimeout));
    }

    /** Runs the dynamics with a progress line, then reports. */
    private void learn(LearnRun run) {
        OnTheFlyLearner learner = run.learner();
        long remaining = run.remainingSteps();
        TimedDynamics timed;
        try (Progress progress = Progress.start("learn", remaining, "steps",
                rate -> learner.referenceCalls() + " reference calls, " + learner.fit().sparseCount()
                        + " sparse points")) {
            timed = TimedDynamics.run(run.integrator(), run.observers(), remaining, progress);
        }
        run.finish();
        long steps = timed.outcome().steps();
        long n = Math.max(1, steps);
        int atoms = run.system().structure().size();
        System.out.printf(Locale.ROOT, "learn: %d steps (to step %d) in %.1f s, %d reference calls, %d sparse "
                + "points, %d training frames%n", steps, run.system().step(), timed.seconds(),
                learner.referenceCalls(), learner.fit().sparseCount(), learner.fit().frames().size());
        System.out.printf(Locale.ROOT, "loop time %.4f s: %.4g µs/atom-step; loop CPU time %.4f s (all threads of "
                + "the process): %.4g µs/atom-step (reference calls and updates included)%n", timed.seconds(),
                1e6 * timed.seconds() / (n * atoms), timed.cpuSeconds(), 1e6 * timed.cpuSeconds() / (n * atoms));
        reportCalibration(learner);
        if (driftExcludingJumps) {
            reportDrift(run.drift());
        }
        System.out.println("wrote " + output.resolve("model.gap") + ", " + output.resolve("training.xyz") + ", "
                + output.resolve("trajectory.xyz") + ", " + output.resolve("thermo.log") + ", "
                + output.resolve("learn.log"));
        if (run.failure().isPresent()) {
            throw new IllegalStateException("the reference failed at step " + run.system().step()
                    + "; everything learnt so far is saved in " + output + " (--resume carries on): "
                    + run.failure().get().getMessage());
        }
    }

    /** Prints how the final model's error bars are calibrated. */
    private static void reportCalibration(OnTheFlyLearner learner) {
        int frames = learner.fit().frames().size();
        SigmaCalibration c = learner.model().calibration();
        if (learner.calibratedFrames() == frames && c.method() != SigmaCalibration.Method.NONE) {
            System.out.println("learn: error bars " + LearnRun.calibrationLine(c, frames));
        } else if (c != null && c.method() != SigmaCalibration.Method.NONE) {
            System.out.println("learn: error bars as the starting model's calibration (" + frames + " frames, fewer "
                    + "than " + LearnerCalibration.MIN_FRAMES + " to cross-validate)");
        } else {
            System.out.println("learn: error bars not calibrated: " + frames + " training frames, fewer than "
                    + LearnerCalibration.MIN_FRAMES + " to cross-validate; the model's σ is the uncalibrated "
                    + "predictive (s_w = s_n = 1)");
        }
    }

    /** Prints the conserved-energy drift of this run, the sum of the update jumps and their difference. */
    private static void reportDrift(LearnRun.Drift d) {
        double perAtomPs = d.femtoseconds() > 0 ? 1e3 / d.atoms() / (d.femtoseconds() * 1e-3) : Double.NaN;
        System.out.printf(Locale.ROOT, "learn: total energy drift %.9g eV (%.4g meV/atom/ps; thermostat heat %.9g eV "
                + "taken out), sum of retraining jumps %.9g eV, drift excluding retraining jumps %.9g eV "
                + "(%.4g meV/atom/ps)%n", d.drift(), d.drift() * perAtomPs, d.heat(), d.jumps(), d.drift() - d.jumps(),
                (d.drift() - d.jumps()) * perAtomPs);
    }
}
