package org.soapstone.engine.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.soapstone.engine.baseline.Baseline;
import org.soapstone.engine.baseline.Baselines;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.gp.DesignBlock;
import org.soapstone.gp.Kernel;
import org.soapstone.gp.QrAccumulator;
import org.soapstone.gp.StreamedQrFit;
import org.soapstone.gp.SparsePointBorder;
import org.soapstone.gp.TriangularFactor;

/**
 * A GAP fit that grows without refitting: new training frames are folded into the streamed QR
 * ({@link QrAccumulator#add}, cost O(rows·M²) for the new rows only), new sparse points border the factors
 * ({@link SparsePointBorder}). Same model as {@link SparseGpSolve#fit} with the same sparse points and frames, to
 * rounding (see {@link SparsePointBorder} for the stability trade-off).
 *
 * <p>What a border needs from the N old observation rows. With A = Λ^{-1/2}K_NM the old whitened design, b =
 * Λ^{-1/2}y and a = Λ^{-1/2}K_{N,new} (N × m) the new kernel columns, {@link SparsePointBorder} needs Aᵀa, aᵀa
 * and the residual rows E = [a b] − A[X α] (formed explicitly: the Schur complement aᵀa − TᵀT loses log₁₀κ
 * digits). So it needs (i) [A b], and (ii) a. Since the TSQR discarded Q, no product of R alone gives Aᵀa — the
 * corrected semi-normal equations need A too. (i) does not depend on the new points: a frame's rows are computed
 * once, when it joins (the QR needs them then anyway), and kept ({@link DesignRowStore}: 8·rows·(M+1) bytes, 24
 * bytes per force-fitted atom and sparse point, 160 KiB for a 64-atom frame at M = 104), each border appending
 * its a. (ii) depends on the new points, and a force or virial row of a point z needs J·z for every descriptor
 * gradient J = ∂q_i/∂r_a of the frame, so no summary smaller than the gradients themselves gives it exactly;
 * those are ~20× the rows at M ≈ 100 (SOAP n6 l4: 1450 entries × 3 × 106 doubles = 3.7 MB per 64-atom frame;
 * ~264 KB per atom for n8 l8), so they are recomputed, for the last term only, and contracted with the m new
 * points only. Per old frame a border then costs its descriptors with gradients + O(entries·D·m) + O(rows·M·m)
 * for the two passes, against a refit's descriptors + O(entries·D·M) + O(rows·M²): both linear in N, but the
 * border's kernel and product terms scale with m·M where the refit's scale with M², and the descriptor pass is
 * its floor. Measured ({@code LearnUpdateBenchmark}, 64-atom Si, SOAP n6 l4): a learner call (one frame, four
 * points) costs 0.41–0.44 of a refit at M = 100 (≈ 1.9× the descriptor pass) and 0.07 at M = 1000. Blocks whose
 * rows exceed the budget (default a quarter of the heap) keep only their frames and are recomputed on all M + m
 * columns, in both passes, as a refit would.
 *
 * <p>New sparse points of the last term are bordered directly (its columns are the last ones, so the border appends
 * columns and K_MM stays block diagonal); any other term is first moved last by renaming the columns of R̃, U and
 * the kept rows. Not thread-safe.
 *
 * <p>Reference: Vandermause et al., npj Comput. Mater. 6, 20 (2020) (on-the-fly sparse GP); Deringer et al.,
 * Chem. Rev. 121, 10073 (2021), sec. 3.3 (the QR solution); Björck, Numerical Methods for Least Squares Problems
 * (SIAM 1996), sec. 2.8 (corrected semi-normal equations).
 */
public final class IncrementalGapFit {
    private final String label;
    private final double[] e0;
    private final double jitter;
    private final int threads;
    private final List<TrainingFrame> frames = new ArrayList<>();
    /**
     * A border is followed by a QR of the kept rows (R̃ anew) when that costs at most this many flops (≈ 0.2–0.5 s),
     * else after every {@link #REFACTORISE_EVERY}-th border. The border's corrected semi-normal equations lose
     * digits with κ(R), and successive borders compound it: learning from 8-atom SW frames, 80 sparse points added
     * in 20 borders left the model 4·10⁻³ eV/Å from a full fit; re-factorised, 10⁻⁹.
     */
    private static final double REFACTORISE_FLOPS = 2e10;
    private static final int REFACTORISE_EVERY = 4;

    private final DesignRowStore rows;
    /** The model's baseline potential (null for none): subtracted from every frame's labels, kept by the model. */
    private final Baseline baseline;
    private final Calculator baselineCalculator;
    private int bordersSinceFactorisation;
    private List<GapTerm> terms;
    private TriangularFactor upper;
    private QrAccumulator fit;
    /** The calibration given to every model of this fit (the resumed model's, or set); null if none. */
    private SigmaCalibration calibration;

