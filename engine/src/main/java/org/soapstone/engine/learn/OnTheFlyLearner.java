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
import org.soapstone.engine.fit.IncrementalGapFit;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.GapCalculator;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.PredictiveVariance;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.DotProductKernel;
import org.soapstone.gp.Kernel;

/**
 * On-the-fly learning as an MD hook (Vandermause et al., npj Comput. Mater. 6, 20 (2020)): the learner is both the
 * {@link Calculator} the integrator calls (it delegates to the current GAP) and an {@link MdObserver}. After each
 * step's forces it computes every atom's local-energy standard deviation σ_i = √(posterior variance) (eV); when the
 * largest exceeds {@link LearningPolicy#stdTolerance()} and at least {@link LearningPolicy#minStepsBetweenCalls()}
 * steps have passed since the last call, it calls the reference on the current positions, adds the frame (energy,
 * forces, virial with the fit's σ) by a QR update, adds the environments of the most uncertain atoms as sparse
 * points by a bordered update ({@link IncrementalGapFit}), recomputes the forces with the new model at the same
 * positions and lets the integrator carry on. The energy jump of the update is reported in the
 * {@link LearnerEvent}.
 *
 * <p>A failing reference ({@link ReferenceFailedException}) stops the run cleanly: {@link #failure()} says why, and
 * everything learnt before is intact. SOAP terms grow (one per centre species with {@code add_species}: an uncertain
 * atom's environment goes to its species' term); pair terms keep the sparse points they started with. The σ check
 * costs one descriptor evaluation (no gradients) and a triangular solve per atom each step it runs; the native
 * evaluator (issue 7) will give σ with the forces.
 */
public final class OnTheFlyLearner implements Calculator, PredictiveVariance, MdObserver {
    /** Two environments whose normalised kernel exceeds this are the same sparse point. */
    private static final double SAME_ENVIRONMENT = 1 - 1e-8;

