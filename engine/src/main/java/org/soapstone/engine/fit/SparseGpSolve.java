package org.soapstone.engine.fit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.gp.DesignBlock;
import org.soapstone.gp.FactorTree;
import org.soapstone.gp.HyperparameterOptimiser;
import org.soapstone.gp.QrAccumulator;
import org.soapstone.gp.StreamedQrFit;
import org.soapstone.gp.SparseGpPosterior;
import org.soapstone.gp.TriangularFactor;

/**
 * The projected-process solve of a GAP fit once its sparse points are chosen: the training frames are split into
 * chunks of consecutive frames ({@link #chunkStarts}), each chunk streamed in blocks ({@link #blocks}) through
 * {@link FitDesign} and reduced by a tall-skinny QR, the chunks merged by the fixed tree of {@link FactorTree};
 * then K_MM (block diagonal over the terms, with gap_fit's sparse cutoffs c_i c_j and {@code sparse_jitter} on the
 * diagonal) is factorised, its rows folded in as the prior ({@link #solve}), and the weights α are split back over
 * the terms. Peak memory is O(M² per chunk in progress + block × M), independent of the number of frames. A
 * distributed fit calls the same functions with the same chunks and gets the same model.
 *
 * <p>Reference: Deringer et al., Chem. Rev. 121, 10073 (2021), eqs. (27)–(31) and the QR solution of sec. 3.3.
 */
public final class SparseGpSolve {
    /** Rows gathered into one design block before it is folded into the QR (a few frames). */
    public static final int BLOCK_ROWS = 1024;
    /**
     * Bytes the chunks' R factors may take together in a fit on threads: above it, fewer chunks than threads are
     * folded at once (each chunk's R̃ is (M+1)² numbers: 0.8 GB at M = 10 000), so that the memory of a large-M fit
     * does not grow with the number of cores.
     */
    static final long FACTOR_BUDGET = 4L << 30;

    private SparseGpSolve() {
    }

    /**
     * Fits the weights of the given terms (their sparse points and sparse cutoffs are used; their α ignored).
     *
     * @param label the model's label
     * @param e0 energy per isolated atom by Z (eV), length 119
     * @param terms the terms with their sparse points
     * @param frames the training frames
     * @param jitter {@code sparse_jitter}, added to the diagonal of K_MM (eV²)
     * @param threads worker threads for the covariance and QR, and the number of chunks of the reduction
     * @param listener progress, in frames
     * @return the fitted model, with its posterior
     */
    public static GapModel fit(String label, double[] e0, List<GapTerm> terms, List<TrainingFrame> frames,
            double jitter, int threads, FitListener listener) {
        QrAccumulator data = reduce(terms, e0, frames, DesignParts.WHOLE, threads, listener)[0];
        return solve(label, e0, terms, jitter, data);
    }

    /**
     * The number of chunks of a fit on {@code threads} threads: one per thread, but no more than
     * {@link #FACTOR_BUDGET} allows for their R factors. A function of M and the threads only, so a fit gives the same
     * model on every machine with the same number of threads (and a distributed fit with as many partitions).
     *
     * @param sparseCount M
     * @param parts accumulators per chunk
     */
    public static int chunks(int threads, int sparseCount, int parts) {
        long factor = 8L * (sparseCount + 1) * (sparseCount + 1) * parts;
        return (int) Math.max(1, Math.min(threads, FACTOR_BUDGET / factor));
    }

    /**
     * The covariance and QR stage: the frames split into {@link #chunks} chunks ({@link #chunkStarts}), each chunk's
     * blocks ({@link #blocks}) assembled by {@link FitDesign} and folded in order, the chunks merged by the fixed
     * tree of {@link FactorTree} — the order a distributed fit with the same number of chunks follows too.
     *
     * @return one accumulator per part, without the prior
     */
    static QrAccumulator[] reduce(List<GapTerm> terms, double[] e0, List<TrainingFrame> frames, DesignParts parts,
            int threads, FitListener listener) {
        GapKernelRows rows = new GapKernelRows(terms);
        FitDesign design = new FitDesign(rows, e0);
        listener.stage("covariance and QR", frames.size());
        int[] rowCounts = frames.stream().mapToInt(FitDesign::rowCount).toArray();
        int[] starts = chunkStarts(rowCounts, chunks(threads, rows.columns(), parts.count()));
        List<List<List<TrainingFrame>>> chunks = new ArrayList<>();
        for (int c = 0; c < starts.length; c++) {
            int end = c + 1 < starts.length ? starts[c + 1] : frames.size();
            chunks.add(blocks(frames.subList(starts[c], end)));
        }
        return FactorTree.reduce(chunks, block -> {
            DesignBlock[] b = parts.assemble(design, block);
            listener.advance(block.size());
            return b;
        }, parts.count(), rows.columns(), threads);
    }

