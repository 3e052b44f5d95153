package org.soapstone.engine.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.gp.DesignBlock;
import org.soapstone.gp.Kernel;
import org.soapstone.gp.QrAccumulator;
import org.soapstone.gp.SparseGaussianProcess;
import org.soapstone.gp.SparsePointBorder;

/**
 * A GAP fit that grows without refitting: new training frames are folded into the streamed QR
 * ({@link QrAccumulator#add}, cost O(rows·M²) for the new rows only), new sparse points border the factors
 * ({@link SparsePointBorder}: the kept frames' design rows are recomputed once for the new kernel columns and
 * used for both its passes, O(N·M·m), then O(M²·m)). Same model as {@link SparseGpSolve#fit} with the same sparse
 * points and frames, to rounding (see {@link SparsePointBorder} for the stability trade-off).
 *
 * <p>The frames are kept (structures and targets, not descriptors: a frame's descriptors with gradients take
 * ~100× its memory), so every border recomputes the old frames' descriptors; that dominates an update.
 * New sparse points of the last term are bordered directly (its columns are the last ones, so the border appends
 * columns and K_MM stays block diagonal); any other term is first moved last by renaming R̃'s columns. Not
 * thread-safe.
 *
 * <p>Reference: Vandermause et al., npj Comput. Mater. 6, 20 (2020) (on-the-fly sparse GP); Deringer et al.,
 * Chem. Rev. 121, 10073 (2021), sec. 3.3 (the QR solution).
 */
public final class IncrementalGapFit {
    private final String label;
    private final double[] e0;
    private final double jitter;
    private final int threads;
    private final List<TrainingFrame> frames = new ArrayList<>();
    private List<GapTerm> terms;
    private double[] upper;
    private QrAccumulator fit;