    private final IncrementalGapFit fit;
    private final Calculator reference;
    private final Sigmas sigmas;
    private final LearningPolicy policy;
    private final LearnListener listener;
    private final WorkerPool pool;
    private final Set<Property> referenceProperties;
    private GapCalculator current;
    private long lastCall;
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
        this.current = new GapCalculator(fit.model(), pool);
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
        OnTheFlyLearner learner = new OnTheFlyLearner(fit, reference, sigmas, policy, listener, pool, 0, 1);
        listener.updated(new LearnerEvent(0, Double.NaN, -1, Double.NaN, Double.NaN, 1, fit.sparseCount(), 1,
                (System.nanoTime() - t0) * 1e-9), labelled, learner.current.model());
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
        int taken = distinct(new DotProductKernel(delta, zeta), out, order, x, c);
        if (taken == 0) {
            throw new IllegalArgumentException("the start structure has no environment for '" + spec.text() + "'");
        }
        return new GapTerm("LEARN_" + index, spec, type, delta, 0.0, zeta, new double[0],
                Arrays.copyOf(x, taken * d), new double[taken], Arrays.copyOf(c, taken));
    }

    /**
     * Copies instances of {@code out} in the given order into {@code x} (row-major) and their cutoff weights into
     * {@code c}, skipping any whose normalised kernel with one already taken exceeds {@link #SAME_ENVIRONMENT},
     * until {@code c.length} are taken.
     *
     * @return how many were taken
     */
    private static int distinct(Kernel kernel, DescriptorOutput out, int[] order, double[] x, double[] c) {
        int d = out.dimension();
        double[] v = out.values();
        int taken = 0;
        for (int k = 0; k < order.length && taken < c.length; k++) {
            int i = order[k];
            if (!(out.cutoffWeight(i) > 0)) {
                continue;
            }
            boolean same = false;
            double kii = kernel.value(v, i * d, v, i * d, d);
            for (int j = 0; j < taken && !same; j++) {
                double kij = kernel.value(v, i * d, x, j * d, d);
                double kjj = kernel.value(x, j * d, x, j * d, d);
                same = kij / Math.sqrt(kii * kjj) > SAME_ENVIRONMENT;
            }
            if (!same) {
                System.arraycopy(v, i * d, x, taken * d, d);
                c[taken++] = out.cutoffWeight(i);
            }
        }
        return taken;
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
        return current.implementedProperties();
    }

    /** Evaluates the current model (eV, eV/Å, eV/Å³). */
    @Override
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        current.calculate(structure, requested, results);
    }

    @Override
    public double[] localVariance(Structure structure) {
        return current.localVariance(structure);
    }

    @Override
    public boolean hasPosterior() {
        return true;
    }

    @Override
    public double energyVariance(Structure structure) {
        return current.energyVariance(structure);
    }

    @Override
    public double[] forceVariance(Structure structure) {
        return current.forceVariance(structure);
    }

    /** @return the policy's steps between σ checks */
    @Override
    public int interval() {
        return policy.checkEvery();
    }

    @Override
    public Action observe(MdSystem system) {
        if (system.step() - lastCall < policy.minStepsBetweenCalls()) {
            return Action.CONTINUE;
        }
        Structure s = system.structure();
        double[] var = current.localVariance(s);
        int worst = 0;
        for (int i = 1; i < var.length; i++) {
            if (var[i] > var[worst]) {
                worst = i;
            }
        }
        double maxSigma = Math.sqrt(Math.max(0, var[worst]));
        if (maxSigma <= policy.stdTolerance()) {
            return Action.CONTINUE;
        }
        try {
            learn(system, var, worst, maxSigma);
        } catch (ReferenceFailedException e) {
            failure = e;
            return Action.STOP;
        }
        return Action.CONTINUE;
    }

    private void learn(MdSystem system, double[] var, int worst, double maxSigma) {
        Structure s = system.structure();
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
            addSparsePoints(s, var, room);
        }
        fit.addFrames(List.of(frame));
        current = new GapCalculator(fit.model(), pool);
        system.computeForces();
        double after = system.results().energy;
        listener.updated(new LearnerEvent(system.step(), maxSigma, worst, before - r.energy, after - before, calls,
                fit.sparseCount(), fit.frames().size(), (System.nanoTime() - t0) * 1e-9), labelled,
                current.model());
    }

    /** @return whether the learner adds sparse points to this term (SOAP: one environment per centre atom) */
    private static boolean grows(GapTerm term) {
        return term.descriptor().descriptor() instanceof SoapParameters;
    }

    /**
     * Adds the environments of up to {@code room} most uncertain atoms, each to the SOAP term of its species,
     * skipping duplicates of ones taken. Other terms (pair terms) keep the sparse points they started with.
     */
    private void addSparsePoints(Structure s, double[] var, int room) {
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
                .sorted((a, b) -> Double.compare(var[b], var[a])).mapToInt(Integer::intValue).toArray();
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
                addSparsePoints(t, outs[t], var, share[t]);
            }
        }
    }

    /** Adds up to {@code room} distinct environments of term {@code t}, the most uncertain first. */
    private void addSparsePoints(int t, DescriptorOutput out, double[] var, int room) {
        int d = out.dimension();
        Kernel kernel = GapKernelRows.kernel(fit.terms().get(t));
        int[] order = IntStream.range(0, out.count()).boxed()
                .sorted((a, b) -> Double.compare(var[out.centre(b)], var[out.centre(a)]))
                .mapToInt(Integer::intValue).toArray();
        double[] x = new double[room * d];
        double[] c = new double[room];
        int taken = distinct(kernel, out, order, x, c);
        // a point the border finds dependent on the sparse set adds nothing; try the most uncertain one alone
        for (int n = taken; n > 0; n = n > 1 ? 1 : 0) {
            try {
                fit.addSparsePoints(t, Arrays.copyOf(x, n * d), Arrays.copyOf(c, n));
                return;
            } catch (IllegalArgumentException e) {
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
        return current.model();
    }

    /** @return the incremental fit (frames and factors) */
    public IncrementalGapFit fit() {
        return fit;
    }

    /** @return reference calls so far (the bootstrap included) */
    public int referenceCalls() {
        return calls;
    }
}
