package org.soapstone.engine.learn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.NonFiniteResultException;
import org.soapstone.engine.fit.IncrementalGapFit;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.FitProvenance;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.gap.StoredModel;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.md.ConservedEnergy;
import org.soapstone.engine.md.DivergenceGuard;
import org.soapstone.engine.md.Integrator;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.ThermoLog;
import org.soapstone.engine.md.TrajectoryWriter;
import org.soapstone.engine.md.UnstableRunException;
import org.soapstone.engine.neighbour.AtomsTooCloseException;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.ObservationKind;
import org.soapstone.gp.PredictiveCalibration;

/**
 * An on-the-fly learning run and its directory: the {@link OnTheFlyLearner}, the MD system it drives, and the files
 * that let the run be followed and resumed (see {@link RunDirectory} for each file): training.xyz, model.gap,
 * learn.log, trajectory.xyz and thermo.log with the conserved energy.
 *
 * <p><b>Crash safety.</b> A model update is written in this order: learn.log's line, the frame appended to
 * training.xyz (the commit point), then model.gap. A run killed at any point can be resumed ({@link #open} with
 * {@code resume}) from its last trajectory frame (step, positions, velocities, conserved energy): learn.log is cut
 * back to the committed calls; if model.gap lacks frames of training.xyz (killed between the two), they are fitted
 * now (the sparse points that update would have added are not); thermo.log is cut back to the resumed step, which is
 * not written again, and its conserved energy continues from the value the trajectory frame holds; temporary files of
 * interrupted atomic writes are deleted. A directory without a trajectory frame (killed before the first step) holds
 * nothing to resume: the run starts afresh.
 *
 * <p>model.gap carries the model's error-bar calibration ({@link LearnerCalibration}), written with each update; a
 * resume reads it back (a model that lacked frames is calibrated anew if its frame count is due), and {@link #finish}
 * calibrates on all frames whatever the last update did.
 *
 * <p>The clock of the {@link #system()} is the run's: a resumed run's steps count on from its resumed step.
 */
public final class LearnRun implements AutoCloseable {
    private final LearnSettings settings;
    private final RunDirectory files;
    private final List<String> notes = new ArrayList<>();
    private final LearnListener listener = new Listener();
    /** Frames of training.xyz that came with the starting model (no reference call of this run). */
    private int startFrames;
    /** The σ the model's frames are fitted with (changed by re-optimisations). */
    private Sigmas fitted;
    /** Re-optimisation and calibration learn.log lines, written with the update that follows them. */
    private String pendingNotes = "";
    private OnTheFlyLearner learner;
    private MdSystem system;
    private Integrator integrator;
    private ConservedEnergy conserved;
    private DivergenceGuard guard;
    private ThermoLog thermo;
    private long firstStep;
    private boolean resumed;
    private double startEnergy;
    private double jumps;

    private LearnRun(LearnSettings settings, RunDirectory files) {
        this.settings = settings;
        this.files = files;
        this.fitted = settings.sigmas();
    }

    /**
     * Starts a run, or resumes the one in the directory.
     *
     * @param settings what the run does
     * @param reference the reference calculator
     * @param pool the workers of the model's evaluator and updates
     * @param start the starting structure with its velocities (Å, Å/fs), for a fresh run
     * @param origin the first model of a fresh run
     * @param resume carry on from the directory's files instead of starting afresh (a directory holding no
     *     trajectory frame starts afresh all the same, noted in {@link #notes()})
     * @param afterWrite told each file after every write to the run directory (e.g. to mirror it elsewhere)
     * @throws UnstableRunException at step 0 if the start's atoms overlap or its forces are not finite
     * @throws ReferenceFailedException if the reference cannot label the start of a run from nothing
     */
    public static LearnRun open(LearnSettings settings, Calculator reference, WorkerPool pool, Structure start,
            StartingModel origin, boolean resume, Consumer<Path> afterWrite) throws IOException {
        LearnRun run = new LearnRun(settings, new RunDirectory(settings.directory(), afterWrite));
        try {
            if (resume) {
                run.resume(reference, pool, start, origin);
            } else {
                run.start(reference, pool, start, origin);
            }
        } catch (AtomsTooCloseException | NonFiniteResultException e) {
            run.close();
            throw new UnstableRunException(run.system == null ? 0 : run.system.step(), e.getMessage(), e);
        } catch (IOException | RuntimeException | Error e) {
            run.close();
            throw e;
        }
        return run;
    }

