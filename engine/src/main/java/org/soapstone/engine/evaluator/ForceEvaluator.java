package org.soapstone.engine.evaluator;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.soapstone.engine.baseline.Baselines;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.QuipVariance;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.neighbour.VerletNeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.Kernel;

/**
 * The step-loop evaluator of a {@link GapModel}: energies (eV), forces (eV/Å), virial (eV) and, every step, each
 * atom's local-energy standard deviation (eV) for a fixed set of atoms, with no allocation on the Java heap per
 * step (a model's baseline potential, which the evaluator adds to every result, is evaluated by its own calculator).
 * Energies as {@code GapCalculator} (QUIP's {@code IPModel_GAP_Calc}): E = Σ_i e0(Z_i) + Σ_terms Σ_instances
 * f_c·e(x), each instance's energy given to its centre atom, or shared equally between the atoms of a distance_Nb
 * cluster (summed per worker, then over workers in order).
 *
 * <p><b>Memory.</b> Built once for a model and a set of atoms; it holds in off-heap memory ({@link Arena},
 * structure-of-arrays {@link MemorySegment}s of doubles) the positions, the per-atom energies and deviations, the
 * forces and one private force array per worker, and on the Java heap, allocated once, the descriptor buffers
 * ({@link DescriptorOutput}, reused: a sub-block's values, one atom's gradients), the kernel rows and gradients of
 * a block of instances and the Verlet neighbour list. The gradient pass recomputes each atom's descriptor values
 * (≈ 8 µs of a ≈ 110 µs atom-step for Si SOAP) rather than keep a sub-block's expansion coefficients. A step copies the positions into the descriptor's view once; nothing else is copied. Neither a step nor a
 * neighbour-list rebuild (an atom moved more than half the skin) allocates once the buffers have grown to the
 * largest sizes seen; a changed cell, atom count or species does.
 *
 * <p><b>Work and determinism.</b> The atoms are split into one contiguous chunk per worker of the
 * {@link WorkerPool}; each worker computes the descriptor values of its atoms in sub-blocks of {@value #SUB_BLOCK},
 * predicts each sub-block's instances together ({@link TermKernel}: one BLAS-3 product against the sparse points for
 * the kernel, one for its gradient ∂e/∂x, one for the deviations), then computes the descriptor gradients atom by
 * atom and contracts each with ∂e/∂x at once, accumulating forces and virial privately. The gradients of one atom
 * (≈ 0.2 MB for Si SOAP at 5.4 Å) stay in the core's cache; those of a whole sub-block (≈ 7 MB) did not, and
 * streaming them through the shared L3 cost 20 % of a step on one thread and more on two. The forces are
 * then summed over workers in worker order and copied to the caller's segment by the calling thread (so the
 * caller's segments may be confined to it). The same thread count gives bit-identical results. The pair vectors of
 * an unchanged neighbour list are refreshed by each worker for its own atoms; a rebuild runs on the calling
 * thread.
 *
 * <p><b>Deviations.</b> σ_a = √(σ_a²) of the local energy of atom a, in the same pass: for a model with a sparse-GP
 * posterior the posterior variance of the atom's local energy (kernel rows summed over its instances and terms,
 * prior variance Σ f_i f_j k(x_i, x_j)); for an imported gap_fit model QUIP's {@code local_gap_variance} (Σ over the
 * atom's instances of f_c² σ²(x), {@link QuipVariance}; a distance_Nb instance's f_c² σ²(x) shared equally between
 * its cluster's atoms, as QUIP shares it). For the posterior, a distance_Nb instance counts wholly towards its
 * centre's local energy (the rows of atoms it names in other workers' blocks are not at hand), so those deviations
 * are of the centre-attributed local energy. Both are k** − kᵀPk, evaluated through a
 * {@link VarianceProjection} of rank r (exact at full rank, by a triangular product; an upper bound otherwise), the
 * kernel rows of each worker queued in a {@link VarianceBatch} so that one product serves 256 rows.
 *
 * <p><b>Example</b> — a simulator that owns its arrays off-heap drives the evaluator without copies:
 * <pre>{@code
 * GapModel model = GapModel.readQuip(Path.of("gp.xml"));
 * Structure start = ExtXyz.read(Path.of("si-64.xyz")).getLast();
 * int n = start.size();
 * try (WorkerPool pool = new WorkerPool(2);
 *      ForceEvaluator ev = new ForceEvaluator(model, start, pool, EvaluatorOptions.withVariance());
 *      Arena arena = Arena.ofConfined()) {
 *     MemorySegment r = arena.allocate(JAVA_DOUBLE, 3L * n);      // positions Å, x0 y0 z0 x1 ...
 *     MemorySegment cell = arena.allocate(JAVA_DOUBLE, 9);         // lattice vectors as rows, Å
 *     MemorySegment f = arena.allocate(JAVA_DOUBLE, 3L * n);       // forces eV/Å, filled
 *     MemorySegment w = arena.allocate(JAVA_DOUBLE, 9);            // virial eV (W = −σV, row-major), filled
 *     MemorySegment e = arena.allocate(JAVA_DOUBLE, n);            // per-atom energies eV, filled
 *     MemorySegment sd = arena.allocate(JAVA_DOUBLE, n);           // per-atom deviations eV, filled
 *     MemorySegment.copy(start.positions(), 0, r, JAVA_DOUBLE, 0, 3 * n);
 *     MemorySegment.copy(start.cell().matrix(), 0, cell, JAVA_DOUBLE, 0, 9);
 *     for (int step = 0; step < 1000; step++) {
 *         double energy = ev.evaluate(r, cell, f, w, e, sd);       // eV
 *         // ... integrate: update r from f ...
 *         if (ev.maxDeviation() > 0.05) {
 *             System.out.println("atom " + ev.maxDeviationAtom() + " uncertain at step " + step);
 *             break;
 *         }
 *     }
 * }
 * }</pre>
 * Not thread-safe: one caller at a time (the workers are its own). Close it to free the off-heap memory.
 */