    private IncrementalGapFit(String label, double[] e0, List<GapTerm> terms, double jitter, int threads,
            double[] upper, QrAccumulator fit, List<TrainingFrame> frames) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.label = label;
        this.e0 = e0.clone();
        this.terms = List.copyOf(terms);
        this.jitter = jitter;
        this.threads = threads;
        this.upper = upper;
        this.fit = fit;
        this.frames.addAll(frames);
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
        GapKernelRows rows = new GapKernelRows(terms);
        int m = rows.columns();
        double[] u = SparseGaussianProcess.choleskyUpper(rows.sparseCovariance(), m, jitter);
        FitDesign design = new FitDesign(rows, e0);
        QrAccumulator data = SparseGaussianProcess.accumulate(SparseGpSolve.blocks(frames), design::assemble, m,
                threads);
        QrAccumulator acc = QrAccumulator.prior(u, m);
        acc.merge(data);
        return new IncrementalGapFit(label, e0, terms, jitter, threads, u, acc, frames);
    }

    /**
     * Carries on from a saved model with its posterior (no refit): {@code frames} must be exactly the frames it was
     * fitted to, with the same σ and e0 (checked by the row count only).
     *
     * @throws IllegalArgumentException if the model has no posterior or the frames' rows do not match it
     */
    public static IncrementalGapFit resume(GapModel model, List<TrainingFrame> frames, double jitter, int threads) {
        if (!model.hasPosterior()) {
            throw new IllegalArgumentException("the model has no posterior (a gap_fit XML model?); learning needs "
                    + "Soapstone's model file");
        }
        long rows = 0;
        for (TrainingFrame f : frames) {
            rows += FitDesign.rowCount(f);
        }
        if (rows != model.posterior().observations()) {
            throw new IllegalArgumentException("the training frames give " + rows + " observations, the model was "
                    + "fitted to " + model.posterior().observations());
        }
        return new IncrementalGapFit(model.label(), model.e0(), model.terms(), jitter, threads,
                model.posterior().sparseCholesky(), model.posterior().accumulator(), frames);
    }

    /** Folds new frames in: O(rows·M²), independent of the frames already seen. */
    public void addFrames(List<TrainingFrame> added) {
        if (added.isEmpty()) {
            return;
        }
        fit.add(new FitDesign(new GapKernelRows(terms), e0).assemble(added));
        frames.addAll(added);
    }

    /**
     * Adds sparse points to the last term by a bordered update (the only term of a one-descriptor model; see
     * {@link #addSparsePoints(int, double[], double[])} for any term).
     *
     * @param x the new points, row-major m × D (the last term's descriptor vectors)
     * @param cutoff their cutoff weights c_s, m values
     * @throws IllegalArgumentException if the shapes do not match, or the new points are numerically dependent on
     *     the sparse set (e.g. a duplicate); the fit is unchanged then
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
        List<GapTerm> newTerms = new ArrayList<>(terms);
        newTerms.set(last, grown);
        GapKernelRows rows = new GapKernelRows(newTerms);
        int m = fit.sparseCount();
        int offset = rows.column(last);
        Kernel kernel = rows.kernel(last);
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
        List<DesignBlock> blocks = new ArrayList<>();
        SparsePointBorder border = oldRows(rows, m, added, blocks);
        border.project(upper, fit, kOldNew, kNewNew, jitter);
        for (DesignBlock block : blocks) {
            border.addResidual(block);
        }
        SparsePointBorder.Bordered b = border.finish();
        terms = List.copyOf(newTerms);
        upper = b.upperCholesky();
        fit = b.accumulator();
    }

    /**
     * Adds sparse points to any term. The border appends columns, so the term is first moved last — a renaming of
     * the unknowns: {@link QrAccumulator#permuted} re-triangularises R̃P and K_MM's Cholesky factor is recomputed,
     * O(M³) together, independent of the frames seen — bordered there ({@link #addSparsePoints(double[],
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
        GapKernelRows rows = new GapKernelRows(terms);
        int[] columns = new int[rows.columns()];
        List<GapTerm> reordered = new ArrayList<>();
        for (int k = 0, p = 0; k < order.length; k++) {
            GapTerm t = terms.get(order[k]);
            reordered.add(t);
            for (int j = 0; j < t.sparseCount(); j++) {
                columns[p++] = rows.column(order[k]) + j;
            }
        }
        terms = List.copyOf(reordered);
        fit = fit.permuted(columns);
        upper = SparseGaussianProcess.choleskyUpper(new GapKernelRows(terms).sparseCovariance(), columns.length,
                jitter);
    }

    /**
     * The first pass of the border over the old frames' design rows on the grown sparse set, block i on worker
     * i mod W, merged in worker order; the blocks are kept in {@code kept} (in order) for the second pass (memory:
     * the old rows × (M + m + 1) doubles, once per update).
     */
    private SparsePointBorder oldRows(GapKernelRows rows, int m, int added, List<DesignBlock> kept) {
        FitDesign design = new FitDesign(rows, e0);
        List<List<TrainingFrame>> blocks = SparseGpSolve.blocks(frames);
        int workers = Math.max(1, Math.min(threads, blocks.size()));
        SparsePointBorder[] parts = new SparsePointBorder[workers];
        DesignBlock[] assembled = new DesignBlock[blocks.size()];
        RuntimeException[] failure = new RuntimeException[workers];
        List<Thread> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            parts[w] = new SparsePointBorder(m, added);
            Runnable work = () -> {
                try {
                    for (int i = worker; i < blocks.size(); i += workers) {
                        DesignBlock block = design.assemble(blocks.get(i));
                        parts[worker].add(block);
                        assembled[i] = block;
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
        kept.addAll(Arrays.asList(assembled));
        return parts[0];
    }

    /** @return the current model, with its posterior */
    public GapModel model() {
        return SparseGpSolve.model(label, e0, terms, upper, fit.copy());
    }

    /** @return the frames fitted so far, in order (unmodifiable view) */
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