    private IncrementalGapFit(String label, double[] e0, List<GapTerm> terms, double jitter, int threads,
            TriangularFactor upper, QrAccumulator fit, List<TrainingFrame> frames, DesignRowStore rows,
            Baseline baseline, Calculator baselineCalculator) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.baseline = baseline;
        this.baselineCalculator = baselineCalculator;
        this.label = label;
        this.e0 = e0.clone();
        this.terms = List.copyOf(terms);
        this.jitter = jitter;
        this.threads = threads;
        this.upper = upper;
        this.fit = fit;
        this.frames.addAll(frames);
        this.rows = rows;
    }

    /**
     * A full fit to start from.
     *
     * @param e0 energy per isolated atom by Z (eV), length 119
     * @param terms the terms with their sparse points (α ignored)
     * @param jitter {@code sparse_jitter} (eV²)
     */
    public static IncrementalGapFit fit(String label, double[] e0, List<GapTerm> terms, List<TrainingFrame> frames,
            double jitter, int threads) {
        return fit(label, e0, terms, frames, jitter, threads, DesignRowStore.defaultBudget());
    }

    /** As {@link #fit(String, double[], List, List, double, int)}, keeping at most {@code rowBudget} bytes of rows. */
    static IncrementalGapFit fit(String label, double[] e0, List<GapTerm> terms, List<TrainingFrame> frames,
            double jitter, int threads, long rowBudget) {
        GapKernelRows kernelRows = new GapKernelRows(terms);
        int m = kernelRows.columns();
        TriangularFactor u = TriangularFactor.cholesky(kernelRows.sparseCovariance(), m, jitter);
        FitDesign design = new FitDesign(kernelRows, e0);
        List<List<TrainingFrame>> blocks = SparseGpSolve.blocks(frames);
        DesignBlock[] kept = new DesignBlock[blocks.size()];
        // which blocks are kept is decided in block order, not in the order the workers finish them
        boolean[] keep = new boolean[blocks.size()];
        long reserved = 0;
        for (int i = 0; i < blocks.size(); i++) {
            reserved += bytes(blocks.get(i), m);
            keep[i] = reserved <= rowBudget;
        }
        QrAccumulator data = StreamedQrFit.accumulate(IntStream.range(0, blocks.size()).boxed().toList(),
                i -> {
                    DesignBlock block = design.assemble(blocks.get(i));
                    if (keep[i]) {
                        kept[i] = copy(block);
                    }
                    return block;
                }, m, threads);
        QrAccumulator acc = QrAccumulator.prior(u);
        acc.merge(data);
        DesignRowStore store = new DesignRowStore(rowBudget);
        for (int i = 0; i < blocks.size(); i++) {
            store.append(blocks.get(i), kept[i]);
        }
        return new IncrementalGapFit(label, e0, terms, jitter, threads, u, acc, frames, store, null, null);
    }

    /**
     * Carries on from a saved model with its posterior (no refit): {@code frames} must be exactly the frames it was
     * fitted to, with the same σ and e0 (checked by the row count only). Their design rows are computed at the
     * first border and kept from then on.
     *
     * @throws IllegalArgumentException if the model has no posterior or the frames' rows do not match it
     */
    public static IncrementalGapFit resume(GapModel model, List<TrainingFrame> frames, double jitter, int threads) {
        return resume(model, frames, jitter, threads, DesignRowStore.defaultBudget());
    }

    /** As {@link #resume(GapModel, List, double, int)}, keeping at most {@code rowBudget} bytes of rows. */
    static IncrementalGapFit resume(GapModel model, List<TrainingFrame> frames, double jitter, int threads,
            long rowBudget) {
        if (!model.hasPosterior()) {
            throw new IllegalArgumentException("the model has no posterior (a gap_fit XML model?); learning needs "
                    + "Soapstone's model file");
        }
        Calculator baselineCalculator = model.hasBaseline()
                ? Baselines.calculator(model.baseline(), WorkerPool.shared()) : null;
        frames = minus(baselineCalculator, frames);
        long count = 0;
        for (TrainingFrame f : frames) {
            count += FitDesign.rowCount(f);
        }
        if (count != model.posterior().observations()) {
            throw new IllegalArgumentException("the training frames give " + count + " observations, the model was "
                    + "fitted to " + model.posterior().observations());
        }
        DesignRowStore store = new DesignRowStore(rowBudget);
        for (List<TrainingFrame> block : SparseGpSolve.blocks(frames)) {
            store.append(block, null);
        }
        IncrementalGapFit resumed = new IncrementalGapFit(model.label(), model.e0(), model.terms(), jitter, threads,
                model.posterior().sparseCholesky(), model.posterior().accumulator(), frames, store,
                model.baseline(), baselineCalculator);
        resumed.calibration = model.calibration();
        return resumed;
    }

    /** The frames with a baseline's energies, forces and virials subtracted from their labels (as given without). */
    private static List<TrainingFrame> minus(Calculator baseline, List<TrainingFrame> frames) {
        if (baseline == null) {
            return frames;
        }
        List<TrainingFrame> out = new ArrayList<>(frames.size());
        for (TrainingFrame f : frames) {
            out.add(TrainingSet.minus(baseline, f, java.nio.file.Path.of("the learner's frames")));
        }
        return out;
    }

    /**
     * Folds new frames in: O(rows·M²), independent of the frames already seen; their rows are kept. Their labels are
     * the reference's: a model's baseline potential is subtracted here.
     */
    public void addFrames(List<TrainingFrame> added) {
        if (added.isEmpty()) {
            return;
        }
        added = minus(baselineCalculator, added);
        DesignBlock block = new FitDesign(new GapKernelRows(terms), e0).assemble(added);
        DesignBlock kept = copy(block);
        fit.add(block);
        frames.addAll(added);
        rows.append(added, kept);
    }

    /**
     * Adds sparse points to the last term by a bordered update (the only term of a one-descriptor model; see
     * {@link #addSparsePoints(int, double[], double[])} for any term): the old frames' descriptors are recomputed
     * for the m new kernel columns only, the old columns come from the kept rows (see the class comment).
     *
     * @param x the new points, row-major m × D (the last term's descriptor vectors)
     * @param cutoff their cutoff weights c_s, m values
     * @throws IllegalArgumentException if the shapes do not match
     * @throws org.soapstone.gp.DependentSparsePointsException if the new points are numerically dependent on the
     *     sparse set (e.g. a duplicate); the fit is unchanged then
     */
    public void addSparsePoints(double[] x, double[] cutoff) {
        int last = terms.size() - 1;
        GapTerm term = terms.get(last);
        int d = term.dimension();
        int added = cutoff.length;
        if (added == 0) {
            return;
        }
        if (x.length != added * d) {
            throw new IllegalArgumentException(added + " new sparse points of dimension " + d + " need " + added * d
                    + " numbers, got " + x.length);
        }
        int oldTerm = term.sparseCount();
        double[] sx = Arrays.copyOf(term.sparseX(), (oldTerm + added) * d);
        System.arraycopy(x, 0, sx, oldTerm * d, x.length);
        double[] sc = Arrays.copyOf(term.sparseCutoff(), oldTerm + added);
        System.arraycopy(cutoff, 0, sc, oldTerm, added);
        GapTerm grown = new GapTerm(term.label(), term.descriptor(), term.covariance(), term.delta(), term.f0(),
                term.zeta(), term.theta(), sx, new double[oldTerm + added], sc);
        GapTerm onlyNew = new GapTerm(term.label(), term.descriptor(), term.covariance(), term.delta(), term.f0(),
                term.zeta(), term.theta(), x.clone(), new double[added], cutoff.clone());
        List<GapTerm> newTerms = new ArrayList<>(terms);
        newTerms.set(last, grown);
        GapKernelRows grownRows = new GapKernelRows(newTerms);
        int m = fit.sparseCount();
        int offset = grownRows.column(last);
        Kernel kernel = grownRows.kernel(last);
        double[] kNewOld = new double[added * oldTerm];
        kernel.matrix(x, added, term.sparseX(), oldTerm, d, kNewOld);
        double[] kOldNew = new double[m * added];
        double[] oldCutoff = term.sparseCutoff();
        for (int j = 0; j < added; j++) {
            for (int i = 0; i < oldTerm; i++) {
                kOldNew[offset + i + j * m] = oldCutoff[i] * kNewOld[j * oldTerm + i] * cutoff[j];
            }
        }
        double[] kNewNew = new double[added * added];
        kernel.matrix(x, added, x, added, d, kNewNew);
        for (int j = 0; j < added; j++) {
            for (int i = 0; i < added; i++) {
                kNewNew[i + j * added] *= cutoff[i] * cutoff[j];
            }
        }
        FitDesign full = new FitDesign(grownRows, e0);
        FitDesign newColumns = new FitDesign(new GapKernelRows(List.of(onlyNew)), e0);
        SparsePointBorder.Bordered b;
        try {
            SparsePointBorder border = firstPass(full, newColumns, m, added);
            border.project(upper, fit, kOldNew, kNewNew, jitter);
            for (int i = 0; i < rows.size(); i++) {
                DesignBlock block = rows.rows(i);
                border.addResidual(block != null ? block : full.assemble(rows.frames(i)));
            }
            b = border.finish();
        } catch (RuntimeException e) {
            rows.truncate(m);
            rows.trim();
            throw e;
        }
        rows.trim();
        terms = List.copyOf(newTerms);
        upper = b.upperCholesky();
        fit = b.accumulator();
        bordersSinceFactorisation++;
        double size = fit.sparseCount();
        if (allRowsKept() && (2.0 * fit.rows() * size * size <= REFACTORISE_FLOPS
                || bordersSinceFactorisation >= REFACTORISE_EVERY)) {
            fit = refactorised();
            bordersSinceFactorisation = 0;
        }
    }

    /** @return whether every block's design rows are kept */
    private boolean allRowsKept() {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.rows(i) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * R̃ anew from the prior U and every frame's kept rows: a full fit's QR accuracy in 2·rows·M² flops, without
     * descriptors.
     */
    private QrAccumulator refactorised() {
        int m = fit.sparseCount();
        QrAccumulator data = StreamedQrFit.accumulate(IntStream.range(0, rows.size()).boxed().toList(),
                i -> copy(rows.rows(i)), m, threads);
        QrAccumulator acc = QrAccumulator.prior(upper);
        acc.merge(data);
        return acc;
    }

    /**
     * Adds sparse points to any term. The border appends columns, so the term is first moved last — a renaming of
     * the unknowns: {@link QrAccumulator#permuted} re-triangularises R̃P and K_MM's Cholesky factor is recomputed,
     * O(M³) together, and the kept rows' columns are permuted, O(N·M) copies — bordered there ({@link #addSparsePoints(double[],
     * double[])}) and moved back, so the terms keep their order and the model its column layout.
     *
     * @param term the index of the term that grows
     * @param x the new points, row-major m × D (that term's descriptor vectors)
     * @param cutoff their cutoff weights c_s, m values
     * @throws IllegalArgumentException as {@link #addSparsePoints(double[], double[])}; the fit is unchanged then
     */
    public void addSparsePoints(int term, double[] x, double[] cutoff) {
        int last = terms.size() - 1;
        if (term < 0 || term > last) {
            throw new IllegalArgumentException("term " + term + " of a model with " + terms.size() + " terms");
        }
        if (term == last || cutoff.length == 0) {
            addSparsePoints(x, cutoff);
            return;
        }
        int[] toEnd = new int[terms.size()];
        int[] back = new int[terms.size()];
        for (int k = 0, t = 0; t <= last; t++) {
            if (t != term) {
                toEnd[k++] = t;
            }
        }
        toEnd[last] = term;
        for (int k = 0; k <= last; k++) {
            back[toEnd[k]] = k;
        }
        reorder(toEnd);
        try {
            addSparsePoints(x, cutoff);
        } finally {
            reorder(back);
        }
    }

    /** Reorders the terms, term k of the result being term {@code order[k]}, with their columns in R̃ and U. */
    private void reorder(int[] order) {
        GapKernelRows kernelRows = new GapKernelRows(terms);
        int[] columns = new int[kernelRows.columns()];
        List<GapTerm> reordered = new ArrayList<>();
        for (int k = 0, p = 0; k < order.length; k++) {
            GapTerm t = terms.get(order[k]);
            reordered.add(t);
            for (int j = 0; j < t.sparseCount(); j++) {
                columns[p++] = kernelRows.column(order[k]) + j;
            }
        }
        terms = List.copyOf(reordered);
        fit = fit.permuted(columns);
        rows.permuteColumns(columns);
        upper = TriangularFactor.cholesky(new GapKernelRows(terms).sparseCovariance(), columns.length, jitter);
    }

    /**
     * The first pass of the border over the old blocks' rows on the grown sparse set, block i on worker i mod W,
     * merged in worker order. A block with kept rows gets only its m new columns computed and keeps the grown rows;
     * a block without gets all M + m columns, and keeps them if the budget allows (else the second pass recomputes
     * them) — decided in block order before the workers start, so which rows are kept does not depend on timing.
     */
    private SparsePointBorder firstPass(FitDesign full, FitDesign newColumns, int m, int added) {
        int blocks = rows.size();
        int workers = Math.max(1, Math.min(threads, blocks));
        long reserved = rows.bytes();
        for (int i = 0; i < blocks; i++) {
            DesignBlock kept = rows.rows(i);
            reserved += kept == null ? 0 : 8L * kept.rows() * added;
        }
        boolean[] keep = new boolean[blocks];
        for (int i = 0; i < blocks; i++) {
            if (rows.rows(i) == null) {
                reserved += bytes(rows.frames(i), m + added);
                keep[i] = reserved <= rows.budget();
            }
        }
        SparsePointBorder[] parts = new SparsePointBorder[workers];
        RuntimeException[] failure = new RuntimeException[workers];
        List<Thread> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            parts[w] = new SparsePointBorder(m, added);
            Runnable work = () -> {
                try {
                    for (int i = worker; i < blocks; i += workers) {
                        DesignBlock old = rows.rows(i);
                        DesignBlock grown;
                        if (old != null) {
                            grown = append(old, newColumns.assemble(rows.frames(i)));
                            rows.set(i, grown);
                        } else {
                            grown = full.assemble(rows.frames(i));
                            if (keep[i]) {
                                rows.set(i, grown);
                            }
                        }
                        parts[worker].add(grown);
                    }
                } catch (RuntimeException e) {
                    failure[worker] = e;
                }
            };
            if (w == workers - 1) {
                work.run();
            } else {
                running.add(Thread.ofPlatform().name("border-" + w).start(work));
            }
        }
        for (Thread t : running) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while updating the sparse set", e);
            }
        }
        for (RuntimeException e : failure) {
            if (e != null) {
                throw e;
            }
        }
        for (int w = 1; w < workers; w++) {
            parts[0].merge(parts[w]);
        }
        return parts[0];
    }

    /** [A | a | b] from a block's kept rows [A | b] and its new columns [a | b] (the same rows, same σ). */
    private static DesignBlock append(DesignBlock old, DesignBlock columns) {
        int n = old.rows();
        if (columns.rows() != n) {
            throw new IllegalStateException("kept rows (" + n + ") and new columns (" + columns.rows()
                    + ") of a block differ");
        }
        int m = old.sparseCount();
        int added = columns.sparseCount();
        double[] a = new double[n * (m + added + 1)];
        System.arraycopy(old.matrix(), 0, a, 0, n * m);
        System.arraycopy(columns.matrix(), 0, a, n * m, n * added);
        System.arraycopy(old.matrix(), n * m, a, n * (m + added), n);
        return new DesignBlock(n, m + added, a, old.logSigmaSum());
    }

    /** @return the bytes of the design rows of {@code frames} over {@code columns} sparse points and the target */
    private static long bytes(List<TrainingFrame> frames, int columns) {
        long n = 0;
        for (TrainingFrame f : frames) {
            n += FitDesign.rowCount(f);
        }
        return 8L * n * (columns + 1);
    }

    private static DesignBlock copy(DesignBlock block) {
        return new DesignBlock(block.rows(), block.sparseCount(), block.matrix().clone(), block.logSigmaSum());
    }

    /** @return the bytes of design rows kept for the next border (for tests) */
    long keptRowBytes() {
        return rows.bytes();
    }

    /** @return the design rows kept, block by block (the store's own; for tests) */
    List<DesignBlock> keptRows() {
        List<DesignBlock> kept = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.rows(i) != null) {
                kept.add(rows.rows(i));
            }
        }
        return kept;
    }

    /** @return the current model, with its posterior */
    public GapModel model() {
        GapModel m = SparseGpSolve.model(label, e0, terms, upper, fit.copy()).withBaseline(baseline);
        return calibration == null ? m : m.withCalibration(calibration);
    }

    /**
     * Sets the calibration of the models this fit gives from now on (e.g. one cross-validated on its frames).
     *
     * @param c the calibration, or null for none
     */
    public void setCalibration(SigmaCalibration c) {
        calibration = c;
    }

    /** @return the model's label */
    public String label() {
        return label;
    }

    /** @return the baseline potential the fit is on top of (null for none) */
    public Baseline baseline() {
        return baseline;
    }

    /** @return the frames fitted so far, in order, their labels less the baseline (unmodifiable view) */
    public List<TrainingFrame> frames() {
        return java.util.Collections.unmodifiableList(frames);
    }

    /** @return M, the number of sparse points over all terms */
    public int sparseCount() {
        return fit.sparseCount();
    }

    /** @return the terms with their sparse points (α not current; see {@link #model()}) */
    public List<GapTerm> terms() {
        return terms;
    }

    /** @return e0 by Z (eV), a copy */
    public double[] e0() {
        return e0.clone();
    }

    /** @return the jitter (eV²) */
    public double jitter() {
        return jitter;
    }
}