public final class ForceEvaluator implements Calculator, AutoCloseable {
    /** Atoms whose descriptors are computed and predicted together by one worker. */
    static final int SUB_BLOCK = 32;
    private static final Set<Property> IMPLEMENTED =
            EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS, Property.ENERGIES);

    private final GapModel model;
    private final WorkerPool pool;
    private final EvaluatorOptions options;
    private final int workers;
    private final TermKernel[] kernels;
    private final Descriptor[] descriptors;
    private final int[] column;
    private final int columns;
    private final VarianceProjection posterior;
    private final VarianceProjection[] quip;
    private final double[] quipPrior;
    private final Kernel[] priorKernels;
    private final DescriptorOutput[][] outputs;
    /** Per worker and term: one atom's instances with their gradients (the force pass). */
    private final DescriptorOutput[][] gradientOutputs;
    private final TermKernel.Block[] blocks;
    private final double[][] rows;
    private final double[][] priors;
    /** Per worker: the posterior's batch, or one batch per term for QUIP's variance; null without deviations. */
    private final VarianceBatch[][] batches;
    private final double[][] sigmaV;
    /** The model's baseline potential (null for none), its results and its virial W (eV, row-major). */
    private final Calculator baseline;
    private final CalculationResults baselineResults = new CalculationResults();
    private final double[] baselineVirial = new double[9];
    private final Set<Property> baselineWithForces = EnumSet.of(Property.ENERGY, Property.FORCES, Property.ENERGIES);
    private final Set<Property> baselineWithStress = EnumSet.of(Property.ENERGY, Property.FORCES, Property.ENERGIES,
            Property.STRESS);
    /** Per term: whether its instances' energy is shared between several atoms (distance_Nb). */
    private final boolean[] sharedTerm;
    private final boolean anyShared;

    private final VerletNeighbourList neighbours;
    private final WorkerPool.Chunk stepBody = this::step;
    private final Set<Property> withStress = EnumSet.of(Property.ENERGY, Property.FORCES, Property.ENERGIES,
            Property.STRESS);
    private final Set<Property> withoutStress = EnumSet.of(Property.ENERGY, Property.FORCES, Property.ENERGIES);
    private final Set<Property> energiesOnly = EnumSet.of(Property.ENERGY, Property.ENERGIES);

    private Arena arena;
    private Structure work;
    private int n;
    private MemorySegment ownPositions;
    private MemorySegment ownForces;
    private MemorySegment ownVirial;
    private MemorySegment localEnergy;
    private MemorySegment localVariance;
    private MemorySegment partialForces;
    private MemorySegment[] partialSlices;
    /** Per worker: energies (then variances) of shared instances, which may fall on any worker's atoms. */
    private double[][] sharedEnergy = new double[0][];
    private double[][] sharedVariance = new double[0][];
    private MemorySegment[] sharedVarianceSegments = new MemorySegment[0];
    // the current step, read by the workers (published by the pool's hand-over)
    private NeighbourList list;
    private boolean recompute;
    private boolean gradients;
    private boolean variance;
    private double maxDeviation;
    private int maxDeviationAtom;
    private double meanDeviation;

    /**
     * @param model the model (any mix of dot_product and ard_se terms)
     * @param atoms the atoms (numbers, cell with its periodicity, positions as a start); copied, not kept
     * @param pool the workers
     * @param options skin, whether to compute deviations and at which rank
     * @throws IllegalArgumentException if a species is not covered by the model's descriptors (at the first step), or
     *     the variance rank exceeds a term's number of sparse points
     */
    public ForceEvaluator(GapModel model, Structure atoms, WorkerPool pool, EvaluatorOptions options) {
        this.model = model;
        this.pool = pool;
        this.options = options;
        this.workers = pool.threads();
        List<GapTerm> terms = model.terms();
        int t = terms.size();
        kernels = new TermKernel[t];
        descriptors = new Descriptor[t];
        column = new int[t];
        int maxM = 0;
        int maxD = 0;
        int cols = 0;
        double cutoff = 0;
        for (int i = 0; i < t; i++) {
            kernels[i] = new TermKernel(terms.get(i));
            descriptors[i] = terms.get(i).descriptor().create();
            cutoff = Math.max(cutoff, descriptors[i].cutoff());
            column[i] = cols;
            cols += kernels[i].sparseCount();
            maxM = Math.max(maxM, kernels[i].sparseCount());
            maxD = Math.max(maxD, kernels[i].dimension());
        }
        columns = cols;
        neighbours = new VerletNeighbourList(cutoff, options.skin(), true);
        boolean var = options.variance();
        if (var && model.hasPosterior()) {
            posterior = VarianceProjection.ofPosterior(model.posterior(), rank(options.varianceRank(), columns));
            quip = null;
            quipPrior = null;
            priorKernels = new Kernel[t];
            for (int i = 0; i < t; i++) {
                priorKernels[i] = GapKernelRows.kernel(terms.get(i));
            }
        } else if (var) {
            posterior = null;
            priorKernels = null;
            quip = new VarianceProjection[t];
            quipPrior = new double[t];
            for (int i = 0; i < t; i++) {
                quip[i] = VarianceProjection.ofQuipTerm(terms.get(i), rank(options.varianceRank(),
                        terms.get(i).sparseCount()));
                quipPrior[i] = QuipVariance.priorVariance(terms.get(i));
            }
        } else {
            posterior = null;
            quip = null;
            quipPrior = null;
            priorKernels = null;
        }
        baseline = model.hasBaseline() ? Baselines.calculator(model.baseline(), pool) : null;
        sharedTerm = new boolean[t];
        boolean shared = false;
        for (int i = 0; i < t; i++) {
            sharedTerm[i] = descriptors[i].newOutput().energyShares() > 1;
            shared |= sharedTerm[i];
        }
        anyShared = shared;
        outputs = new DescriptorOutput[workers][t];
        gradientOutputs = new DescriptorOutput[workers][t];
        blocks = new TermKernel.Block[workers];
        rows = new double[workers][];
        priors = new double[workers][SUB_BLOCK];
        batches = new VarianceBatch[workers][];

        // 16, not 9: each worker's virial accumulators (updated per neighbour) on cache lines of their own
        sigmaV = new double[workers][16];
        for (int w = 0; w < workers; w++) {
            for (int i = 0; i < t; i++) {
                outputs[w][i] = descriptors[i].newOutput();
                gradientOutputs[w][i] = descriptors[i].newOutput();
            }
            blocks[w] = new TermKernel.Block();
            blocks[w].ensure(SUB_BLOCK, maxM, maxD);
            rows[w] = posterior != null ? new double[SUB_BLOCK * columns] : new double[0];
            if (posterior != null) {
                batches[w] = new VarianceBatch[] {new VarianceBatch(posterior)};
            } else if (quip != null) {
                batches[w] = new VarianceBatch[t];
                for (int i = 0; i < t; i++) {
                    batches[w][i] = new VarianceBatch(quip[i]);
                }
            }
        }
        resize(atoms);
    }

    private static int rank(int requested, int m) {
        return requested == 0 ? m : Math.min(requested, m);
    }

    /** (Re)allocates the off-heap state for {@code atoms}' size, species and cell. */
    private void resize(Structure atoms) {
        if (arena != null) {
            arena.close();
        }
        n = atoms.size();
        work = new Structure(atoms.numbers().clone(), atoms.positions().clone(), atoms.masses().clone(),
                atoms.cell());
        arena = Arena.ofShared();
        long n3 = 3L * n;
        ownPositions = arena.allocate(JAVA_DOUBLE, Math.max(1, n3));
        ownForces = arena.allocate(JAVA_DOUBLE, Math.max(1, n3));
        ownVirial = arena.allocate(JAVA_DOUBLE, 9);
        localEnergy = arena.allocate(JAVA_DOUBLE, Math.max(1, n));
        localVariance = arena.allocate(JAVA_DOUBLE, Math.max(1, n));
        partialForces = arena.allocate(JAVA_DOUBLE, Math.max(1, workers * n3));
        sharedEnergy = new double[anyShared ? workers : 0][n];
        sharedVariance = new double[anyShared ? workers : 0][n];
        sharedVarianceSegments = new MemorySegment[sharedVariance.length];
        for (int w = 0; w < sharedVariance.length; w++) {
            sharedVarianceSegments[w] = MemorySegment.ofArray(sharedVariance[w]);
        }
        partialSlices = new MemorySegment[workers];
        for (int w = 0; w < workers; w++) {
            partialSlices[w] = partialForces.asSlice(8 * w * n3, 8 * n3);
        }
    }

    /** @return the number of atoms the evaluator is sized for */
    public int size() {
        return n;
    }

    /** @return the options it was built with */
    public EvaluatorOptions options() {
        return options;
    }

    /** @return the variance projection of a model with a posterior (null otherwise or without deviations) */
    public VarianceProjection posteriorProjection() {
        return posterior;
    }

    /**
     * One evaluation into caller-owned memory: reads {@code positions} (and {@code cell}), fills what is non-null.
     * Allocates nothing on the Java heap unless the neighbour list must be rebuilt or the cell changed.
     *
     * @param positions 3N doubles, atom-major x, y, z (Å)
     * @param cell 9 doubles, the lattice vectors as rows (Å), or null to keep the current cell (the periodicity is
     *     the one of the structure the evaluator was built with)
     * @param forces 3N doubles to fill (eV/Å), or null for energies only
     * @param virial 9 doubles to fill, W = −σV row-major (eV), or null; needs {@code forces}
     * @param energies N doubles to fill with the per-atom energies (eV), or null
     * @param deviations N doubles to fill with the per-atom local-energy standard deviations (eV), or null; needs
     *     an evaluator built with {@link EvaluatorOptions#variance()}
     * @return the total energy (eV)
     * @throws IllegalArgumentException if a segment is too small or an output is requested that cannot be given
     */
    public double evaluate(MemorySegment positions, MemorySegment cell, MemorySegment forces, MemorySegment virial,
            MemorySegment energies, MemorySegment deviations) {
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
            if (!options.variance()) {
                throw new IllegalArgumentException("deviations need an evaluator built with variance on");
            }
        }
        MemorySegment.copy(positions, JAVA_DOUBLE, 0, work.positions(), 0, (int) n3);
        if (cell != null) {
            checkSize(cell, 9, "cell");
            updateCell(cell);
        }
        // a rebuild runs here; otherwise each worker refreshes the pair vectors of its own atoms in step()
        recompute = !neighbours.rebuildIfNeeded(work);
        list = neighbours.list();
        gradients = forces != null;
        variance = deviations != null;
        pool.forEachChunk(n, stepBody);
        if (anyShared) {
            addShared(sharedEnergy, localEnergy);
            if (variance) {
                addShared(sharedVariance, localVariance);
            }
        }
        if (gradients) {
            reduceForces();
        }
        if (baseline != null) {
            addBaseline(virial != null);
        }
        if (gradients && forces != ownForces) {
            MemorySegment.copy(ownForces, 0, forces, 0, 8 * n3);
        }
        double e = 0;
        for (int a = 0; a < n; a++) {
            e += localEnergy.getAtIndex(JAVA_DOUBLE, a);
        }
        if (energies != null) {
            MemorySegment.copy(localEnergy, 0, energies, 0, 8L * n);
        }
        if (virial != null) {
            for (int k = 0; k < 9; k++) {
                double s = 0;
                for (int w = 0; w < workers; w++) {
                    s += sigmaV[w][k];
                }
                virial.setAtIndex(JAVA_DOUBLE, k, -s + baselineVirial[k]);
            }
        }
        if (variance) {
            summariseDeviations(deviations);
        }
        return e;
    }

    /**
     * Adds the model's baseline potential: its per-atom energies to the local energies, its forces to the forces (when
     * computed), and its virial into {@link #baselineVirial} — W = −σV from its stress for a cell with a volume, else
     * Σ_i r_i ⊗ F_i (the same for a translation-invariant energy of a finite system).
     */
    private void addBaseline(boolean withVirial) {
        boolean stress = withVirial && work.cell().hasVolume();
        baseline.calculate(work, gradients ? (stress ? baselineWithStress : baselineWithForces) : energiesOnly,
                baselineResults);
        CalculationResults b = baselineResults;
        for (int a = 0; a < n; a++) {
            localEnergy.setAtIndex(JAVA_DOUBLE, a, localEnergy.getAtIndex(JAVA_DOUBLE, a) + b.energies[a]);
        }
        if (gradients) {
            for (int k = 0; k < 3 * n; k++) {
                ownForces.setAtIndex(JAVA_DOUBLE, k, ownForces.getAtIndex(JAVA_DOUBLE, k) + b.forces[k]);
            }
        }
        java.util.Arrays.fill(baselineVirial, 0);
        if (!withVirial) {
            return;
        }
        if (stress) {
            double v = -work.volume();
            double[] st = b.stress;
            baselineVirial[0] = v * st[0];
            baselineVirial[4] = v * st[1];
            baselineVirial[8] = v * st[2];
            baselineVirial[5] = baselineVirial[7] = v * st[3];
            baselineVirial[2] = baselineVirial[6] = v * st[4];
            baselineVirial[1] = baselineVirial[3] = v * st[5];
            return;
        }
        double[] r = work.positions();
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    baselineVirial[3 * i + j] += r[3 * a + i] * b.forces[3 * a + j];
                }
            }
        }
    }

    /** Adds the workers' per-atom sums of shared instances to {@code perAtom}, in worker order. */
    private void addShared(double[][] partial, MemorySegment perAtom) {
        for (double[] p : partial) {
            for (int a = 0; a < n; a++) {
                perAtom.setAtIndex(JAVA_DOUBLE, a, perAtom.getAtIndex(JAVA_DOUBLE, a) + p[a]);
            }
        }
    }

    private static void checkSize(MemorySegment s, long doubles, String name) {
        if (s.byteSize() < 8 * doubles) {
            throw new IllegalArgumentException(name + " segment holds " + s.byteSize() / 8 + " doubles, needs "
                    + doubles);
        }
    }

    private void updateCell(MemorySegment cell) {
        Cell c = work.cell();
        boolean same = true;
        for (int i = 0; i < 3 && same; i++) {
            for (int k = 0; k < 3; k++) {
                if (c.vector(i, k) != cell.getAtIndex(JAVA_DOUBLE, 3 * i + k)) {
                    same = false;
                    break;
                }
            }
        }
        if (!same) {
            work.setCell(new Cell(cell.toArray(JAVA_DOUBLE), c.pbc()));
        }
    }

    private void summariseDeviations(MemorySegment deviations) {
        double max = -1;
        int at = -1;
        double sum = 0;
        for (int a = 0; a < n; a++) {
            double s = Math.sqrt(Math.max(0, localVariance.getAtIndex(JAVA_DOUBLE, a)));
            // after a step the variance buffer holds the deviations, for deviations(double[])
            localVariance.setAtIndex(JAVA_DOUBLE, a, s);
            deviations.setAtIndex(JAVA_DOUBLE, a, s);
            sum += s;
            if (s > max) {
                max = s;
                at = a;
            }
        }
        maxDeviation = max;
        maxDeviationAtom = at;
        meanDeviation = n == 0 ? 0 : sum / n;
    }

    /** @return the largest per-atom deviation of the last evaluation that computed deviations (eV) */
    public double maxDeviation() {
        return maxDeviation;
    }

    /** @return the atom (0-based) with the largest deviation of the last evaluation that computed them */
    public int maxDeviationAtom() {
        return maxDeviationAtom;
    }

    /** @return the mean per-atom deviation of the last evaluation that computed deviations (eV) */
    public double meanDeviation() {
        return meanDeviation;
    }

    /** One worker's atoms [from, to): descriptors, predictions, private forces and virial. */
    private void step(int w, int from, int to) {
        long stride = 3L * n;
        long base = w * stride;
        if (recompute) {
            list.recompute(work, from, to);
        }
        if (gradients) {
            partialSlices[w].fill((byte) 0);
        }
        java.util.Arrays.fill(sigmaV[w], 0);
        if (anyShared) {
            java.util.Arrays.fill(sharedEnergy[w], 0);
            java.util.Arrays.fill(sharedVariance[w], 0);
        }
        int[] z = work.numbers();
        for (int a0 = from; a0 < to; a0 += SUB_BLOCK) {
            int a1 = Math.min(to, a0 + SUB_BLOCK);
            for (int a = a0; a < a1; a++) {
                localEnergy.setAtIndex(JAVA_DOUBLE, a, model.e0(z[a]));
                localVariance.setAtIndex(JAVA_DOUBLE, a, 0);
            }
            if (variance && posterior != null) {
                java.util.Arrays.fill(rows[w], 0, (a1 - a0) * columns, 0);
                java.util.Arrays.fill(priors[w], 0);
            }
            for (int t = 0; t < kernels.length; t++) {
                DescriptorOutput out = outputs[w][t];
                descriptors[t].compute(work, list, a0, a1, false, out);
                predict(w, t, out, a0);
                if (variance && posterior != null) {
                    addPriorVariance(w, t, out, a0);
                }
                if (gradients) {
                    DescriptorOutput g = gradientOutputs[w][t];
                    for (int a = a0, first = 0; a < a1; a++, first += g.count()) {
                        descriptors[t].compute(work, list, a, a + 1, true, g);
                        addForces(w, t, g, first, base);
                    }
                }
            }
            if (variance && posterior != null) {
                for (int a = a0; a < a1; a++) {
                    batches[w][0].add(rows[w], (a - a0) * columns, a, priors[w][a - a0], 1, localVariance);
                }
            }
        }
        if (variance) {
            for (int t = 0; t < batches[w].length; t++) {
                batches[w][t].flush(quip != null && sharedTerm[t] ? sharedSegment(w) : localVariance);
            }
        }
    }

    /** Worker w's variances of shared instances as a segment (the batches write through it). */
    private MemorySegment sharedSegment(int w) {
        return sharedVarianceSegments[w];
    }

    /** Predicts one term's instances of a sub-block starting at atom a0: local energies and variance rows. */
    private void predict(int w, int t, DescriptorOutput out, int a0) {
        TermKernel kernel = kernels[t];
        TermKernel.Block block = blocks[w];
        int m = kernel.sparseCount();
        int count = out.count();
        kernel.predict(out.values(), count, gradients, block);
        double[] k = block.k;
        for (int i = 0; i < count; i++) {
            int centre = out.centre(i);
            double fc = out.cutoffWeight(i);
            if (sharedTerm[t]) {
                int shares = out.energyShares();
                double part = fc * block.e[i] / shares;
                for (int a = 0; a < shares; a++) {
                    sharedEnergy[w][out.energyAtom(i, a)] += part;
                }
            } else {
                localEnergy.setAtIndex(JAVA_DOUBLE, centre,
                        localEnergy.getAtIndex(JAVA_DOUBLE, centre) + fc * block.e[i]);
            }
            if (variance && posterior != null) {
                double[] r = rows[w];
                int row = (centre - a0) * columns + column[t];
                for (int s = 0; s < m; s++) {
                    r[row + s] += fc * k[i * m + s];
                }
            }
        }
        if (variance && quip != null) {
            addQuipVariances(w, t, out);
        }
    }

    /**
     * Adds one atom's instances of term t to worker w's forces and virial: {@code out} holds them with their
     * gradients, and they are the block's instances {@code first, first + 1, …} (whose energies and ∂e/∂x the
     * block holds). Computing the gradients atom by atom, after the block's kernel products, keeps them in cache.
     */
    private void addForces(int w, int t, DescriptorOutput out, int first, long forceBase) {
        TermKernel.Block block = blocks[w];
        int d = out.dimension();
        double[] dx = out.gradients();
        double[] off = out.gradientOffsets();
        double[] dw = out.cutoffWeightGradients();
        double[] sv = sigmaV[w];
        double[] g = block.grad;
        for (int i = 0; i < out.count(); i++) {
            int b = first + i;
            double fc = out.cutoffWeight(i);
            double e = block.e[b];
            int gb = b * d;
            for (int en = out.gradientStart(i); en < out.gradientEnd(i); en++) {
                int atom = out.gradientAtom(en);
                int r0 = 3 * en * d, r1 = r0 + d, r2 = r1 + d;
                double s0 = 0, s1 = 0, s2 = 0;
                for (int j = 0; j < d; j++) {
                    double gj = g[gb + j];
                    s0 += gj * dx[r0 + j];
                    s1 += gj * dx[r1 + j];
                    s2 += gj * dx[r2 + j];
                }
                double d0 = fc * s0 + e * dw[3 * en];
                double d1 = fc * s1 + e * dw[3 * en + 1];
                double d2 = fc * s2 + e * dw[3 * en + 2];
                long f = forceBase + 3L * atom;
                partialForces.setAtIndex(JAVA_DOUBLE, f, partialForces.getAtIndex(JAVA_DOUBLE, f) - d0);
                partialForces.setAtIndex(JAVA_DOUBLE, f + 1, partialForces.getAtIndex(JAVA_DOUBLE, f + 1) - d1);
                partialForces.setAtIndex(JAVA_DOUBLE, f + 2, partialForces.getAtIndex(JAVA_DOUBLE, f + 2) - d2);
                for (int a = 0; a < 3; a++) {
                    double o = off[3 * en + a];
                    sv[3 * a] += o * d0;
                    sv[3 * a + 1] += o * d1;
                    sv[3 * a + 2] += o * d2;
                }
            }
        }
    }

    /** Queues QUIP's variance of every instance of one term in the sub-block, f_c²(k** − kᵀPk), for its centre. */
    private void addQuipVariances(int w, int t, DescriptorOutput out) {
        int count = out.count();
        int m = quip[t].sparseCount();
        double[] k = blocks[w].k;
        if (sharedTerm[t]) {
            MemorySegment shared = sharedSegment(w);
            int shares = out.energyShares();
            for (int i = 0; i < count; i++) {
                double fc = out.cutoffWeight(i);
                for (int s = 0; s < shares; s++) {
                    batches[w][t].add(k, i * m, out.energyAtom(i, s), quipPrior[t], fc * fc / shares, shared);
                }
            }
            return;
        }
        for (int i = 0; i < count; i++) {
            double fc = out.cutoffWeight(i);
            batches[w][t].add(k, i * m, out.centre(i), quipPrior[t], fc * fc, localVariance);
        }
    }

    /** Adds Σ f_i f_j k(x_i, x_j) over pairs of each atom's instances of term t to the sub-block's priors. */
    private void addPriorVariance(int w, int t, DescriptorOutput out, int a0) {
        Kernel kernel = priorKernels[t];
        double[] x = out.values();
        int d = out.dimension();
        int count = out.count();
        for (int i0 = 0; i0 < count; ) {
            int centre = out.centre(i0);
            int i1 = i0 + 1;
            while (i1 < count && out.centre(i1) == centre) {
                i1++;
            }
            double v = 0;
            for (int i = i0; i < i1; i++) {
                for (int j = i0; j < i1; j++) {
                    v += out.cutoffWeight(i) * out.cutoffWeight(j) * kernel.value(x, i * d, x, j * d, d);
                }
            }
            priors[w][centre - a0] += v;
            i0 = i1;
        }
    }

    /**
     * The forces: the workers' partial forces summed in worker order, on the calling thread — 3N·workers additions,
     * under 0.1 % of a step even at 32768 atoms, cheaper than waking the workers once more.
     */
    private void reduceForces() {
        long stride = 3L * n;
        for (long c = 0; c < stride; c++) {
            double s = 0;
            for (int p = 0; p < workers; p++) {
                s += partialForces.getAtIndex(JAVA_DOUBLE, p * stride + c);
            }
            ownForces.setAtIndex(JAVA_DOUBLE, c, s);
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
     * {@inheritDoc} A structure of another size or other species re-sizes the evaluator (allocating); STRESS is
     * computed only for a cell with a volume. An evaluator built with deviations also computes them, in the same
     * pass ({@link #deviations(double[])}, {@link #maxDeviation()}).
     */
    @Override
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        calculate(structure, requested, results, options.variance());
    }

    /**
     * {@link #calculate(Structure, Set, CalculationResults)} with the deviations of this call switched on or off:
     * a caller that needs σ only on some steps (e.g. an on-the-fly learner checking every few steps) skips their
     * cost on the others. After a call without deviations, {@link #maxDeviation()} and {@link #meanDeviation()}
     * still report the last call that computed them, and {@link #deviations(double[])} is not meaningful.
     *
     * @param structure the atoms
     * @param requested what to compute
     * @param results energies (eV), forces (eV/Å), stress (eV/Å³), per-atom energies (eV)
     * @param deviations whether to compute the per-atom deviations (eV) in this pass
     * @throws IllegalArgumentException if deviations are asked of an evaluator built without them
     */
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results,
            boolean deviations) {
        checkRequested(requested);
        if (structure.size() != n || !java.util.Arrays.equals(structure.numbers(), work.numbers())
                || !samePeriodicity(structure.cell(), work.cell())) {
            resize(structure);
        }
        results.reset(n);
        work.setCell(structure.cell());
        boolean stress = requested.contains(Property.STRESS) && structure.cell().hasVolume();
        boolean forces = stress || requested.contains(Property.FORCES);
        MemorySegment.copy(structure.positions(), 0, ownPositions, JAVA_DOUBLE, 0, 3 * n);
        double e = evaluate(ownPositions, null, forces ? ownForces : null, stress ? ownVirial : null, null,
                deviations ? localVariance : null);
        results.energy = e;
        MemorySegment.copy(localEnergy, JAVA_DOUBLE, 0, results.energies, 0, n);
        if (forces) {
            MemorySegment.copy(ownForces, JAVA_DOUBLE, 0, results.forces, 0, 3 * n);
        }
        if (stress) {
            double v = -1 / structure.volume();
            double[] s = results.stress;
            s[0] = v * ownVirial.getAtIndex(JAVA_DOUBLE, 0);
            s[1] = v * ownVirial.getAtIndex(JAVA_DOUBLE, 4);
            s[2] = v * ownVirial.getAtIndex(JAVA_DOUBLE, 8);
            s[3] = v * 0.5 * (ownVirial.getAtIndex(JAVA_DOUBLE, 5) + ownVirial.getAtIndex(JAVA_DOUBLE, 7));
            s[4] = v * 0.5 * (ownVirial.getAtIndex(JAVA_DOUBLE, 2) + ownVirial.getAtIndex(JAVA_DOUBLE, 6));
            s[5] = v * 0.5 * (ownVirial.getAtIndex(JAVA_DOUBLE, 1) + ownVirial.getAtIndex(JAVA_DOUBLE, 3));
        }
        results.markComputed(stress ? withStress : forces ? withoutStress : energiesOnly);
    }

    /** Compares periodicity without {@link Cell#pbc()}'s copies (it runs every step). */
    private static boolean samePeriodicity(Cell a, Cell b) {
        return a.periodic(0) == b.periodic(0) && a.periodic(1) == b.periodic(1) && a.periodic(2) == b.periodic(2);
    }

    /**
     * Copies the per-atom local-energy deviations of the last {@link #calculate} or {@link #evaluate} that computed
     * them (an evaluator built with deviations computes them in every {@code calculate}).
     *
     * @param out N doubles to fill (eV)
     */
    public void deviations(double[] out) {
        if (!options.variance()) {
            throw new IllegalStateException("this evaluator was built without deviations");
        }
        MemorySegment.copy(localVariance, JAVA_DOUBLE, 0, out, 0, n);
    }

    /**
     * {@link #calculate} with ENERGY, FORCES and ENERGIES, then {@link #deviations(double[])}.
     *
     * @param structure the atoms
     * @param results energies (eV), forces (eV/Å), per-atom energies (eV)
     * @param deviations N doubles to fill with the per-atom deviations (eV)
     */
    public void calculateWithDeviations(Structure structure, CalculationResults results, double[] deviations) {
        calculate(structure, withoutStress, results);
        deviations(deviations);
    }

    /** Frees the off-heap memory; the evaluator cannot be used afterwards. */
    @Override
    public void close() {
        if (arena != null) {
            arena.close();
            arena = null;
        }
    }
}
