package org.soapstone.engine.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.FitParameters;
import org.soapstone.engine.descriptor.SoapParameters;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.IncrementalGapFit;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.fit.SparsePointChooser;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.DependentSparsePointsException;
import org.soapstone.gp.DotProductKernel;
import org.soapstone.gp.Kernel;

/**
 * On-the-fly learning as an MD hook (Vandermause et al., npj Comput. Mater. 6, 20 (2020)): the learner is both the
 * {@link Calculator} the integrator calls (it evaluates the current GAP through a {@link FastGapCalculator}) and an
 * {@link MdObserver}. On a check step (every {@link LearningPolicy#checkEvery()} steps, once at least
 * {@link LearningPolicy#minStepsBetweenCalls()} steps have passed since the last call) the force call also gives
 * every atom's local-energy standard deviation σ_i = √(posterior variance) (eV), in the same descriptor pass; other
 * steps skip the σ; with a {@link LearningPolicy#forceTolerance()} a check step gives each atom's exact force σ too
 * (eV/Å). When the largest σ exceeds {@link LearningPolicy#stdTolerance()}, or the largest force σ the force
 * tolerance, the learner calls the
 * reference on the current positions, adds the frame (energy, forces, virial with the fit's σ) by a QR update, adds
 * the environments of the most uncertain atoms as sparse points by a bordered update ({@link IncrementalGapFit}),
 * every {@link LearningPolicy#reoptimiseEvery()} calls re-optimises δ and the σ per observation kind on all frames
 * ({@link Reoptimisation}), rebuilds the evaluator for the new model, recomputes the forces at the same positions and
 * lets the integrator carry on. The energy jump of the update is reported in the {@link LearnerEvent}.
 *
 * <p>A failing reference ({@link ReferenceFailedException}) stops the run cleanly: {@link #failure()} says why, and
 * everything learnt before is intact. SOAP terms grow (one per centre species with {@code add_species}: an uncertain
 * atom's environment goes to its species' term); pair terms keep the sparse points they started with.
 */
public final class OnTheFlyLearner implements Calculator, MdObserver {
    /** Cap on likelihood evaluations of one re-optimisation (as {@code soapstone fit --optimise}'s default). */
    private static final int REOPTIMISE_EVALUATIONS = 200;

    private final Calculator reference;
    private final LearningPolicy policy;
    private final LearnListener listener;
    private final WorkerPool pool;
    private final EvaluatorOptions evaluatorOptions;
    private final Set<Property> referenceProperties;
    private IncrementalGapFit fit;
    private Sigmas sigmas;
    private GapModel current;
    /** Built for the current model at its first force call; null until then. */
    private FastGapCalculator evaluator;
    /** Whether the next force call computes σ (the step it serves is a check step). */
    private boolean deviationsNext = true;
    /** Whether the last force call computed σ. */
    private boolean deviationsComputed;
    private long lastCall;
    /** The frame count of this learner's last calibration; -1 if none yet. */
    private int calibratedFrames = -1;
    private int calls;
    private ReferenceFailedException failure;

    private OnTheFlyLearner(IncrementalGapFit fit, Calculator reference, Sigmas sigmas, LearningPolicy policy,
            LearnListener listener, WorkerPool pool, long lastCall, int calls) {
        if (fit.terms().stream().noneMatch(OnTheFlyLearner::grows)) {
            throw new IllegalArgumentException("on-the-fly learning grows SOAP terms (one sparse point per atomic "
                    + "environment); this model has none");
        }
        if (!(sigmas.energy() > 0) || !(sigmas.force() > 0)) {
            throw new IllegalArgumentException("the energy and force σ must be positive, got " + sigmas);
        }
        this.fit = fit;
        this.evaluatorOptions = EvaluatorOptions.withVariance();
        this.reference = reference;
        this.sigmas = sigmas;
        this.policy = policy;
        this.listener = listener;
        this.pool = pool;
        this.lastCall = lastCall;
        this.calls = calls;
        this.referenceProperties = EnumSet.of(Property.ENERGY, Property.FORCES);
        if (reference.implementedProperties().contains(Property.STRESS) && sigmas.virial() > 0) {
            referenceProperties.add(Property.STRESS);
        }
        this.current = fit.model();
    }

