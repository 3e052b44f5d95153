package org.soapstone.engine.evaluator;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.soapstone.engine.baseline.Baselines;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.ForceTally;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.calculator.WorkerTallies;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.gap.ForceSigmaProxy;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.ObservedVariance;
import org.soapstone.engine.gap.PredictiveVariance;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.gap.VarianceProjection;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.neighbour.VerletNeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.ObservationKind;

/**
 * The fast path of a {@link GapModel}: the same energies (eV), forces (eV/Å), stress (eV/Å³, ASE sign) and per-atom
 * energies (eV) as the readable {@link ReferenceGapCalculator} (to 1e-10 relative: the same sums, blocked
 * differently), and in the same pass, when asked, each atom's local-energy standard deviation σ (eV). What MD,
 * {@code eval}, the fit's training errors and the learner run.
 *
 * <p><b>Contract.</b> E = Σ_i e0(Z_i) + Σ_terms Σ_instances f_c·e(x), each instance's energy given to its centre
 * atom, or shared equally between the atoms of a distance_Nb cluster (QUIP's {@code IPModel_GAP_Calc}; see
 * {@link ReferenceGapCalculator} for the local-energy convention), plus the model's baseline potential if it has one
 * (gap_fit's core potential, evaluated by its own calculator after the GAP terms, as QUIP's {@code Sum}). σ_a is
 * the square root of the variance of atom a's local energy: the sparse-GP posterior's for a model fitted here
 * ({@link PosteriorLocalVariance}), QUIP's {@code local_gap_variance} for an imported gap_fit model
 * ({@link QuipLocalVariance}), exact at full rank and a conservative (never smaller) bound at a lower
 * {@link EvaluatorOptions#varianceRank()} ({@link VarianceProjection}). For a model with a posterior and a
 * distance_Nb term, σ comes from the reference path, exactly (a cluster's kernel row is shared between its atoms,
 * which may be any worker's); that path allocates. The σ machinery is built on the first call
 * that asks for σ. Any sequence of structures is accepted; a new atom count, species or periodicity re-sizes the
 * buffers (allocating), otherwise a call allocates nothing on the Java heap once the buffers have grown to the
 * largest sizes seen, nor does a rebuild of the Verlet neighbour list (an atom moved more than half the skin).
 * The same inputs and thread count give bit-identical results, in any JVM and before or after the JIT compiles the
 * code: no sum's order is left to the JIT (no cross-lane {@code reduceLanes}; see
 * {@link org.soapstone.engine.descriptor.SoapDescriptor}, {@link org.soapstone.engine.gap.PanelledRows}, {@code PanelledTriangle}) and every
 * BLAS operand of σ starts on a cache line ({@link org.soapstone.gp.NativeDoubles}). The total energy is summed in atom order, so it does not
 * depend on the thread count.
 *
 * <p><b>Work.</b> The atoms are split into contiguous shares that the workers of the {@link WorkerPool} take in
 * turn ({@link WorkerPool#forEachShare}): up to max({@value #MIN_SHARES}, 4 × threads), so a worker the machine
 * slows down leaves its last shares to the others, whether σ is computed or not (one per worker only for the exact
 * force σ, whose rows, 3N × M per share, are summed in share order).
 * A worker computes the descriptor values of a share's atoms in sub-blocks of {@value #SUB_BLOCK}, predicts each
 * sub-block's instances of a term together ({@link TermKernel}: register-tiled products against the sparse points,
 * stored once in panels, for the kernel rows and ∂e/∂x), queues the kernel rows for σ ({@link LocalVariance}), then, atom by atom, gives each instance's
 * −∂(f_c e)/∂r to the share's {@link ForceTally} ({@link Descriptor#tallyGradients}: SOAP's reverse mode, ∂e/∂x
 * pushed back to the expansion coefficients and through each neighbour's expansion derivative without forming
 * ∂x/∂r, reusing the sub-block's coefficients; the other descriptors the forward chain rule of the reference path,
 * {@link DescriptorOutput#tallyGradient}, as the force σ's kernel-gradient rows need). The tallies are summed in
 * share order ({@link WorkerTallies}), so the results depend on the share count, not on which worker took a share.
 *
 * <p><b>Force σ</b> (eV/Å, per force component; {@link ForceSigma}), for a model fitted here, on the calls that ask:
 * {@link ForceSigma#EXACT} adds each atom's instances' kernel-gradient rows u to the force rows of the atoms they
 * move ({@link GapKernelRows}, from the same descriptor gradients as the forces; one 3N × M buffer per share,
 * summed in share order) and gives σ² = s_w²·uᵀΣu + s_n²·σ_n² by one triangular solve with the posterior's R —
 * {@code eval --sigma}'s observed force σ ({@link #observedVariance}, default group); {@link ForceSigma#PROXY} gives
 * the calibrated {@link ForceSigmaProxy} from the local-energy variances of the same call, a pass over the
 * neighbour list; that call computes them at the rank the proxy was calibrated on
 * ({@link SigmaCalibration.ForceProxy#rank}), whatever the options' rank.
 *
 * <p><b>Example</b> — a simulator that owns its arrays off-heap drives it without copies of its own:
 * <pre>{@code
 * GapModel model = GapModel.read(Path.of("si.gap"));
 * Structure start = ExtXyz.read(Path.of("si-64.xyz")).getLast();
 * int n = start.size();
 * try (WorkerPool pool = new WorkerPool(2); Arena arena = Arena.ofConfined()) {
 *     FastGapCalculator gap = new FastGapCalculator(model, start, pool, EvaluatorOptions.withVariance());
 *     MemorySegment r = arena.allocate(JAVA_DOUBLE, 3L * n);      // positions Å, x0 y0 z0 x1 ...
 *     MemorySegment cell = arena.allocate(JAVA_DOUBLE, 9);         // lattice vectors as rows, Å
 *     MemorySegment f = arena.allocate(JAVA_DOUBLE, 3L * n);       // forces eV/Å, filled
 *     MemorySegment w = arena.allocate(JAVA_DOUBLE, 9);            // virial eV (W = −σV, row-major), filled
 *     MemorySegment e = arena.allocate(JAVA_DOUBLE, n);            // per-atom energies eV, filled
 *     MemorySegment sd = arena.allocate(JAVA_DOUBLE, n);           // per-atom σ eV, filled
 *     MemorySegment.copy(start.positions(), 0, r, JAVA_DOUBLE, 0, 3 * n);
 *     MemorySegment.copy(start.cell().matrix(), 0, cell, JAVA_DOUBLE, 0, 9);
 *     for (int step = 0; step < 1000; step++) {
 *         double energy = gap.evaluate(r, cell, f, w, e, sd);      // eV
 *         // ... integrate: update r from f ...
 *         if (gap.maxDeviation() > 0.05) {
 *             System.out.println("atom " + gap.maxDeviationAtom() + " uncertain at step " + step);
 *             break;
 *         }
 *     }
 * }
 * }</pre>
 * Not thread-safe: one caller at a time (the workers are its own).
 */
