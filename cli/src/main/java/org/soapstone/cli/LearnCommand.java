package org.soapstone.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.fit.IncrementalGapFit;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.FitProvenance;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.ipi.IpiAddress;
import org.soapstone.engine.ipi.IpiCalculator;
import org.soapstone.engine.learn.CommandReference;
import org.soapstone.engine.learn.LabelledFrames;
import org.soapstone.engine.learn.LearnListener;
import org.soapstone.engine.learn.LearnerEvent;
import org.soapstone.engine.learn.LearningPolicy;
import org.soapstone.engine.learn.OnTheFlyLearner;
import org.soapstone.engine.learn.Reoptimisation;
import org.soapstone.engine.md.ConservedEnergy;
import org.soapstone.engine.md.DivergenceGuard;
import org.soapstone.engine.md.Integrator;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.MolecularDynamics;
import org.soapstone.engine.md.ThermoLog;
import org.soapstone.engine.md.TrajectoryWriter;
import org.soapstone.engine.md.UnstableRunException;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.PotentialSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code soapstone learn}: MD with a GAP that learns on the fly from a reference calculator. */
@Command(name = "learn", mixinStandardHelpOptions = true,
        description = {"Molecular dynamics with on-the-fly learning: when an atom's predicted local-energy σ exceeds "
            + "--std-tolerance, the reference labels the structure, the frame and the most uncertain environments "
            + "join the GAP by incremental updates, and the run carries on. Writes DIR/model.gap (after every "
            + "update), DIR/training.xyz (every reference frame, appended as it comes), DIR/trajectory.xyz, "
            + "DIR/thermo.log (as md's, with the conserved energy: total − thermostat heat − re-referenced jumps) and "
            + "DIR/learn.log (step, max σ eV, atom, energy error before the update eV, energy jump at the update eV,"
            + " reference calls, sparse points, frames, update seconds; '#' lines for re-optimisations)."})
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
                    + "--optimise'); the fit carries on with the new values, logged in learn.log (default: "
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

    @Option(names = "--resume", description = "Carry on from DIR's model.gap, training.xyz and the last frame of "
            + "trajectory.xyz (its step and velocities) up to --steps.")
    boolean resume;

    @Spec
    CommandSpec spec;

    /** The model file's summary key holding the σ its frames were fitted with (changed by re-optimisations). */
    private static final String SIGMA_KEY = "learn_default_sigma";

    @Override
    public Integer call() throws Exception {
        threads.apply();
        double[] temps = dynamics.temperatures();
        if (temps == null) {
            throw new IllegalArgumentException("--temperature K[:K1] is required");
        }
        dynamics.check();
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
        if (!(jitter >= 0) || !Double.isFinite(jitter)) {
            throw new IllegalArgumentException("--jitter must be a finite number ≥ 0 eV², got " + jitter);
        }
        Sigmas sigmas = sigmas();
        LearningPolicy policy = stdToleranceNoise != null
                ? LearningPolicy.relativeToNoise(stdToleranceNoise, sigmas, minSteps, pointsPerCall, maxSparse,
                        checkEvery, reoptimiseEvery)
                : new LearningPolicy(stdTolerance, minSteps, pointsPerCall, maxSparse, checkEvery, reoptimiseEvery);
        Files.createDirectories(output);
        Calculator ref = reference();
        try {
            return learn(ref, temps, sigmas, policy);
        } finally {
            if (ref instanceof AutoCloseable c) {
                c.close();
            }
        }
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

    private int learn(Calculator ref, double[] temps, Sigmas sigmas, LearningPolicy policy) throws Exception {
        Path modelFile = output.resolve("model.gap");
        Path trainingFile = output.resolve("training.xyz");
        Path trajectory = output.resolve("trajectory.xyz");
        Path log = output.resolve("learn.log");
        WorkerPool pool = WorkerPool.shared();
        Structure s;
        long firstStep;
        OnTheFlyLearner learner;
        try (Writer logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                resume ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            long[] offset = {0};
            double[] jumps = {0};
            Sigmas[] fitted = {sigmas};
            ConservedEnergy[] conserved = {null};
            DivergenceGuard[] guard = {null};
            LearnListener listener = new LearnListener() {
                @Override
                public void updated(LearnerEvent event, Structure labelled, GapModel m) {
                    if (!Double.isNaN(event.energyJump())) {
                        jumps[0] += event.energyJump();
                        if (resetReference && conserved[0] != null) {
                            conserved[0].rereference(event.energyJump());
                        }
                        if (guard[0] != null) {
                            guard[0].rereference(event.energyJump());
                        }
                    }
                    save(event, labelled, m, fitted[0], offset[0], trainingFile, modelFile, logWriter);
                }

                @Override
                public void reoptimised(Reoptimisation r) {
                    fitted[0] = r.newSigmas();
                    logReoptimisation(r, offset[0], logWriter);
                }
            };
            if (resume) {
                List<Structure> traj = ExtXyz.read(trajectory);
                if (traj.isEmpty()) {
                    throw new IllegalArgumentException(trajectory + ": no frames to resume from");
                }
                s = traj.getLast();
                Double step = s.infoReal("step");
                if (step == null) {
                    throw new IllegalArgumentException(trajectory + ": the last frame has no 'step'");
                }
                firstStep = step.longValue();
                offset[0] = firstStep;
                List<Structure> labelled = ExtXyz.read(trainingFile);
                fitted[0] = savedSigmas(modelFile, sigmas);
                List<TrainingFrame> frames = new ArrayList<>();
                for (Structure l : labelled) {
                    frames.add(LabelledFrames.trainingFrame(frames.size(), l, fitted[0]));
                }
                Double lastCall = labelled.getLast().infoReal("step");
                IncrementalGapFit fit = IncrementalGapFit.resume(GapModel.read(modelFile), frames, jitter,
                        pool.threads());
                learner = OnTheFlyLearner.resume(fit, ref, fitted[0], policy, listener, pool,
                        (lastCall == null ? 0 : lastCall.longValue()) - firstStep, frames.size());
            } else {
                Files.deleteIfExists(trainingFile);
                Files.deleteIfExists(trajectory);
                logWriter.write("# step  max_sigma_eV  atom  energy_error_eV  energy_jump_eV  reference_calls  "
                        + "sparse_points  frames  update_s\n");
                logWriter.flush();
                s = MdCommand.lastFrame(input);
                firstStep = 0;
                MaxwellBoltzmann.assign(s, temps[0], dynamics.seed, MaxwellBoltzmann.Scaling.EXACT);
                if (model != null) {
                    if (training == null) {
                        throw new IllegalArgumentException("--model needs --training, the frames it was fitted to");
                    }
                    List<TrainingFrame> frames = new ArrayList<>();
                    for (Structure l : ExtXyz.read(training)) {
                        frames.add(LabelledFrames.trainingFrame(frames.size(), l, sigmas));
                    }
                    learner = OnTheFlyLearner.resume(IncrementalGapFit.resume(GapModel.read(model), frames, jitter,
                            pool.threads()), ref, sigmas, policy, listener, pool, -minSteps, 0);
                } else {
                    if (descriptor == null) {
                        throw new IllegalArgumentException("give --descriptor (to learn from nothing) or --model");
                    }
                    DescriptorSpec spec = DescriptorString.parse(descriptor);
                    learner = OnTheFlyLearner.bootstrap(s, ref, spec, sigmas, jitter, policy, listener, pool);
                }
            }
            long remaining = Math.max(0, dynamics.steps - firstStep);
            double t0 = temps[0] + (temps[1] - temps[0])
                    * Math.min(1.0, (double) firstStep / Math.max(1, dynamics.steps));
            try (learner) {
                run(learner, s, t0, temps[1], remaining, firstStep, conserved, guard, jumps, trajectory);
            } catch (UnstableRunException e) {
                throw e.offsetBy(firstStep);
            }
        }
        return 0;
    }

    private void run(OnTheFlyLearner learner, Structure s, double t0, double t1, long remaining, long firstStep,
            ConservedEnergy[] conserved, DivergenceGuard[] guard, double[] jumps, Path trajectory) {
        MdSystem system = new MdSystem(s, learner);
        Integrator integrator = dynamics.integrator(system, dynamics.ensemble(DynamicsOptions.Ensemble.nvt), t0, t1,
                remaining);
        conserved[0] = new ConservedEnergy(integrator);
        guard[0] = new DivergenceGuard(integrator);
        ConservedEnergy energy = conserved[0];
        double startEnergy = energy.unshifted();
        List<MdObserver> observers = new ArrayList<>();
        observers.add(learner);
        MolecularDynamics.Outcome outcome;
        double seconds;
        double cpuSeconds;
        try (ThermoLog thermo = new ThermoLog(output.resolve("thermo.log"), thermoEvery,
                List.of(new ThermoLog.Column("conserved_eV", sys -> energy.value())), firstStep,
                firstStep * dynamics.timestep, resume);
             Progress progress = Progress.start("learn", remaining, "steps",
                    rate -> learner.referenceCalls() + " reference calls, " + learner.fit().sparseCount()
                            + " sparse points")) {
            observers.add(thermo);
            observers.add(trajectoryObserver(trajectory, firstStep, resume));
            observers.add(guard[0]);
            TimedDynamics run = TimedDynamics.run(integrator, observers, remaining, progress);
            outcome = run.outcome();
            seconds = run.seconds();
            cpuSeconds = run.cpuSeconds();
        }
        if (outcome.steps() % trajectoryEvery != 0) {
            appendFrame(trajectory, system, firstStep);
        }
        long n = Math.max(1, outcome.steps());
        int atoms = s.size();
        System.out.printf(Locale.ROOT, "learn: %d steps (to step %d) in %.1f s, %d reference calls, %d sparse "
                + "points, %d training frames%n", outcome.steps(), firstStep + outcome.steps(), seconds,
                learner.referenceCalls(), learner.fit().sparseCount(), learner.fit().frames().size());
        System.out.printf(Locale.ROOT, "loop time %.4f s: %.4g µs/atom-step; loop CPU time %.4f s (all threads of "
                + "the process): %.4g µs/atom-step (reference calls and updates included)%n", seconds,
                1e6 * seconds / (n * atoms), cpuSeconds, 1e6 * cpuSeconds / (n * atoms));
        if (driftExcludingJumps) {
            reportDrift(energy.unshifted() - startEnergy, integrator.heatAdded(), jumps[0], atoms,
                    outcome.steps() * dynamics.timestep);
        }
        System.out.println("wrote " + output.resolve("model.gap") + ", " + output.resolve("training.xyz") + ", "
                + trajectory + ", " + output.resolve("thermo.log") + ", " + output.resolve("learn.log"));
        if (learner.failure().isPresent()) {
            throw new IllegalStateException("the reference failed at step " + (firstStep + outcome.steps())
                    + "; everything learnt so far is saved in " + output + " (--resume carries on): "
                    + learner.failure().get().getMessage());
        }
    }

    /**
     * Prints the conserved-energy drift, the sum of the update jumps and their difference.
     *
     * @param drift conserved energy (total − thermostat heat) at the end − at the start of this run (eV)
     * @param heat the thermostat heat of this run, already taken out of {@code drift} (eV; 0 for NVE)
     * @param jumps sum of the energy jumps at this run's model updates (eV)
     * @param atoms number of atoms
     * @param femtoseconds simulated time of this run (fs)
     */
    private static void reportDrift(double drift, double heat, double jumps, int atoms, double femtoseconds) {
        double perAtomPs = femtoseconds > 0 ? 1e3 / atoms / (femtoseconds * 1e-3) : Double.NaN;
        System.out.printf(Locale.ROOT, "learn: total energy drift %.9g eV (%.4g meV/atom/ps; thermostat heat %.9g eV "
                + "taken out), sum of retraining jumps %.9g eV, drift excluding retraining jumps %.9g eV "
                + "(%.4g meV/atom/ps)%n", drift, drift * perAtomPs, heat, jumps, drift - jumps,
                (drift - jumps) * perAtomPs);
    }

    /** Writes a re-optimisation to learn.log as a '#' line (numpy.loadtxt skips it). */
    private static void logReoptimisation(Reoptimisation r, long offset, Writer log) {
        Sigmas a = r.oldSigmas();
        Sigmas b = r.newSigmas();
        try {
            log.write(String.format(Locale.ROOT, "# re-optimised at step %d: delta %s -> %s eV; default_sigma "
                    + "{%.6g %.6g %.6g %.6g} -> {%.6g %.6g %.6g %.6g}; log marginal likelihood %.9g -> %.9g "
                    + "(%d evaluations, %.3f s)%n", r.step() + offset, java.util.Arrays.toString(r.oldDelta()),
                    java.util.Arrays.toString(r.newDelta()), a.energy(), a.force(), a.virial(), a.hessian(),
                    b.energy(), b.force(), b.virial(), b.hessian(), r.oldLogLikelihood(), r.newLogLikelihood(),
                    r.evaluations(), r.seconds()));
            log.flush();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException("cannot write " + ex.getMessage(), ex);
        }
    }

    /** The σ a saved learning run's frames were fitted with: its re-optimised values, else {@code given}. */
    private static Sigmas savedSigmas(Path modelFile, Sigmas given) throws IOException {
        var provenance = GapModelFile.read(modelFile).provenance();
        String saved = provenance == null ? null : provenance.summary().get(SIGMA_KEY);
        return saved == null ? given : parseSigmas(saved, modelFile + ": " + SIGMA_KEY);
    }

    private void save(LearnerEvent e, Structure labelled, GapModel m, Sigmas fitted, long offset, Path trainingFile,
            Path modelFile, Writer log) {
        try {
            labelled.info().put("step", e.step() + offset);
            ExtXyz.appendFrame(trainingFile, labelled);
            Map<String, String> summary = Map.of("reference_calls", Integer.toString(e.referenceCalls()),
                    "sparse_points", Integer.toString(e.sparsePoints()), "frames", Integer.toString(e.frames()),
                    "log_marginal_likelihood", Double.toString(m.posterior().logMarginalLikelihood()),
                    SIGMA_KEY, String.format(Locale.ROOT, "%.17g %.17g %.17g %.17g", fitted.energy(),
                            fitted.force(), fitted.virial(), fitted.hessian()));
            GapModelFile.write(modelFile, m, new FitProvenance(Version.number(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    spec.commandLine().getParseResult().originalArgs(),
                    Map.of(trainingFile.toString(), "appended during learning"), summary));
            log.write(String.format(Locale.ROOT, "%d %.6g %d %.6g %.9g %d %d %d %.3f%n", e.step() + offset,
                    e.maxSigma(), e.atom(), e.energyError(), e.energyJump(), e.referenceCalls(), e.sparsePoints(),
                    e.frames(), e.seconds()));
            log.flush();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException("cannot save the learning state in " + output + ": "
                    + ex.getMessage(), ex);
        }
    }

    private MdObserver trajectoryObserver(Path trajectory, long offset, boolean resumed) {
        return new MdObserver() {
            @Override
            public int interval() {
                return trajectoryEvery;
            }

            @Override
            public Action observe(MdSystem sys) {
                if (!(resumed && sys.step() == 0)) {
                    appendFrame(trajectory, sys, offset);
                }
                return Action.CONTINUE;
            }
        };
    }

    private static void appendFrame(Path trajectory, MdSystem sys, long offset) {
        Structure frame = TrajectoryWriter.frame(sys);
        frame.info().put("step", sys.step() + offset);
        try {
            ExtXyz.appendFrame(trajectory, frame);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot append to " + trajectory + ": " + e.getMessage(), e);
        }
    }

    private Sigmas sigmas() {
        return parseSigmas(defaultSigma, "--default-sigma");
    }

    /** @param where the option or file field named in an error */
    private static Sigmas parseSigmas(String text, String where) {
        String[] f = text.replace("{", " ").replace("}", " ").strip().split("\\s+");
        if (f.length != 4) {
            throw new IllegalArgumentException(where + " needs 4 numbers \"E F V H\", got '" + text + "'");
        }
        try {
            return new Sigmas(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + text + "' is not 4 numbers");
        }
    }
}