    /**
     * Starts from nothing: the reference labels {@code start}, whose first {@code n_sparse} distinct environments
     * (in atom order) are the first sparse points, and
     * e0 is the frame's energy per atom (gap_fit's {@code e0_method=average} on one frame).
     *
     * @param spec the descriptor string (with delta, zeta, covariance_type, n_sparse, …); expanded with
     *     add_species for the start's species
     * @param jitter {@code sparse_jitter} (eV²)
     * @throws ReferenceFailedException if the reference cannot label the start
     */
    public static OnTheFlyLearner bootstrap(Structure start, Calculator reference, DescriptorSpec spec, Sigmas sigmas,
            double jitter, LearningPolicy policy, LearnListener listener, WorkerPool pool) {
        Set<Property> request = EnumSet.of(Property.ENERGY, Property.FORCES);
        if (reference.implementedProperties().contains(Property.STRESS) && sigmas.virial() > 0
                && start.cell().hasVolume()) {
            request.add(Property.STRESS);
        }
        CalculationResults r = new CalculationResults();
        reference.calculate(start, request, r);
        long t0 = System.nanoTime();
        Structure labelled = LabelledFrames.labelled(start, r, 0);
        TrainingFrame frame = LabelledFrames.trainingFrame(0, labelled, sigmas);
        int[] species = Arrays.stream(start.numbers()).distinct().toArray();
        double[] e0 = new double[119];
        for (int z : species) {
            e0[z] = r.energy / start.size();
        }
        List<GapTerm> terms = new ArrayList<>();
        for (DescriptorSpec one : spec.addSpecies(species)) {
            terms.add(firstTerm(one, start, terms.size()));
        }
        IncrementalGapFit fit = IncrementalGapFit.fit("LEARN", e0, terms, List.of(frame), jitter, pool.threads());
        fit.setCalibration(LearnerCalibration.uncalibrated(sigmas));
        OnTheFlyLearner learner = new OnTheFlyLearner(fit, reference, sigmas, policy, listener, pool, 0, 1);
        listener.updated(new LearnerEvent(0, Double.NaN, -1, Double.NaN, Double.NaN, 1, fit.sparseCount(), 1,
                (System.nanoTime() - t0) * 1e-9), labelled, learner.current);
        return learner;
    }

    /**
     * The bootstrap term: up to {@code n_sparse} distinct environments of the start, in atom order (a perfect
     * crystal gives one; CUR cannot rank environments that are all alike).
     */
    private static GapTerm firstTerm(DescriptorSpec spec, Structure start, int index) {
        FitParameters p = spec.fit();
        CovarianceType type = p.covarianceType().orElseThrow(() -> new IllegalArgumentException(
                "the descriptor needs covariance_type=dot_product"));
        if (type != CovarianceType.DOT_PRODUCT || p.zeta().isEmpty() || p.delta().isEmpty()) {
            throw new IllegalArgumentException("learning from nothing needs covariance_type=dot_product with zeta and "
                    + "delta in the descriptor string, got '" + spec.text() + "'");
        }
        double delta = p.delta().getAsDouble();
        double zeta = p.zeta().getAsDouble();
        Descriptor descriptor = spec.create();
        DescriptorOutput out = descriptor.newOutput();
        descriptor.compute(start, NeighbourList.build(start, descriptor.cutoff(), true), false, out);
        int d = out.dimension();
        int[] order = new int[out.count()];
        Arrays.setAll(order, i -> i);
        int wanted = Math.max(1, p.nSparse());
        double[] x = new double[wanted * d];
        double[] c = new double[wanted];
        int taken = SparsePointChooser.distinct(new DotProductKernel(delta, zeta), out, order, new double[0], x, c);
        if (taken == 0) {
            throw new IllegalArgumentException("the start structure has no environment for '" + spec.text() + "'");
        }
        return new GapTerm("LEARN_" + index, spec, type, delta, 0.0, zeta, new double[0],
                Arrays.copyOf(x, taken * d), new double[taken], Arrays.copyOf(c, taken));
    }