public final class FastGapCalculator implements Calculator, PredictiveVariance {
    /** Which force σ a calculation gives (eV/Å, per force component). */
    public enum ForceSigma {
        /** None. */
        NONE,
        /**
         * The calibrated proxy σ_F² = s_w²·v_a + s_n²·σ_n² from the neighbourhood sum v_a of latent local-energy
         * variances ({@link ForceSigmaProxy}), the same for the three components of an atom; needs a model whose
         * calibration has a {@link SigmaCalibration#forceProxy()}; computes the local-energy σ too, as the
         * proxy's rank bounds them (give {@link EvaluatorOptions#varianceRank()} that rank for one projection).
         */
        PROXY,
        /** The observed σ² = s_w²·uᵀΣu + s_n²·σ_n² of each force component; needs a model with a posterior. */
        EXACT
    }

    /**
     * Atoms whose descriptors are computed and predicted together by one worker; at most
     * {@link org.soapstone.engine.descriptor.SoapDescriptor#KEPT_INSTANCES}, so that SOAP's force pass reuses the
     * sub-block's expansions. 16: the kernel products, from panels stored once ({@link org.soapstone.engine.gap.PanelledRows}), hardly
     * depend on the block size, and fewer kept expansions (≈ 55 kB per atom) stay nearer the core: 0.97× the
     * time per atom-step of 32 (512 atoms, one thread; 0.95× at 4 096 on two), with the same bits.
     */
    static final int SUB_BLOCK = 16;
    /**
     * The shares of a call (but one with the exact force σ) number {@code max(MIN_SHARES, 4 × threads)} at most (one sub-block each at
     * fewer atoms): enough that a worker slowed by the machine hands its last shares to the others, few enough that
     * the per-share force tallies cost little to zero and sum. Up to four threads, the count depends on the atoms
     * only, so the results do not depend on the thread count either.
     */
    static final int MIN_SHARES = 16;
    private static final Set<Property> IMPLEMENTED =
            EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS, Property.ENERGIES);

    private final GapModel model;
    private final WorkerPool pool;
    private final EvaluatorOptions options;
    private final TermKernel[] kernels;
    private final Descriptor[] descriptors;
    /** Per worker and term: a sub-block's instances (values only). */
    private final DescriptorOutput[][] outputs;
    /** Per worker and term: one atom's instances with their gradients (the force pass). */
    private final DescriptorOutput[][] gradientOutputs;
    private final TermKernel.Block[] blocks;
    private final WorkerTallies tallies;
    private final VerletNeighbourList neighbours;
    private final WorkerPool.Share stepBody = this::step;
    private final Set<Property> withStress = EnumSet.of(Property.ENERGY, Property.FORCES, Property.ENERGIES,
            Property.STRESS);
    private final Set<Property> withoutStress = EnumSet.of(Property.ENERGY, Property.FORCES, Property.ENERGIES);
    private final Set<Property> energiesOnly = EnumSet.of(Property.ENERGY, Property.ENERGIES);
    private final CalculationResults own = new CalculationResults();
    private final double[] strain = new double[9];
    /** The model's baseline potential (null for none), its results and its strain derivative ∂E/∂ε (eV). */
    private final Calculator baseline;
    private final CalculationResults baselineResults = new CalculationResults();
    private final double[] baselineStrain = new double[9];

    /**
     * The σ of the model's local energies at the options' rank and, if the force-σ proxy's rank differs, at that
     * one; each built when first asked for. {@link #sigma} and {@link #sigmaWorkers} are the current call's.
     */
    private final RankedVariance[] sigmas = new RankedVariance[2];
    private LocalVariance sigma;
    private LocalVariance.Worker[] sigmaWorkers;
    /** The energy, force and observed variances of a model with a posterior, until the fast path has them. */
    private ReferenceGapCalculator reference;
    /** The force-σ proxy's variance projection when σ comes from the reference path; null until first asked for. */
    private VarianceProjection proxyBound;
    /**
     * Whether σ comes from the reference path: a model with a posterior and a term whose instances are shared between
     * atoms (distance_Nb), whose local energies' kernel rows span atoms of every worker.
     */
    private final boolean sigmaByReference;
    /** The force σ of {@link #calculate(Structure, Set, CalculationResults)}; {@link ForceSigma#NONE} at first. */
    private ForceSigma forceSigmaMode = ForceSigma.NONE;
    /** Whether {@link #calculate(Structure, Set, CalculationResults)} computes σ ({@link #localSigma(boolean)}). */
    private boolean localSigmaMode;
    /** Kernel-gradient rows for the exact force σ: null until first asked for; 3N × M per share, scratch per worker. */
    private GapKernelRows kernelRows;
    private double[][] forceRows;
    private GapKernelRows.Scratch[] rowScratch;
    private double[] proxyRaw = new double[0];
    private double[] forceDeviations = new double[0];
    private double[] atomForceDeviations = new double[0];
    private ForceSigma forceDeviationsKind = ForceSigma.NONE;
    private final Summary forceSummary = new Summary();

    /** The atoms as last evaluated: numbers, cell and periodicity, positions. */
    private Structure work;
    private int n;
    private double[] variance = new double[0];
    private MemorySegment varianceView = MemorySegment.ofArray(variance);
    private double[] deviations = new double[0];
    private boolean deviationsValid;
    private final Summary summary = new Summary();
    // the current call, read by the workers (published by the pool's hand-over)
    private NeighbourList list;
    private boolean recompute;
    private boolean gradients;
    private boolean withVariance;
    private boolean exactForceRows;

    /**
     * Sized at its first structure.
     *
     * @param model the model (any mix of dot_product and ard_se terms)
     * @param pool the workers
     * @param options skin, whether every {@link #calculate(Structure, Set, CalculationResults)} computes σ, and at
     *     which rank
     */
    public FastGapCalculator(GapModel model, WorkerPool pool, EvaluatorOptions options) {
        this.model = model;
        this.pool = pool;
        this.options = options;
        localSigmaMode = options.variance();
        int workers = pool.threads();
        List<GapTerm> terms = model.terms();
        int t = terms.size();
        kernels = new TermKernel[t];
        descriptors = new Descriptor[t];
        double cutoff = 0;
        for (int i = 0; i < t; i++) {
            kernels[i] = new TermKernel(terms.get(i));
            descriptors[i] = terms.get(i).descriptor().create();
            cutoff = Math.max(cutoff, descriptors[i].cutoff());
        }
        neighbours = new VerletNeighbourList(cutoff, options.skin(), true);
        outputs = new DescriptorOutput[workers][t];
        gradientOutputs = new DescriptorOutput[workers][t];
        blocks = new TermKernel.Block[workers];
        for (int w = 0; w < workers; w++) {
            for (int i = 0; i < t; i++) {
                outputs[w][i] = descriptors[i].newOutput();
                gradientOutputs[w][i] = descriptors[i].newOutput();
            }
            blocks[w] = new TermKernel.Block();
            for (TermKernel kernel : kernels) {
                kernel.ensure(blocks[w], SUB_BLOCK);
            }
        }
        tallies = new WorkerTallies(pool);
        baseline = model.hasBaseline() ? Baselines.calculator(model.baseline(), pool) : null;
        boolean shared = false;
        for (int i = 0; i < t; i++) {
            shared |= outputs[0][i].energyShares() > 1;
        }
        sigmaByReference = shared && model.hasPosterior();
    }

    /**
     * Sized for a set of atoms, as {@link #evaluate} needs.
     *
     * @param model the model
     * @param atoms the atoms (numbers, cell with its periodicity, positions as a start); copied, not kept
     * @param pool the workers
     * @param options skin, σ on every calculation or not, rank
     */
    public FastGapCalculator(GapModel model, Structure atoms, WorkerPool pool, EvaluatorOptions options) {
        this(model, pool, options);
        resize(atoms);
    }

    /** (Re)sizes the buffers for {@code atoms}' size, species and cell. */
    private void resize(Structure atoms) {
        n = atoms.size();
        work = new Structure(atoms.numbers().clone(), atoms.positions().clone(), atoms.masses().clone(),
                atoms.cell());
        variance = new double[n];
        varianceView = MemorySegment.ofArray(variance);
        deviations = new double[n];
        deviationsValid = false;
        proxyRaw = new double[n];
        forceDeviations = new double[3 * n];
        atomForceDeviations = new double[n];
        forceDeviationsKind = ForceSigma.NONE;
        forceRows = null;
    }

    /** @return the model */
    public GapModel model() {
        return model;
    }

    /** @return the number of atoms it is sized for (0 before the first structure) */
    public int size() {
        return n;
    }

    /** @return the options it was built with */
    public EvaluatorOptions options() {
        return options;
    }

    /**
     * @return the variance projection of a model with a posterior once σ has been asked for (null otherwise), for
     *     its {@link VarianceProjection#meanOverestimate()}
     */
    public VarianceProjection posteriorProjection() {
        return sigma instanceof PosteriorLocalVariance p ? p.projection() : null;
    }

    /**
     * One evaluation into caller-owned memory: reads {@code positions} (and {@code cell}), fills what is non-null.
     * Allocates nothing on the Java heap unless the neighbour list must be rebuilt or the cell changed.
     *
     * @param positions 3N doubles, atom-major x, y, z (Å)
     * @param cell 9 doubles, the lattice vectors as rows (Å), or null to keep the current cell (the periodicity is
     *     the one of the structure it was sized for)
     * @param forces 3N doubles to fill (eV/Å), or null for energies only
     * @param virial 9 doubles to fill, W = −σV row-major (eV), or null; needs {@code forces}
     * @param energies N doubles to fill with the per-atom energies (eV), or null
     * @param deviations N doubles to fill with the per-atom local-energy standard deviations (eV), or null
     * @return the total energy (eV)
     * @throws IllegalArgumentException if a segment is too small, a virial is asked without forces, or the
     *     calculator has not been sized
     */
    public double evaluate(MemorySegment positions, MemorySegment cell, MemorySegment forces, MemorySegment virial,
            MemorySegment energies, MemorySegment deviations) {
        if (work == null) {
            throw new IllegalArgumentException("size the calculator for a structure first (the constructor with "
                    + "atoms, or a calculate)");
        }
        long n3 = 3L * n;
        checkSize(positions, n3, "positions");
        if (forces != null) {
            checkSize(forces, n3, "forces");
        }
        if (virial != null) {
            checkSize(virial, 9, "virial");
            if (forces == null) {
                throw new IllegalArgumentException("the virial needs the forces segment");
            }
        }
        if (energies != null) {
            checkSize(energies, n, "energies");
        }
        if (deviations != null) {
            checkSize(deviations, n, "deviations");
        }
        MemorySegment.copy(positions, JAVA_DOUBLE, 0, work.positions(), 0, (int) n3);
        if (cell != null) {
            checkSize(cell, 9, "cell");
            updateCell(cell);
        }
        own.reset(n);
        run(own, forces != null ? withoutStress : energiesOnly, 0, deviations != null, ForceSigma.NONE,
                virial != null);
        if (forces != null) {
            MemorySegment.copy(own.forces, 0, forces, JAVA_DOUBLE, 0, (int) n3);
        }
        if (virial != null) {
            tallies.strainDerivative(strain);
            for (int k = 0; k < 9; k++) {
                virial.setAtIndex(JAVA_DOUBLE, k, -strain[k] - baselineStrain[k]);
            }
        }
        if (energies != null) {
            MemorySegment.copy(own.energies, 0, energies, JAVA_DOUBLE, 0, n);
        }
        if (deviations != null) {
            MemorySegment.copy(this.deviations, 0, deviations, JAVA_DOUBLE, 0, n);
        }
        return own.energy;
    }

    private static void checkSize(MemorySegment s, long doubles, String name) {
        if (s.byteSize() < 8 * doubles) {
            throw new IllegalArgumentException(name + " segment holds " + s.byteSize() / 8 + " doubles, needs "
                    + doubles);
        }
    }

    private void updateCell(MemorySegment cell) {
        Cell c = work.cell();
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                if (c.vector(i, k) != cell.getAtIndex(JAVA_DOUBLE, 3 * i + k)) {
                    work.setCell(new Cell(cell.toArray(JAVA_DOUBLE), c.pbc()));
                    return;
                }
            }
        }
    }

    /**
     * Evaluates the atoms in {@link #work} into {@code results} (reset to N), marking {@code computed}.
     *
     * @param volume the cell volume for the stress (Å³), 0 for none
     * @param baselineStrainToo whether the baseline's strain derivative is wanted in {@link #baselineStrain}
     */
    private void run(CalculationResults results, Set<Property> computed, double volume, boolean deviations,
            ForceSigma forceSigma, boolean baselineStrainToo) {
        boolean sigmaToo = deviations || forceSigma == ForceSigma.PROXY;
        if (forceSigma != ForceSigma.NONE) {
            checkForceSigma(forceSigma, computed);
        }
        boolean ownSigma = sigmaToo && !sigmaByReference;
        int rank = forceSigma == ForceSigma.PROXY ? proxyRank() : options.varianceRank();
        if (ownSigma) {
            select(rank);
        }
        // a rebuild runs here; otherwise each worker refreshes the pair vectors of its own atoms in step()
        recompute = !neighbours.rebuildIfNeeded(work);
        list = neighbours.list();
        gradients = computed.contains(Property.FORCES);
        withVariance = ownSigma;
        exactForceRows = forceSigma == ForceSigma.EXACT;
        if (exactForceRows) {
            prepareForceRows();
        }
        int shares = shares();
        tallies.reset(n, shares);
        pool.forEachShare(n, shares, stepBody);
        if (sigmaToo && sigmaByReference) {
            System.arraycopy(forceSigma == ForceSigma.PROXY ? reference().localVariance(work, proxyProjection())
                    : reference().localVariance(work), 0, variance, 0, n);
        } else if (sigmaToo) {
            for (int share = 0; share < shares; share++) {
                if (sigmaWorkers[share] != null) {
                    sigmaWorkers[share].addShared(variance);
                }
            }
        }
        tallies.reduce(results, computed, volume);
        if (baseline != null) {
            addBaseline(results, computed, baselineStrainToo);
        }
        double e = 0;
        for (int a = 0; a < n; a++) {
            e += results.energies[a];
        }
        results.energy = e;
        deviationsValid = sigmaToo;
        if (sigmaToo) {
            summariseDeviations();
        }
        switch (forceSigma) {
            case EXACT -> exactForceVariance();
            case PROXY -> proxyForceVariance();
            case NONE -> {
            }
        }
        forceDeviationsKind = forceSigma;
        if (forceSigma != ForceSigma.NONE) {
            summariseForceDeviations();
        }
    }

    /** A local variance of one rank with its workers' shares. */
    private record RankedVariance(int rank, LocalVariance variance, LocalVariance.Worker[] workers) {
    }

    /** Makes the local variance of {@code rank} (0: exact) the current call's, building it on first use. */
    private void select(int rank) {
        int resolved = model.hasPosterior() && rank >= model.posterior().sparseCount() ? 0 : rank;
        int slot = 0;
        while (sigmas[slot] != null && sigmas[slot].rank() != resolved) {
            slot++;
        }
        if (sigmas[slot] == null) {
            sigmas[slot] = new RankedVariance(resolved, LocalVariance.of(model, resolved),
                    new LocalVariance.Worker[maxShares()]);
        }
        sigma = sigmas[slot].variance();
        sigmaWorkers = sigmas[slot].workers();
    }

    /** @return the rank of the variance projection the model's force-σ proxy is calibrated on, in [1, M] */
    private int proxyRank() {
        return model.calibration().forceProxy().rank(model.posterior().sparseCount());
    }

    /** @return the proxy's projection for the reference path (distance_Nb models), built on first use */
    private VarianceProjection proxyProjection() {
        if (proxyBound == null) {
            proxyBound = VarianceProjection.ofPosterior(model.posterior(), proxyRank());
        }
        return proxyBound;
    }

    private void checkForceSigma(ForceSigma mode, Set<Property> computed) {
        if (!model.hasPosterior()) {
            throw new UnsupportedOperationException("force σ needs a model fitted by Soapstone (with its sparse-GP "
                    + "posterior); an imported gap_fit model has only QUIP's local-energy variance");
        }
        if (mode == ForceSigma.EXACT && !computed.contains(Property.FORCES)) {
            throw new IllegalArgumentException("the exact force σ is computed with the forces: request FORCES");
        }
        if (mode == ForceSigma.PROXY && (model.calibration() == null || model.calibration().forceProxy() == null)) {
            throw new IllegalStateException("this model has no calibrated force-σ proxy (fitted with --calibration "
                    + "none, or before the proxy existed): refit it, or ask for the exact force σ");
        }
    }

    /** Sizes (first time) and zeroes the per-share force rows (a share per worker), 3N × M each. */
    private void prepareForceRows() {
        if (kernelRows == null) {
            kernelRows = new GapKernelRows(model.terms());
            rowScratch = new GapKernelRows.Scratch[pool.threads()];
            for (int w = 0; w < rowScratch.length; w++) {
                rowScratch[w] = new GapKernelRows.Scratch();
            }
        }
        int size = 3 * n * kernelRows.columns();
        if (forceRows == null) {
            forceRows = new double[pool.threads()][];
        }
        for (int w = 0; w < forceRows.length; w++) {
            if (forceRows[w] == null || forceRows[w].length != size) {
                forceRows[w] = new double[size];
            } else {
                Arrays.fill(forceRows[w], 0);
            }
        }
    }

    /** The shares' rows summed in share order, one triangular solve, the calibration (default group). */
    private void exactForceVariance() {
        double[] u = forceRows[0];
        for (int w = 1; w < forceRows.length; w++) {
            double[] other = forceRows[w];
            for (int j = 0; j < u.length; j++) {
                u[j] += other[j];
            }
        }
        double[] v = model.posterior().weightVariances(u, 3 * n);
        SigmaCalibration c = model.calibration();
        for (int r = 0; r < 3 * n; r++) {
            double var = c == null ? v[r] : c.variance(ObservationKind.FORCE, null, n, v[r]);
            forceDeviations[r] = Math.sqrt(Math.max(0, var));
        }
    }

    /** The calibrated proxy from this call's local-energy variances and the neighbour list's distances. */
    private void proxyForceVariance() {
        ForceSigmaProxy.neighbourhoodVariance(list, neighbours.cutoff(), variance, proxyRaw);
        SigmaCalibration c = model.calibration();
        for (int a = 0; a < n; a++) {
            double s = Math.sqrt(Math.max(0, c.proxyForceVariance(proxyRaw[a])));
            forceDeviations[3 * a] = s;
            forceDeviations[3 * a + 1] = s;
            forceDeviations[3 * a + 2] = s;
        }
    }

    /** An atom's force σ is the largest of its three components'. */
    private void summariseForceDeviations() {
        for (int a = 0; a < n; a++) {
            atomForceDeviations[a] = Math.max(forceDeviations[3 * a], Math.max(forceDeviations[3 * a + 1],
                    forceDeviations[3 * a + 2]));
        }
        forceSummary.of(atomForceDeviations, n);
    }

    /**
     * Adds the model's baseline potential to {@code results}: its per-atom energies, and its forces and stress where
     * {@code computed} holds them; with {@code strainToo}, its strain derivative ∂E/∂ε into {@link #baselineStrain}
     * (V·σ for a cell with a volume, else −Σ_i r_i ⊗ F_i, the same for a translation-invariant energy of a finite
     * system).
     */
    private void addBaseline(CalculationResults results, Set<Property> computed, boolean strainToo) {
        boolean stress = computed.contains(Property.STRESS) || strainToo && work.cell().hasVolume();
        baseline.calculate(work, stress ? withStress : computed, baselineResults);
        CalculationResults b = baselineResults;
        for (int a = 0; a < n; a++) {
            results.energies[a] += b.energies[a];
        }
        if (computed.contains(Property.FORCES)) {
            for (int k = 0; k < 3 * n; k++) {
                results.forces[k] += b.forces[k];
            }
        }
        if (computed.contains(Property.STRESS)) {
            for (int k = 0; k < 6; k++) {
                results.stress[k] += b.stress[k];
            }
        }
        Arrays.fill(baselineStrain, 0);
        if (!strainToo) {
            return;
        }
        if (stress) {
            double v = work.volume();
            double[] st = b.stress;
            baselineStrain[0] = v * st[0];
            baselineStrain[4] = v * st[1];
            baselineStrain[8] = v * st[2];
            baselineStrain[5] = baselineStrain[7] = v * st[3];
            baselineStrain[2] = baselineStrain[6] = v * st[4];
            baselineStrain[1] = baselineStrain[3] = v * st[5];
            return;
        }
        double[] r = work.positions();
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    baselineStrain[3 * i + j] -= r[3 * a + i] * b.forces[3 * a + j];
                }
            }
        }
    }

    private void summariseDeviations() {
        for (int a = 0; a < n; a++) {
            deviations[a] = Math.sqrt(Math.max(0, variance[a]));
        }
        summary.of(deviations, n);
    }

    /** The largest per-atom value, its atom and the mean, of the last call that computed them. */
    private static final class Summary {
        double max;
        int atom;
        double mean;

        void of(double[] perAtom, int n) {
            max = -1;
            atom = -1;
            double sum = 0;
            for (int a = 0; a < n; a++) {
                sum += perAtom[a];
                if (perAtom[a] > max) {
                    max = perAtom[a];
                    atom = a;
                }
            }
            mean = n == 0 ? 0 : sum / n;
        }
    }

    /** @return the largest per-atom σ of the last call that computed σ (eV) */
    public double maxDeviation() {
        return summary.max;
    }

    /** @return the atom (0-based) with the largest σ of the last call that computed σ */
    public int maxDeviationAtom() {
        return summary.atom;
    }

    /** @return the mean per-atom σ of the last call that computed σ (eV) */
    public double meanDeviation() {
        return summary.mean;
    }

    /**
     * @return the largest force σ of an atom (the largest of its components') of the last call that computed a
     *     force σ (eV/Å)
     */
    public double maxForceDeviation() {
        return forceSummary.max;
    }

    /** @return the atom (0-based) with the largest force σ of the last call that computed one */
    public int maxForceDeviationAtom() {
        return forceSummary.atom;
    }

    /** @return the mean over atoms of each atom's largest force-component σ, of the last call that computed one (eV/Å) */
    public double meanForceDeviation() {
        return forceSummary.mean;
    }

    /** @return which force σ the last call computed ({@link ForceSigma#NONE} if none) */
    public ForceSigma lastForceSigma() {
        return forceDeviationsKind;
    }

    /**
     * Copies the force σ of the last call, which must have computed one.
     *
     * @param out 3N doubles to fill, atom-major x, y, z (eV/Å)
     * @throws IllegalStateException if the last call computed no force σ
     */
    public void forceDeviations(double[] out) {
        if (forceDeviationsKind == ForceSigma.NONE) {
            throw new IllegalStateException("the last calculation did not compute a force σ");
        }
        System.arraycopy(forceDeviations, 0, out, 0, 3 * n);
    }

    /**
     * Sets the force σ that {@link #calculate(Structure, Set, CalculationResults)} (the calls of an integrator)
     * computes from now on; {@link ForceSigma#NONE} at construction.
     *
     * @param mode the force σ of the following calls
     */
    public void forceSigma(ForceSigma mode) {
        forceSigmaMode = java.util.Objects.requireNonNull(mode, "mode");
    }

    /**
     * Sets whether {@link #calculate(Structure, Set, CalculationResults)} (the calls of an integrator) computes the
     * per-atom local-energy σ from now on; {@link EvaluatorOptions#variance()} at construction. A driver that reads σ
     * only on some steps (those it writes) switches it off for the others and skips its cost there.
     *
     * @param on whether the following calls compute σ
     */
    public void localSigma(boolean on) {
        localSigmaMode = on;
    }

    /**
     * @return the shares of this call: up to {@link #maxShares} sub-blocks, with or without the local-energy σ (so
     *     computing σ on some steps only changes no bit of the others' forces); one per worker with the exact force
     *     σ, whose rows are a worker's whole chunk
     */
    private int shares() {
        if (exactForceRows) {
            return Math.max(1, Math.min(n, pool.threads()));
        }
        return Math.max(1, Math.min(Math.ceilDiv(n, SUB_BLOCK), maxShares()));
    }

    /** @return the most shares a call has: {@code max(MIN_SHARES, 4 × threads)} */
    private int maxShares() {
        return Math.max(MIN_SHARES, 4 * pool.threads());
    }

    /** Share {@code share}'s atoms [from, to), with worker {@code w}'s scratch and the share's sums. */
    private void step(int w, int share, int from, int to) {
        if (recompute) {
            list.recompute(work, from, to);
        }
        ForceTally tally = tallies.of(share);
        LocalVariance.Worker sigmaWorker = null;
        if (withVariance) {
            if (sigmaWorkers[share] == null) {
                sigmaWorkers[share] = sigma.worker();
            }
            sigmaWorker = sigmaWorkers[share];
            Arrays.fill(variance, from, to, 0);
        }
        int[] z = work.numbers();
        TermKernel.Block block = blocks[w];
        for (int a0 = from; a0 < to; a0 += SUB_BLOCK) {
            int a1 = Math.min(to, a0 + SUB_BLOCK);
            for (int a = a0; a < a1; a++) {
                tally.energy(a, model.e0(z[a]));
            }
            if (sigmaWorker != null) {
                sigmaWorker.begin(a0, a1);
            }
            for (int t = 0; t < kernels.length; t++) {
                DescriptorOutput out = outputs[w][t];
                descriptors[t].compute(work, list, a0, a1, false, out);
                kernels[t].predict(out.values(), out.count(), gradients, block);
                for (int i = 0; i < out.count(); i++) {
                    double local = out.cutoffWeight(i) * block.e[i];
                    out.share(i, local, tally.energies());
                    tally.energy(local);
                }
                if (sigmaWorker != null) {
                    sigmaWorker.add(t, out, block.k, varianceView);
                }
                if (gradients) {
                    // gradients atom by atom, after the sub-block's kernel products: one atom's stay in cache
                    DescriptorOutput g = gradientOutputs[w][t];
                    for (int a = a0, first = 0; a < a1; a++) {
                        if (exactForceRows) {
                            // the force σ needs each instance's full ∂x/∂r: the forward way
                            first += Descriptor.tallyForward(descriptors[t], work, list, a, a + 1, block.e, first,
                                    block.grad, g, tally);
                            kernelRows.add(t, g, null, forceRows[share], null, rowScratch[w]);
                        } else {
                            first += descriptors[t].tallyGradients(work, list, a, a + 1, block.e, first, block.grad,
                                    out, g, tally);
                        }
                    }
                }
            }
            if (sigmaWorker != null) {
                sigmaWorker.end(a0, a1, varianceView);
            }
        }
        if (sigmaWorker != null) {
            sigmaWorker.flush(varianceView);
        }
    }

    @Override
    public Set<Property> implementedProperties() {
        return EnumSet.copyOf(IMPLEMENTED);
    }

    /** As the interface's check, without allocating (it runs every step). */
    @Override
    public void checkRequested(Set<Property> requested) {
        if (!IMPLEMENTED.containsAll(requested)) {
            Calculator.super.checkRequested(requested);
        }
    }

    /**
     * {@inheritDoc} STRESS is computed only for a cell with a volume. Computes σ too if built with
     * {@link EvaluatorOptions#variance()}, unless {@link #localSigma(boolean)} switched it off
     * ({@link #deviations(double[])}, {@link #maxDeviation()}).
     */
    @Override
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        calculate(structure, requested, results, localSigmaMode, forceSigmaMode);
    }

    /**
     * {@link #calculate(Structure, Set, CalculationResults)} with σ of this call switched on or off: a caller that
     * needs σ only on some steps (an on-the-fly learner checking every few steps) skips its cost on the others.
     * After a call without σ, {@link #maxDeviation()} and {@link #meanDeviation()} still report the last call that
     * computed it.
     *
     * @param structure the atoms
     * @param requested what to compute
     * @param results energies (eV), forces (eV/Å), stress (eV/Å³), per-atom energies (eV)
     * @param deviations whether to compute the per-atom σ (eV) in this pass
     */
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results,
            boolean deviations) {
        calculate(structure, requested, results, deviations, ForceSigma.NONE);
    }

    /**
     * {@link #calculate(Structure, Set, CalculationResults, boolean)} with a force σ too
     * ({@link #forceDeviations(double[])}, {@link #maxForceDeviation()}).
     *
     * @param forceSigma which force σ (eV/Å) to compute in this pass; {@link ForceSigma#EXACT} needs FORCES
     *     requested, {@link ForceSigma#PROXY} computes the local-energy σ too
     * @throws UnsupportedOperationException for a force σ of a model without a posterior
     * @throws IllegalStateException for the proxy of a model without its calibration
     */
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results,
            boolean deviations, ForceSigma forceSigma) {
        checkRequested(requested);
        if (work == null || structure.size() != n || !Arrays.equals(structure.numbers(), work.numbers())
                || !samePeriodicity(structure.cell(), work.cell())) {
            resize(structure);
        }
        results.reset(n);
        work.setCell(structure.cell());
        System.arraycopy(structure.positions(), 0, work.positions(), 0, 3 * n);
        boolean stress = requested.contains(Property.STRESS) && structure.cell().hasVolume();
        boolean forces = stress || requested.contains(Property.FORCES);
        run(results, stress ? withStress : forces ? withoutStress : energiesOnly, stress ? structure.volume() : 0,
                deviations, forceSigma, false);
    }

    /** Compares periodicity without {@link Cell#pbc()}'s copies (it runs every step). */
    private static boolean samePeriodicity(Cell a, Cell b) {
        return a.periodic(0) == b.periodic(0) && a.periodic(1) == b.periodic(1) && a.periodic(2) == b.periodic(2);
    }

    /**
     * Copies the per-atom σ of the last call, which must have computed it.
     *
     * @param out N doubles to fill (eV)
     * @throws IllegalStateException if the last call did not compute σ
     */
    public void deviations(double[] out) {
        if (!deviationsValid) {
            throw new IllegalStateException("the last calculation did not compute the deviations");
        }
        System.arraycopy(deviations, 0, out, 0, n);
    }

    /**
     * {@link #calculate} with ENERGY, FORCES and ENERGIES and σ, then {@link #deviations(double[])}.
     *
     * @param structure the atoms
     * @param results energies (eV), forces (eV/Å), per-atom energies (eV)
     * @param deviations N doubles to fill with the per-atom σ (eV)
     */
    public void calculateWithDeviations(Structure structure, CalculationResults results, double[] deviations) {
        calculate(structure, withoutStress, results, true);
        deviations(deviations);
    }

    /**
     * {@inheritDoc} The σ² of the last calculation if it computed σ for these very atoms (same numbers, cell and
     * positions), else of an energy-only pass with σ; never negative.
     */
    @Override
    public double[] localVariance(Structure structure) {
        if (!(deviationsValid && sameAsLast(structure))) {
            calculate(structure, energiesOnly, own, true, ForceSigma.NONE);
        }
        double[] v = new double[n];
        for (int a = 0; a < n; a++) {
            v[a] = Math.max(0, variance[a]);
        }
        return v;
    }

    private boolean sameAsLast(Structure s) {
        return work != null && s.size() == n && Arrays.equals(s.numbers(), work.numbers())
                && Arrays.equals(s.positions(), work.positions()) && samePeriodicity(s.cell(), work.cell())
                && Arrays.equals(s.cell().matrix(), work.cell().matrix());
    }

    /** {@inheritDoc} Models fitted by Soapstone carry one; imported gap_fit models do not. */
    @Override
    public boolean hasPosterior() {
        return model.hasPosterior();
    }

    /** {@inheritDoc} Computed by the reference path. */
    @Override
    public double energyVariance(Structure structure) {
        return reference().energyVariance(structure);
    }

    /** {@inheritDoc} Computed by the reference path. */
    @Override
    public double[] forceVariance(Structure structure) {
        return reference().forceVariance(structure);
    }

    /** {@inheritDoc} Computed by the reference path. */
    @Override
    public ObservedVariance observedVariance(Structure structure, String group) {
        return reference().observedVariance(structure, group);
    }

    /** {@inheritDoc} One pass with forces and the local-energy σ. */
    @Override
    public double[] proxyForceVariance(Structure structure) {
        calculate(structure, withoutStress, own, false, ForceSigma.PROXY);
        double[] v = new double[3 * n];
        for (int k = 0; k < v.length; k++) {
            v[k] = forceDeviations[k] * forceDeviations[k];
        }
        return v;
    }

    /**
     * @return the reference path of the same model, built on first use: the energy, force and observed variances
     *     of a model with a posterior come from it until the fast path computes them in its own per-atom pass
     */
    private ReferenceGapCalculator reference() {
        if (reference == null) {
            reference = new ReferenceGapCalculator(model, pool);
        }
        return reference;
    }
}