    /**
     * The solve once the data are reduced: U from K_MM + jitter·I (Cholesky), the prior rows [U | 0] folded in
     * first, then the data; α split back over the terms.
     *
     * @param data the reduced design of every training frame, without the prior
     * @return the fitted model, with its posterior
     */
    public static GapModel solve(String label, double[] e0, List<GapTerm> terms, double jitter, QrAccumulator data) {
        GapKernelRows rows = new GapKernelRows(terms);
        int m = rows.columns();
        TriangularFactor u = TriangularFactor.cholesky(rows.sparseCovariance(), m, jitter);
        QrAccumulator acc = QrAccumulator.prior(u);
        acc.merge(data);
        return model(label, e0, terms, u, acc);
    }

    /**
     * The model of a completed fit: the posterior of U and the accumulator, its α split back over the terms.
     *
     * @param u U, Uᵀ U = K_MM + jitter·I over the terms' sparse points in order (eV)
     * @param acc the accumulator with the prior folded in once
     */
    static GapModel model(String label, double[] e0, List<GapTerm> terms, TriangularFactor u, QrAccumulator acc) {
        GapKernelRows rows = new GapKernelRows(terms);
        SparseGpPosterior posterior = new SparseGpPosterior(u, acc);
        double[] delta = terms.stream().mapToDouble(GapTerm::delta).toArray();
        return model(label, e0, terms, rows, delta, posterior);
    }

    /**
     * A fit whose δ of each term and σ factor of each observation kind maximise the log marginal likelihood
     * ({@link HyperparameterOptimiser}): one pass over the frames builds a QR factor per kind at the terms' δ and the
     * frames' σ; the search then needs no further pass.
     *
     * @param maxEvaluations cap on likelihood evaluations
     * @return the model at the optimum and the values chosen
     */
    public static Optimised fitOptimised(String label, double[] e0, List<GapTerm> terms, List<TrainingFrame> frames,
            double jitter, int threads, FitListener listener, int maxEvaluations) {
        return fitOptimised(label, e0, terms, frames, jitter, threads, listener, maxEvaluations, false);
    }

    /**
     * As {@link #fitOptimised(String, double[], List, List, double, int, FitListener, int)}, optionally with one σ
     * factor for all kinds ({@link HyperparameterOptimiser#optimise(int, boolean)}).
     *
     * @param tied one factor for the σ of energies, forces and virials together
     */
    public static Optimised fitOptimised(String label, double[] e0, List<GapTerm> terms, List<TrainingFrame> frames,
            double jitter, int threads, FitListener listener, int maxEvaluations, boolean tied) {
        QrAccumulator[] data = reduce(terms, e0, frames, DesignParts.BY_KIND, threads, listener);
        return optimise(label, e0, terms, jitter, data, maxEvaluations, tied);
    }

    /**
     * The search of {@link #fitOptimised} once the data are reduced by kind.
     *
     * @param data the reduced design split by kind ({@link DesignParts#BY_KIND}), without the prior
     * @param tied one factor for the σ of energies, forces and virials together
     */
    public static Optimised optimise(String label, double[] e0, List<GapTerm> terms, double jitter,
            QrAccumulator[] data, int maxEvaluations, boolean tied) {
        GapKernelRows rows = new GapKernelRows(terms);
        int m = rows.columns();
        double[] kmm = rows.sparseCovariance();
        int[] groups = new int[terms.size() + 1];
        double[] start = new double[terms.size()];
        for (int t = 0; t < terms.size(); t++) {
            groups[t] = rows.column(t);
            start[t] = terms.get(t).delta();
        }
        groups[terms.size()] = m;
        HyperparameterOptimiser optimiser = new HyperparameterOptimiser(kmm, groups, start, jitter, data);
        double[] ones = new double[data.length];
        java.util.Arrays.fill(ones, 1.0);
        double before = optimiser.posterior(start, ones).logMarginalLikelihood();
        HyperparameterOptimiser.Optimum best = optimiser.optimise(maxEvaluations, tied);
        SparseGpPosterior posterior = optimiser.posterior(best.delta(), best.sigmaFactor());
        return new Optimised(model(label, e0, terms, rows, best.delta(), posterior), best.delta(),
                best.sigmaFactor(), before, best.logMarginalLikelihood(), best.evaluations());
    }