    private void start(Calculator reference, WorkerPool pool, Structure s, StartingModel origin) throws IOException {
        files.clear();
        files.appendLog(RunDirectory.LOG_HEADER);
        LearningPolicy policy = settings.policy();
        switch (origin) {
            case StartingModel.Bootstrap b -> learner = OnTheFlyLearner.bootstrap(s, reference, b.descriptor(),
                    fitted, settings.jitter(), policy, listener, pool);
            case StartingModel.Given g -> {
                List<Structure> given = ExtXyz.read(g.training());
                IncrementalGapFit fit = IncrementalGapFit.resume(GapModel.read(g.model()), trainingFrames(given,
                        0, given.size()), settings.jitter(), pool.threads());
                startFrames = given.size();
                files.writeTraining(given);
                files.writeModel(fit.model(), provenance(fit.model(), fit.frames().size(), fit.sparseCount(), 0));
                learner = OnTheFlyLearner.resume(fit, reference, fitted, policy, listener, pool,
                        -policy.minStepsBetweenCalls(), 0);
            }
        }
        beginDynamics(s, 0, 0, Double.NaN);
    }

    private void resume(Calculator reference, WorkerPool pool, Structure s, StartingModel origin) throws IOException {
        files.removeTemporaries();
        Path trajectoryFile = files.file(RunDirectory.TRAJECTORY);
        List<Structure> trajectory = Files.exists(trajectoryFile) ? ExtXyz.read(trajectoryFile) : List.of();
        if (trajectory.isEmpty()) {
            notes.add(files.dir() + " holds no trajectory frame to resume from (the run stopped before its first "
                    + "step): starting afresh");
            start(reference, pool, s, origin);
            return;
        }
        Structure last = trajectory.getLast();
        Double step = last.infoReal("step");
        Double time = last.infoReal("time");
        if (step == null || time == null) {
            throw new IllegalArgumentException(trajectoryFile + ": the last frame has no 'step' and 'time'");
        }
        Path modelFile = files.file(RunDirectory.MODEL);
        StoredModel stored = GapModelFile.read(modelFile);
        Map<String, String> saved = stored.provenance() == null ? Map.of() : stored.provenance().summary();
        String sigma = saved.get(RunDirectory.SIGMA_KEY);
        fitted = sigma == null ? settings.sigmas() : Sigmas.parse(sigma, modelFile + ": " + RunDirectory.SIGMA_KEY);
        int held = savedCount(saved, RunDirectory.FRAMES_KEY, modelFile, -1);
        startFrames = savedCount(saved, RunDirectory.START_FRAMES_KEY, modelFile, 0);
        int calls = savedCount(saved, RunDirectory.CALLS_KEY, modelFile, held - startFrames);
        Path trainingFile = files.file(RunDirectory.TRAINING);
        List<Structure> labelled = ExtXyz.read(trainingFile);
        if (held < 0 || labelled.size() < held) {
            throw new IllegalArgumentException(modelFile + " holds " + (held < 0 ? "an unknown number of" : held)
                    + " frames but " + trainingFile + " has " + labelled.size()
                    + ": not the files of one learning run");
        }
        IncrementalGapFit fit = IncrementalGapFit.resume(stored.model(), trainingFrames(labelled, 0, held),
                settings.jitter(), pool.threads());
        if (labelled.size() > held) {
            fit.addFrames(trainingFrames(labelled, held, labelled.size()));
            if (LearnerCalibration.due(fit.frames().size())) {
                fit.setCalibration(LearnerCalibration.of(fit, fitted, pool.threads()));
            }
            calls += labelled.size() - held;
            notes.add(modelFile + " lacked the last " + (labelled.size() - held) + " frame(s) of " + trainingFile
                    + " (the run was stopped during an update): fitted them now");
            files.writeModel(fit.model(), provenance(fit.model(), fit.frames().size(), fit.sparseCount(), calls));
        }
        files.keepLogCalls(labelled.size() - startFrames);
        files.keepThermoUpTo(step.longValue());
        long lastCall = -settings.policy().minStepsBetweenCalls();
        for (Structure f : labelled.subList(startFrames, labelled.size())) {
            Double at = f.infoReal("step");
            lastCall = at == null ? lastCall : Math.max(lastCall, at.longValue());
        }
        learner = OnTheFlyLearner.resume(fit, reference, fitted, settings.policy(), listener, pool, lastCall, calls);
        resumed = true;
        beginDynamics(last, step.longValue(), time, last.infoReal(RunDirectory.CONSERVED_KEY) == null ? Double.NaN
                : last.infoReal(RunDirectory.CONSERVED_KEY));
        if (last.infoReal(RunDirectory.CONSERVED_KEY) == null) {
            notes.add(trajectoryFile + ": the last frame has no '" + RunDirectory.CONSERVED_KEY + "': thermo.log's "
                    + "conserved_eV restarts from the total energy");
        }
    }

