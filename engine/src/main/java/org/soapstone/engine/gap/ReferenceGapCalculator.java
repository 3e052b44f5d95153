package org.soapstone.engine.gap;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.soapstone.engine.baseline.Baselines;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.ForceTally;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.calculator.WorkerTallies;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.ParallelDescriptor;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.ObservationKind;

/**
 * The readable reference of a {@link GapModel}: energies (eV), forces (eV/Å), stress (eV/Å³, ASE sign, Voigt) and
 * per-atom energies (eV), as QUIP's {@code IPModel_GAP_Calc}: E = Σ_i e0(Z_i) + Σ_terms Σ_instances f_c · e(x), one
 * instance at a time ({@link TermPredictor}); forces and the strain derivative by the chain rule through the
 * descriptor gradients and the gradient of the cutoff weight f_c ({@link DescriptorOutput#tallyGradient}); plus,
 * for a model with a baseline (gap_fit's core potential), the baseline's energy, forces, stress and per-atom
 * energies, as QUIP's {@code Sum} potential. Also
 * the predictive variances: QUIP's per-atom {@code local_gap_variance} by triangular solves, or, for a model that
 * carries one, the sparse-GP posterior's ({@link PosteriorVariance}). The fast path,
 * {@code org.soapstone.engine.evaluator.FastGapCalculator}, is tested against it.
 *
 * <p>Local energies: QUIP splits an instance's f_c·e equally between the atoms it names ({@code ci}): the centre
 * for SOAP, distance_2b (which lists every pair from both ends) and angle_3b, the whole cluster for distance_Nb
 * ({@link DescriptorOutput#energyAtom}). The local variance follows the same rule with σ²·f_c².
 *
 * <p>Descriptors run on a {@link WorkerPool} through {@link ParallelDescriptor}; each worker predicts its own
 * chunk of instances into its own {@link ForceTally}, summed in worker order ({@link WorkerTallies}), so results do
 * not depend on scheduling; the total energy is summed in atom order. Not thread-safe (owns its buffers); use one
 * per thread.
 */
