package org.soapstone.engine.gap;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.soapstone.engine.baseline.Baselines;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.ParallelDescriptor;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.ObservationKind;

/**
 * Energies (eV), forces (eV/Å), stress (eV/Å³, ASE sign, Voigt) and per-atom energies (eV) of a {@link GapModel},
 * as QUIP's {@code IPModel_GAP_Calc}: E = Σ_i e0(Z_i) + Σ_terms Σ_instances f_c · e(x); forces and the virial from
 * the descriptor gradients and the gradient of the cutoff weight f_c; plus, for a model with a baseline (gap_fit's
 * core potential), the baseline's energy, forces, stress and per-atom energies, as QUIP's {@code Sum} potential. Also QUIP's per-atom
 * {@code local_gap_variance} ({@link #localVariance}).
 *
 * <p>Local energies: QUIP splits an instance's f_c·e equally between the atoms it names ({@code ci}): the centre
 * for SOAP, distance_2b (which lists every pair from both ends) and angle_3b, the whole cluster for distance_Nb
 * ({@link DescriptorOutput#energyAtom}). The local variance follows the same rule with σ²·f_c².
 *
 * <p>Descriptors run on a {@link WorkerPool} through {@link ParallelDescriptor}; each worker predicts its own
 * chunk of atoms and accumulates forces and virial privately, summed in worker order, so results do not depend on
 * scheduling. Not thread-safe (owns its buffers); use one per thread.
 */