    private static int savedCount(Map<String, String> saved, String key, Path file, int fallback) {
        String v = saved.get(key);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": provenance '" + key + "' is not a count: '" + v + "'");
        }
    }

    /** The training frames of labelled structures {@code [from, to)}, with the σ the model's frames have. */
    private List<TrainingFrame> trainingFrames(List<Structure> labelled, int from, int to) {
        List<TrainingFrame> frames = new ArrayList<>();
        for (int i = from; i < to; i++) {
            frames.add(LabelledFrames.trainingFrame(i, labelled.get(i), fitted));
        }
        return frames;
    }

    /**
     * Builds the MD system at {@code step} (its clock set there), the integrator, the conserved energy (shifted to
     * {@code conservedAt} unless NaN), the guard and the logs.
     */
    private void beginDynamics(Structure s, long step, double time, double conservedAt) {
        system = new MdSystem(s, learner);
        system.resumeAt(step, time);
        firstStep = step;
        integrator = settings.integrator().apply(system);
        conserved = new ConservedEnergy(integrator);
        startEnergy = conserved.unshifted();
        if (!Double.isNaN(conservedAt)) {
            conserved.rereference(conserved.value() - conservedAt);
        }
        guard = new DivergenceGuard(integrator);
        ConservedEnergy energy = conserved;
        thermo = new ThermoLog(files.file(RunDirectory.THERMO), settings.thermoEvery(),
                List.of(new ThermoLog.Column("conserved_eV", sys -> energy.value())), 0, 0, resumed);
        if (!resumed) {
            files.wroteThermo();
        }
    }

    /** @return what a user should know about the start (a resume that fitted frames, a fresh start instead) */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** @return the MD state the run advances (its step counts from the run's start) */
    public MdSystem system() {
        return system;
    }

    /** @return the run's integrator */
    public Integrator integrator() {
        return integrator;
    }

    /** @return the learner (the system's calculator) */
    public OnTheFlyLearner learner() {
        return learner;
    }

    /** @return the step the run starts (or resumes) from */
    public long firstStep() {
        return firstStep;
    }

    /** @return the steps left to {@link LearnSettings#steps()} */
    public long remainingSteps() {
        return Math.max(0, settings.steps() - firstStep);
    }

    /**
     * The observers to run the dynamics with, in order: the learner, thermo.log, trajectory.xyz and the
     * {@link DivergenceGuard}. A resumed run writes neither log nor frame at its first step: they are there.
     */
    public List<MdObserver> observers() {
        return List.of(learner, afterFirstStep(settings.thermoEvery(), sys -> {
            thermo.observe(sys);
            files.wroteThermo();
        }), afterFirstStep(settings.trajectoryEvery(), sys -> files.appendTrajectory(frame(sys))), guard);
    }

    private MdObserver afterFirstStep(int interval, Consumer<MdSystem> write) {
        return new Writes(interval, resumed ? firstStep : -1, write);
    }

    /** An observer that writes every {@code interval} steps, except at step {@code skip}. */
    private record Writes(int interval, long skip, Consumer<MdSystem> write) implements MdObserver {
        @Override
        public Action observe(MdSystem sys) {
            if (sys.step() != skip) {
                write.accept(sys);
            }
            return Action.CONTINUE;
        }
    }

    /** @return a trajectory frame of the state, with the conserved energy (eV) to resume it from */
    private Structure frame(MdSystem sys) {
        Structure frame = TrajectoryWriter.frame(sys);
        frame.info().put(RunDirectory.CONSERVED_KEY, conserved.value());
        return frame;
    }

    /**
     * Ends the run after the dynamics: writes the last state to trajectory.xyz (if not on a trajectory step), so
     * that a longer run resumes from it, and calibrates the model's error bars on all its frames if the last update
     * did not ({@link OnTheFlyLearner#calibrateAtEnd}), rewriting model.gap.
     */
    public void finish() {
        if (system.step() % settings.trajectoryEvery() != 0 && system.step() > firstStep) {
            files.appendTrajectory(frame(system));
        }
        if (learner.calibrateAtEnd()) {
            IncrementalGapFit fit = learner.fit();
            files.writeModel(learner.model(), provenance(learner.model(), fit.frames().size(), fit.sparseCount(),
                    learner.referenceCalls()));
        }
    }

    /** @return why the run stopped early, if the reference failed */
    public Optional<ReferenceFailedException> failure() {
        return learner.failure();
    }

    /**
     * The energy bookkeeping of this run (since {@link #firstStep()}).
     *
     * @param drift conserved energy (total − thermostat heat, without re-referencing) at the end − at the start (eV)
     * @param heat the thermostat heat, already taken out of {@code drift} (eV; 0 for NVE)
     * @param jumps the sum of the energy jumps at this run's model updates (eV)
     * @param atoms the number of atoms
     * @param femtoseconds simulated time (fs)
     */
    public record Drift(double drift, double heat, double jumps, int atoms, double femtoseconds) {}

    /** @return the energy bookkeeping of this run so far */
    public Drift drift() {
        return new Drift(conserved.unshifted() - startEnergy, integrator.heatAdded(), jumps,
                system.structure().size(), (system.step() - firstStep) * integrator.timestep());
    }

    /** Closes thermo.log. */
    @Override
    public void close() {
        if (thermo != null) {
            thermo.close();
        }
    }

    /** The model's provenance: the run's command line, its counts and the σ of its frames. */
    private FitProvenance provenance(GapModel model, int frames, int sparsePoints, int calls) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put(RunDirectory.CALLS_KEY, Integer.toString(calls));
        summary.put("sparse_points", Integer.toString(sparsePoints));
        summary.put(RunDirectory.FRAMES_KEY, Integer.toString(frames));
        summary.put(RunDirectory.START_FRAMES_KEY, Integer.toString(startFrames));
        summary.put("log_marginal_likelihood", Double.toString(model.posterior().logMarginalLikelihood()));
        summary.put(RunDirectory.SIGMA_KEY, fitted.text());
        return new FitProvenance(settings.version(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                settings.commandLine(), Map.of(files.file(RunDirectory.TRAINING).toString(),
                        "appended during learning"), summary);
    }

    /** Saves every update in the crash-safe order, and keeps the energy bookkeeping. */
    private final class Listener implements LearnListener {
        @Override
        public void updated(LearnerEvent e, Structure labelled, GapModel model) {
            if (!Double.isNaN(e.energyJump())) {
                jumps += e.energyJump();
                guard.rereference(e.energyJump());
                if (settings.resetReferenceAfterUpdate()) {
                    conserved.rereference(e.energyJump());
                }
            }
            files.appendLog(pendingNotes + String.format(Locale.ROOT, "%d %.6g %d %.6g %.9g %d %d %d %.3f%n",
                    e.step(), e.maxSigma(), e.atom(), e.energyError(), e.energyJump(), e.referenceCalls(),
                    e.sparsePoints(), e.frames(), e.seconds()));
            pendingNotes = "";
            labelled.info().put("step", e.step());
            files.appendTraining(labelled);
            files.writeModel(model, provenance(model, e.frames(), e.sparsePoints(), e.referenceCalls()));
        }

        @Override
        public void reoptimised(Reoptimisation r) {
            fitted = r.newSigmas();
            Sigmas a = r.oldSigmas();
            Sigmas b = r.newSigmas();
            pendingNotes += String.format(Locale.ROOT, "# re-optimised at step %d: delta %s -> %s eV; "
                    + "default_sigma {%.6g %.6g %.6g %.6g} -> {%.6g %.6g %.6g %.6g}; log marginal likelihood %.9g -> "
                    + "%.9g (%d evaluations, %.3f s)%n", r.step(), Arrays.toString(r.oldDelta()),
                    Arrays.toString(r.newDelta()), a.energy(), a.force(), a.virial(), a.hessian(), b.energy(),
                    b.force(), b.virial(), b.hessian(), r.oldLogLikelihood(), r.newLogLikelihood(), r.evaluations(),
                    r.seconds());
        }

        @Override
        public void calibrated(SigmaCalibration c, int frames) {
            pendingNotes += "# " + calibrationLine(c, frames) + System.lineSeparator();
        }
    }

    /**
     * @param c a calibration cross-validated on the learner's frames
     * @param frames the frames it was fitted on
     * @return one line: the force and energy scales and their figures on the held-out folds
     */
    public static String calibrationLine(SigmaCalibration c, int frames) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "calibrated on %d frames (%d-fold "
                + "cross-validation, figures on the held-out folds):", frames, c.folds()));
        for (ObservationKind kind : List.of(ObservationKind.FORCE, ObservationKind.ENERGY)) {
            PredictiveCalibration.Figures f = c.figures().getOrDefault(kind, Map.of()).get(SigmaCalibration.ALL);
            if (f != null) {
                PredictiveCalibration.Scale s = c.scale(kind, null);
                line.append(String.format(Locale.ROOT, " %s s_w %.3g s_n %.3g, within 1σ/2σ %.1f/%.1f %%, rms z %.3g;",
                        kind.name().toLowerCase(Locale.ROOT), s.weight(), s.noise(), 100 * f.within1(),
                        100 * f.within2(), f.rmsZ()));
            }
        }
        line.setLength(line.length() - 1);
        return line.toString();
    }
}