    /**
     * Carries on from a fit (e.g. a saved model and its training frames).
     *
     * @param lastCall the MD step of the last reference call
     * @param calls reference calls made so far
     */
    public static OnTheFlyLearner resume(IncrementalGapFit fit, Calculator reference, Sigmas sigmas,
            LearningPolicy policy, LearnListener listener, WorkerPool pool, long lastCall, int calls) {
        return new OnTheFlyLearner(fit, reference, sigmas, policy, listener, pool, lastCall, calls);
    }

    @Override
    public Set<Property> implementedProperties() {
        return EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS, Property.ENERGIES);
    }

    /**
     * Evaluates the current model (eV, eV/Å, eV/Å³; STRESS only for a cell with a volume), with the per-atom σ in the
     * same pass if the step this call serves is a check step.
     */
    @Override
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        if (evaluator == null) {
            evaluator = new FastGapCalculator(current, structure, pool, evaluatorOptions);
        }
        evaluator.calculate(structure, requested, results, deviationsNext,
                deviationsNext && policy.forceTolerance() > 0 && requested.contains(Property.FORCES)
                        ? FastGapCalculator.ForceSigma.EXACT : FastGapCalculator.ForceSigma.NONE);
        deviationsComputed = deviationsNext;
    }

    /** @return 1: the learner decides on every step whether the next force call computes σ */
    @Override
    public int interval() {
        return 1;
    }

    @Override
    public Action observe(MdSystem system) {
        long step = system.step();
        boolean checked = deviationsComputed;
        deviationsNext = isCheckStep(step + 1);
        if (!checked || step - lastCall < policy.minStepsBetweenCalls() || !uncertain()) {
            return Action.CONTINUE;
        }
        try {
            learn(system, evaluator.maxDeviationAtom(), evaluator.maxDeviation());
        } catch (ReferenceFailedException e) {
            failure = e;
            return Action.STOP;
        } finally {
            deviationsNext = isCheckStep(step + 1);
        }
        return Action.CONTINUE;
    }

    /**
     * @return whether the check step just computed is over a tolerance; with a force tolerance, also whether the
     *     model has no cross-validated calibration yet (its force σ would say nothing about force errors: the
     *     weight-space σ of a model learnt from one frame is far below its errors), so that the learner labels the
     *     frames a calibration needs, one every {@link LearningPolicy#minStepsBetweenCalls()} steps
     */
    private boolean uncertain() {
        if (evaluator.maxDeviation() > policy.stdTolerance()) {
            return true;
        }
        if (policy.forceTolerance() == 0) {
            return false;
        }
        SigmaCalibration c = current.calibration();
        if (c == null || c.method() == SigmaCalibration.Method.NONE) {
            return true;
        }
        return evaluator.lastForceSigma() == FastGapCalculator.ForceSigma.EXACT
                && evaluator.maxForceDeviation() > policy.forceTolerance();
    }

    /** @return whether the force call of MD step {@code step} gives σ: a multiple of the check interval, far enough */
    private boolean isCheckStep(long step) {
        return step % policy.checkEvery() == 0 && step - lastCall >= policy.minStepsBetweenCalls();
    }

    private void learn(MdSystem system, int worst, double maxSigma) {
        Structure s = system.structure();
        double[] sd = new double[s.size()];
        evaluator.deviations(sd);
        CalculationResults r = new CalculationResults();
        Set<Property> request = EnumSet.copyOf(referenceProperties);
        if (!s.cell().hasVolume()) {
            request.remove(Property.STRESS);
        }
        reference.calculate(s, request, r);
        long t0 = System.nanoTime();
        calls++;
        lastCall = system.step();
        double before = system.results().energy;
        Structure labelled = LabelledFrames.labelled(s, r, system.step());
        TrainingFrame frame = LabelledFrames.trainingFrame(fit.frames().size(), labelled, sigmas);
        int room = Math.min(policy.pointsPerCall(), policy.maxSparsePoints() - fit.sparseCount());
        if (room > 0) {
            addSparsePoints(s, sd, room);
        }
        fit.addFrames(List.of(frame));
        boolean reoptimised = policy.reoptimiseEvery() > 0 && calls % policy.reoptimiseEvery() == 0;
        if (reoptimised) {
            reoptimise(system.step());
        }
        if (reoptimised || LearnerCalibration.due(fit.frames().size())) {
            calibrate();
        }
        setModel(fit.model());
        deviationsNext = false;
        system.computeForces();
        double after = system.results().energy;
        listener.updated(new LearnerEvent(system.step(), maxSigma, worst, before - r.energy, after - before, calls,
                fit.sparseCount(), fit.frames().size(), (System.nanoTime() - t0) * 1e-9), labelled, current);
    }

    /**
     * Calibrates the error bars of the current fit on its frames ({@link LearnerCalibration#of}: uncalibrated below
     * {@link LearnerCalibration#MIN_FRAMES} frames) and tells the listener; the current model carries it from the next
     * {@link #model()}.
     */
    private void calibrate() {
        SigmaCalibration c = LearnerCalibration.of(fit, sigmas, pool.threads());
        fit.setCalibration(c);
        calibratedFrames = fit.frames().size();
        if (c.method() != SigmaCalibration.Method.NONE) {
            listener.calibrated(c, fit.frames().size());
        }
    }

    /**
     * Brings the calibration up to date at the end of a run: if the model has enough frames and was not calibrated on
     * all of them by this learner (the last update's frame count was not {@link LearnerCalibration#due}, or the run
     * was resumed, or started from a given model), calibrates now.
     *
     * @return whether the model changed (its calibration)
     */
    public boolean calibrateAtEnd() {
        int n = fit.frames().size();
        if (n < LearnerCalibration.MIN_FRAMES || calibratedFrames == n) {
            return false;
        }
        calibrate();
        setModel(fit.model());
        return true;
    }

    /** Makes {@code model} the current one; its evaluator is built at the next force call. */
    private void setModel(GapModel model) {
        current = model;
        evaluator = null;
    }

    /**
     * Re-optimises δ and the σ of each observation kind on every frame seen ({@link SparseGpSolve#fitOptimised}) and
     * carries the incremental fit on from the optimum, the frames relabelled with the new σ.
     */
    private void reoptimise(long step) {
        long t0 = System.nanoTime();
        List<GapTerm> terms = fit.terms();
        double[] oldDelta = terms.stream().mapToDouble(GapTerm::delta).toArray();
        SparseGpSolve.Optimised o = SparseGpSolve.fitOptimised(current.label(), fit.e0(), terms, fit.frames(),
                fit.jitter(), pool.threads(), FitListener.NONE, REOPTIMISE_EVALUATIONS);
        double[] t = o.sigmaFactor();
        Sigmas old = sigmas;
        sigmas = new Sigmas(old.energy() * t[0], old.force() * t[1], old.virial() * t[2], old.hessian());
        List<TrainingFrame> relabelled = new java.util.ArrayList<>();
        for (TrainingFrame f : fit.frames()) {
            relabelled.add(LabelledFrames.trainingFrame(relabelled.size(), f.structure(), sigmas));
        }
        fit = IncrementalGapFit.resume(o.model().withBaseline(fit.baseline()), relabelled, fit.jitter(),
                pool.threads());
        listener.reoptimised(new Reoptimisation(step, oldDelta, o.delta(), old, sigmas, o.startLogLikelihood(),
                o.logLikelihood(),
                o.evaluations(), (System.nanoTime() - t0) * 1e-9));
    }

    /** @return whether the learner adds sparse points to this term (SOAP: one environment per centre atom) */
    private static boolean grows(GapTerm term) {
        return term.descriptor().descriptor() instanceof SoapParameters;
    }

    /**
     * Adds the environments of up to {@code room} most uncertain atoms, each to the SOAP term of its species,
     * skipping duplicates of ones taken. Other terms (pair terms) keep the sparse points they started with.
     */
    private void addSparsePoints(Structure s, double[] sigma, int room) {
        List<GapTerm> terms = fit.terms();
        DescriptorOutput[] outs = new DescriptorOutput[terms.size()];
        int[] termOf = new int[s.size()];
        Arrays.fill(termOf, -1);
        for (int t = 0; t < terms.size(); t++) {
            if (grows(terms.get(t))) {
                Descriptor descriptor = terms.get(t).descriptor().create();
                outs[t] = descriptor.newOutput();
                descriptor.compute(s, NeighbourList.build(s, descriptor.cutoff(), true), false, outs[t]);
                for (int i = 0; i < outs[t].count(); i++) {
                    termOf[outs[t].centre(i)] = t;
                }
            }
        }
        int[] byUncertainty = IntStream.range(0, s.size()).boxed()
                .sorted((a, b) -> Double.compare(sigma[b], sigma[a])).mapToInt(Integer::intValue).toArray();
        int[] share = new int[terms.size()];
        for (int k = 0, taken = 0; k < byUncertainty.length && taken < room; k++) {
            int t = termOf[byUncertainty[k]];
            if (t >= 0) {
                share[t]++;
                taken++;
            }
        }
        for (int t = 0; t < terms.size(); t++) {
            if (share[t] > 0) {
                addSparsePoints(t, outs[t], sigma, share[t]);
            }
        }
    }

    /** Adds up to {@code room} distinct environments of term {@code t}, the most uncertain first. */
    private void addSparsePoints(int t, DescriptorOutput out, double[] sigma, int room) {
        int d = out.dimension();
        Kernel kernel = GapKernelRows.kernel(fit.terms().get(t));
        int[] order = IntStream.range(0, out.count()).boxed()
                .sorted((a, b) -> Double.compare(sigma[out.centre(b)], sigma[out.centre(a)]))
                .mapToInt(Integer::intValue).toArray();
        double[] x = new double[room * d];
        double[] c = new double[room];
        int taken = SparsePointChooser.distinct(kernel, out, order, fit.terms().get(t).sparseX(), x, c);
        // a point the border finds dependent on the sparse set adds nothing; try the most uncertain one alone
        for (int n = taken; n > 0; n = n > 1 ? 1 : 0) {
            try {
                fit.addSparsePoints(t, Arrays.copyOf(x, n * d), Arrays.copyOf(c, n));
                return;
            } catch (DependentSparsePointsException e) {
                // fall through to fewer points
            }
        }
    }

    /** @return why the run stopped, if the reference failed */
    public Optional<ReferenceFailedException> failure() {
        return Optional.ofNullable(failure);
    }

    /** @return the current model, with its posterior */
    public GapModel model() {
        return current;
    }

    /** @return the σ new frames are fitted with (changed by a re-optimisation) */
    public Sigmas sigmas() {
        return sigmas;
    }

    /** @return the incremental fit (frames and factors) */
    public IncrementalGapFit fit() {
        return fit;
    }

    /** @return the frame count of the current model's last calibration by this learner; -1 if none */
    public int calibratedFrames() {
        return calibratedFrames;
    }

    /** @return reference calls so far (the bootstrap included) */
    public int referenceCalls() {
        return calls;
    }
}