public final class GapCalculator implements Calculator, PredictiveVariance {
    private static final Set<Property> IMPLEMENTED =
            EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS, Property.ENERGIES);

    private final GapModel model;
    private final WorkerPool pool;
    private final double cutoff;
    private final TermPredictor[] predictors;
    private final ParallelDescriptor[] descriptors;
    private final TermPredictor.Scratch[] scratch;
    private final double[][] grad;
    private final double[][] virial;
    private double[][] forces = new double[0][];
    /** Per worker: per-atom sums of instances shared between atoms (distance_Nb), which may be any worker's atoms. */
    private double[][] shared = new double[0][];
    /** The posterior's variances, for models that carry one (null otherwise). */
    private final PosteriorVariance posterior;
    /** The model's baseline potential, added to every result (null for none). */
    private final Calculator baseline;
    private final CalculationResults baselineResults = new CalculationResults();

    /** @param model the model, evaluated on {@link WorkerPool#shared()} */
    public GapCalculator(GapModel model) {
        this(model, WorkerPool.shared());
    }

    /**
     * @param model the model
     * @param pool the workers to run on
     */
    public GapCalculator(GapModel model, WorkerPool pool) {
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
        virial = new double[w][9];
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
        double[] local = results.energies;
        int[] z = structure.numbers();
        for (int i = 0; i < n; i++) {
            local[i] = model.e0(z[i]);
        }
        int w = pool.threads();
        if (gradients && (forces.length != w || forces[0].length != 3 * n)) {
            forces = new double[w][3 * n];
        }
        for (int p = 0; gradients && p < w; p++) {
            Arrays.fill(forces[p], 0);
            Arrays.fill(virial[p], 0);
        }
        resetShared(n);
        NeighbourList nl = NeighbourList.build(structure, cutoff, true, pool);
        for (int t = 0; t < predictors.length; t++) {
            ParallelDescriptor pd = descriptors[t];
            TermPredictor pred = predictors[t];
            pd.compute(structure, nl, gradients);
            pool.forEachChunk(pd.parts(), (worker, from, to) -> {
                for (int p = from; p < to; p++) {
                    DescriptorOutput out = pd.part(p);
                    accumulate(pred, out, out.energyShares() == 1 ? local : shared[worker],
                            gradients ? forces[worker] : null, virial[worker],
                            scratch[worker], grad[worker]);
                }
            });
        }
        addShared(local);
        double e = 0;
        for (int i = 0; i < n; i++) {
            e += local[i];
        }
        results.energy = e;
        EnumSet<Property> done = EnumSet.of(Property.ENERGY, Property.ENERGIES);
        if (gradients) {
            for (int p = 0; p < w; p++) {
                for (int k = 0; k < 3 * n; k++) {
                    results.forces[k] += forces[p][k];
                }
            }
            done.add(Property.FORCES);
        }
        if (withStress) {
            double[] m = new double[9];
            for (int p = 0; p < w; p++) {
                for (int k = 0; k < 9; k++) {
                    m[k] += virial[p][k];
                }
            }
            double[] voigt = CalculationResults.matrixToVoigt(m, 1 / structure.volume());
            System.arraycopy(voigt, 0, results.stress, 0, 6);
            done.add(Property.STRESS);
        }
        if (baseline != null) {
            addBaseline(structure, done, results);
        }
        results.markComputed(done);
    }

    /** Adds the baseline's energy, per-atom energies and what else was computed ({@code done}) to {@code results}. */
    private void addBaseline(Structure structure, EnumSet<Property> done, CalculationResults results) {
        EnumSet<Property> want = EnumSet.copyOf(done);
        want.retainAll(baseline.implementedProperties());
        if (!want.containsAll(done)) {
            throw new IllegalStateException("the model's " + model.baseline().describe() + " does not compute "
                    + EnumSet.complementOf(want).stream().filter(done::contains).toList());
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
     * Adds one part's instances: f_c·e to the centre's local energy and, with {@code force} non-null,
     * −∂E/∂r to the forces and Σ (r_e − r_c) ⊗ ∂E/∂r_e to {@code sigmaV} (σ·V, ASE sign, row-major 3×3).
     */
    private static void accumulate(TermPredictor pred, DescriptorOutput out, double[] local, double[] force,
            double[] sigmaV, TermPredictor.Scratch scratch, double[] g) {
        int d = out.dimension();
        double[] x = out.values();
        double[] dx = out.gradients();
        double[] off = out.gradientOffsets();
        double[] dw = out.cutoffWeightGradients();
        for (int i = 0; i < out.count(); i++) {
            double e = pred.predict(x, i * d, force == null ? null : g, scratch);
            double fc = out.cutoffWeight(i);
            share(out, i, fc * e, local);
            if (force == null) {
                continue;
            }
            for (int en = out.gradientStart(i); en < out.gradientEnd(i); en++) {
                int atom = out.gradientAtom(en);
                for (int k = 0; k < 3; k++) {
                    int base = (3 * en + k) * d;
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += g[j] * dx[base + j];
                    }
                    double dEdr = fc * s + e * dw[3 * en + k];
                    force[3 * atom + k] -= dEdr;
                    for (int a = 0; a < 3; a++) {
                        sigmaV[3 * a + k] += off[3 * en + a] * dEdr;
                    }
                }
            }
        }
    }

    /** Zeroes the per-worker sums of shared instances, (re)sized for n atoms. */
    private void resetShared(int n) {
        int w = pool.threads();
        if (shared.length != w || shared[0].length != n) {
            shared = new double[w][n];
        }
        for (double[] s : shared) {
            java.util.Arrays.fill(s, 0);
        }
    }

    /** Adds the workers' sums of shared instances to {@code perAtom}, in worker order. */
    private void addShared(double[] perAtom) {
        for (double[] s : shared) {
            for (int a = 0; a < perAtom.length; a++) {
                perAtom[a] += s[a];
            }
        }
    }

    /** Adds {@code value} of instance i to its atoms, split equally (QUIP's division by the size of {@code ci}). */
    private static void share(DescriptorOutput out, int i, double value, double[] perAtom) {
        int shares = out.energyShares();
        if (shares == 1) {
            perAtom[out.centre(i)] += value;
            return;
        }
        double part = value / shares;
        for (int k = 0; k < shares; k++) {
            perAtom[out.energyAtom(i, k)] += part;
        }
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
    @Override
    public double[] localVariance(Structure structure) {
        if (posterior != null) {
            return posterior.local(structure);
        }
        int n = structure.size();
        double[] var = new double[n];
        resetShared(n);
        NeighbourList nl = NeighbourList.build(structure, cutoff, true, pool);
        for (int t = 0; t < predictors.length; t++) {
            ParallelDescriptor pd = descriptors[t];
            TermPredictor pred = predictors[t];
            pd.compute(structure, nl, false);
            pool.forEachChunk(pd.parts(), (worker, from, to) -> {
                for (int p = from; p < to; p++) {
                    DescriptorOutput out = pd.part(p);
                    int d = out.dimension();
                    for (int i = 0; i < out.count(); i++) {
                        pred.predict(out.values(), i * d, null, scratch[worker]);
                        double fc = out.cutoffWeight(i);
                        share(out, i, pred.variance(scratch[worker]) * fc * fc,
                                out.energyShares() == 1 ? var : shared[worker]);
                    }
                }
            });
        }
        addShared(var);
        return var;
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