    /**
     * The outcome of {@link #fitOptimised}.
     *
     * @param model the model at the optimum
     * @param delta δ chosen for each term (eV)
     * @param sigmaFactor the factor applied to every σ of each kind (energy, force, virial)
     * @param startLogLikelihood ln p(y) at the starting values
     * @param logLikelihood ln p(y) at the optimum
     * @param evaluations likelihood evaluations made
     */
    public record Optimised(GapModel model, double[] delta, double[] sigmaFactor, double startLogLikelihood,
            double logLikelihood, int evaluations) {
    }

    private static GapModel model(String label, double[] e0, List<GapTerm> terms, GapKernelRows rows, double[] delta,
            SparseGpPosterior posterior) {
        double[] alpha = posterior.alpha();
        List<GapTerm> fitted = new ArrayList<>();
        for (int t = 0; t < terms.size(); t++) {
            GapTerm g = terms.get(t);
            double[] a = new double[g.sparseCount()];
            System.arraycopy(alpha, rows.column(t), a, 0, a.length);
            fitted.add(new GapTerm(g.label(), g.descriptor().withDelta(delta[t]), g.covariance(), delta[t], g.f0(), g.zeta(), g.theta(),
                    g.sparseX(), a, g.sparseCutoff()));
        }
        return new GapModel(label, GapModel.GAP_VERSION, e0, fitted, posterior);
    }

    /**
     * Consecutive frames grouped until each group has at least {@link #BLOCK_ROWS} rows: the design blocks of one
     * chunk, in order.
     */
    public static List<List<TrainingFrame>> blocks(List<TrainingFrame> frames) {
        List<List<TrainingFrame>> blocks = new ArrayList<>();
        blocks(frames.iterator()).forEachRemaining(blocks::add);
        return blocks;
    }

    /**
     * {@link #blocks(List)} as the frames stream in: each block is read from {@code frames} when it is asked for,
     * so only one block's frames are held.
     */
    public static Iterator<List<TrainingFrame>> blocks(Iterator<TrainingFrame> frames) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return frames.hasNext();
            }

            @Override
            public List<TrainingFrame> next() {
                if (!frames.hasNext()) {
                    throw new NoSuchElementException();
                }
                List<TrainingFrame> block = new ArrayList<>();
                int rows = 0;
                while (frames.hasNext() && rows < BLOCK_ROWS) {
                    TrainingFrame f = frames.next();
                    block.add(f);
                    rows += FitDesign.rowCount(f);
                }
                return block;
            }
        };
    }

    /**
     * Splits frames into at most {@code chunks} runs of consecutive frames with about equal numbers of design rows:
     * chunk c starts at the first frame before which at least ⌈c·total/chunks⌉ rows lie (empty chunks are dropped).
     * A pure function of the row counts, so every process that knows them draws the same boundaries.
     *
     * @param rows design rows of each frame, in order ({@link FitDesign#rowCount})
     * @param chunks how many chunks at most (≥ 1)
     * @return the index of each chunk's first frame, increasing, starting with 0 (empty if there are no frames)
     */
    public static int[] chunkStarts(int[] rows, int chunks) {
        if (chunks < 1) {
            throw new IllegalArgumentException("need at least one chunk, got " + chunks);
        }
        long total = 0;
        for (int r : rows) {
            total += r;
        }
        int[] starts = new int[Math.min(chunks, rows.length)];
        int count = 0;
        long before = 0;
        int c = 0;
        for (int f = 0; f < rows.length && c < chunks; f++) {
            long target = (c * total + chunks - 1) / chunks;
            if (before >= target) {
                if (count == 0 || starts[count - 1] != f) {
                    starts[count++] = f;
                }
                c++;
                while (c < chunks && before >= (c * total + chunks - 1) / chunks) {
                    c++;
                }
            }
            before += rows[f];
        }
        return java.util.Arrays.copyOf(starts, count);
    }
}