public final class ReferenceGapCalculator implements Calculator, PredictiveVariance {
    private static final Set<Property> IMPLEMENTED =
            EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS, Property.ENERGIES);

    private final GapModel model;
    private final WorkerPool pool;
    private final double cutoff;
    private final TermPredictor[] predictors;
    private final ParallelDescriptor[] descriptors;
    private final TermPredictor.Scratch[] scratch;
    private final double[][] grad;
    private final WorkerTallies tallies;
    /** The posterior's variances, for models that carry one (null otherwise). */
    private final PosteriorVariance posterior;
    /** The model's baseline potential, added to every result (null for none). */
    private final Calculator baseline;
    private final CalculationResults baselineResults = new CalculationResults();

    /** @param model the model, evaluated on {@link WorkerPool#shared()} */
    public ReferenceGapCalculator(GapModel model) {
        this(model, WorkerPool.shared());
    }

    /**
     * @param model the model
     * @param pool the workers to run on
     */
    public ReferenceGapCalculator(GapModel model, WorkerPool pool) {
        this.model = model;
        this.pool = pool;
        List<GapTerm> terms = model.terms();
        predictors = new TermPredictor[terms.size()];
        descriptors = new ParallelDescriptor[terms.size()];
        double c = 0;
        int maxM = 0;
        int maxD = 0;
        for (int t = 0; t < predictors.length; t++) {
            predictors[t] = new TermPredictor(terms.get(t));
            descriptors[t] = new ParallelDescriptor(terms.get(t).descriptor().create(), pool);
            c = Math.max(c, descriptors[t].descriptor().cutoff());
            maxM = Math.max(maxM, predictors[t].sparseCount());
            maxD = Math.max(maxD, predictors[t].dimension());
        }
        cutoff = c;
        posterior = model.hasPosterior() ? new PosteriorVariance(model) : null;
        baseline = model.hasBaseline() ? Baselines.calculator(model.baseline(), pool) : null;
        int w = pool.threads();
        scratch = new TermPredictor.Scratch[w];
        grad = new double[w][maxD];
        tallies = new WorkerTallies(pool);
        for (int i = 0; i < w; i++) {
            scratch[i] = new TermPredictor.Scratch(maxM, maxD);
        }
    }

    /** @return the model */
    public GapModel model() {
        return model;
    }

    /** @return the largest descriptor cutoff (Å) */
    public double cutoff() {
        return cutoff;
    }

    @Override
    public Set<Property> implementedProperties() {
        return EnumSet.copyOf(IMPLEMENTED);
    }

    /**
     * {@inheritDoc} STRESS is computed only for a structure with a cell volume; without one it is not marked
     * computed.
     */
    @Override
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        checkRequested(requested);
        int n = structure.size();
        results.reset(n);
        boolean withStress = requested.contains(Property.STRESS) && structure.cell().hasVolume();
        boolean gradients = requested.contains(Property.FORCES) || withStress;
        tallies.reset(n);
        int[] z = structure.numbers();
        ForceTally first = tallies.of(0);
        for (int i = 0; i < n; i++) {
            first.energy(i, model.e0(z[i]));
        }
        forEachInstance(structure, gradients, (worker, pred, out, i) -> {
            ForceTally tally = tallies.of(worker);
            double e = pred.predict(out.values(), i * out.dimension(), gradients ? grad[worker] : null,
                    scratch[worker]);
            double local = out.cutoffWeight(i) * e;
            out.share(i, local, tally.energies());
            tally.energy(local);
            if (gradients) {
                out.tallyGradient(i, e, grad[worker], 0, tally);
            }
        });
        EnumSet<Property> done = EnumSet.of(Property.ENERGY, Property.ENERGIES);
        if (gradients) {
            done.add(Property.FORCES);
        }
        if (withStress) {
            done.add(Property.STRESS);
        }
        tallies.reduce(results, done, withStress ? structure.volume() : 0);
        double e = 0;
        for (int i = 0; i < n; i++) {
            e += results.energies[i];
        }
        results.energy = e;
        if (baseline != null) {
            addBaseline(structure, results.computed(), results);
        }
    }

    /** Adds the baseline's energy, per-atom energies and what else was computed ({@code done}) to {@code results}. */
    private void addBaseline(Structure structure, Set<Property> done, CalculationResults results) {
        EnumSet<Property> want = EnumSet.copyOf(done);
        want.retainAll(baseline.implementedProperties());
        if (!want.containsAll(done)) {
            throw new IllegalStateException("the model's " + model.baseline().describe() + " does not compute "
                    + done.stream().filter(p -> !want.contains(p)).toList());
        }
        baseline.calculate(structure, want, baselineResults);
        CalculationResults b = baselineResults;
        results.energy += b.energy;
        for (int i = 0; i < results.energies.length; i++) {
            results.energies[i] += b.energies[i];
        }
        if (done.contains(Property.FORCES)) {
            for (int k = 0; k < results.forces.length; k++) {
                results.forces[k] += b.forces[k];
            }
        }
        if (done.contains(Property.STRESS)) {
            for (int k = 0; k < 6; k++) {
                results.stress[k] += b.stress[k];
            }
        }
    }

    /** @return the calculator of the model's baseline potential, or null for a model without one */
    public Calculator baseline() {
        return baseline;
    }

    /**
     * Per-atom variance of the local energy (eV²): the sparse-GP posterior's for a model that carries one;
     * otherwise QUIP's {@code local_gap_variance}: per atom, Σ over the instances it owns of σ²(x)·f_c², σ² being
     * {@code gpCoordinates_Predict}'s variance estimate with QUIP's default regularisation 0.001 (the
     * projected-process prior variance over the sparse set; see {@link TermPredictor}).
     *
     * @param structure the atoms (positions Å)
     * @return per-atom variance (eV²)
     */
    /**
     * The posterior's local-energy variances bounded through a projection of it (the force-σ proxy's
     * {@link ForceSigmaProxy}).
     *
     * @param structure the atoms (positions Å)
     * @param bound a {@link VarianceProjection} of the model's posterior
     * @return per-atom variance (eV²), never smaller than {@link #localVariance} up to rounding
     * @throws UnsupportedOperationException if the model has no posterior
     */
    public double[] localVariance(Structure structure, VarianceProjection bound) {
        return requirePosterior().local(structure, bound);
    }

    @Override
    public double[] localVariance(Structure structure) {
        if (posterior != null) {
            return posterior.local(structure);
        }
        int n = structure.size();
        double[] var = new double[n];
        double[][] shared = new double[pool.threads()][n];
        forEachInstance(structure, false, (worker, pred, out, i) -> {
            pred.predict(out.values(), i * out.dimension(), null, scratch[worker]);
            double fc = out.cutoffWeight(i);
            // an atom's own instances are all in one worker's part; a shared instance may name any atom
            out.share(i, pred.variance(scratch[worker]) * fc * fc, out.energyShares() == 1 ? var : shared[worker]);
        });
        for (double[] s : shared) {
            for (int a = 0; a < n; a++) {
                var[a] += s[a];
            }
        }
        return var;
    }

    /** What to do with instance i of a term (its predictor, its descriptor output) on worker {@code worker}. */
    @FunctionalInterface
    private interface InstanceBody {
        void accept(int worker, TermPredictor pred, DescriptorOutput out, int i);
    }

    /**
     * Runs {@code body} on every instance of every term, term by term; each term's instances are computed in parts
     * (with their gradients if asked) and the parts shared among the workers, all of an atom's instances in one part.
     */
    private void forEachInstance(Structure structure, boolean gradients, InstanceBody body) {
        NeighbourList nl = NeighbourList.build(structure, cutoff, true, pool);
        for (int t = 0; t < predictors.length; t++) {
            ParallelDescriptor pd = descriptors[t];
            TermPredictor pred = predictors[t];
            pd.compute(structure, nl, gradients);
            pool.forEachChunk(pd.parts(), (worker, from, to) -> {
                for (int p = from; p < to; p++) {
                    DescriptorOutput out = pd.part(p);
                    for (int i = 0; i < out.count(); i++) {
                        body.accept(worker, pred, out, i);
                    }
                }
            });
        }
    }

    /** {@inheritDoc} Models fitted by Soapstone carry one; imported gap_fit models do not. */
    @Override
    public boolean hasPosterior() {
        return posterior != null;
    }

    @Override
    public double energyVariance(Structure structure) {
        return requirePosterior().total(structure);
    }

    @Override
    public double[] forceVariance(Structure structure) {
        return requirePosterior().forces(structure);
    }

    @Override
    public ObservedVariance observedVariance(Structure structure, String group) {
        double[][] w = requirePosterior().weightSpace(structure);
        SigmaCalibration c = model.calibration();
        int n = structure.size();
        if (c == null) {
            return new ObservedVariance(w[0][0], w[1], w[2]);
        }
        double[] forces = w[1];
        for (int k = 0; k < forces.length; k++) {
            forces[k] = c.variance(ObservationKind.FORCE, group, n, forces[k]);
        }
        double[] virial = w[2];
        for (int k = 0; k < virial.length; k++) {
            virial[k] = c.calibrates(ObservationKind.VIRIAL) ? c.variance(ObservationKind.VIRIAL, group, n, virial[k])
                    : Double.NaN;
        }
        return new ObservedVariance(c.variance(ObservationKind.ENERGY, group, n, w[0][0]), forces, virial);
    }

    private PosteriorVariance requirePosterior() {
        if (posterior == null) {
            throw new UnsupportedOperationException("this model has no sparse-GP posterior (an imported gap_fit "
                    + "model); only QUIP's local variance is available");
        }
        return posterior;
    }
}
