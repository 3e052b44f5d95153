package org.soapstone.engine.fit;

import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.gp.HyperparameterOptimiser;
import org.soapstone.gp.ObservationKind;
import org.soapstone.gp.QrAccumulator;
import org.soapstone.gp.StreamedQrFit;
import org.soapstone.gp.SparseGpPosterior;
import org.soapstone.gp.TriangularFactor;

/**
 * The projected-process solve of a GAP fit once its sparse points are chosen: K_MM (block diagonal over the terms,
 * with gap_fit's sparse cutoffs c_i c_j and {@code sparse_jitter} on the diagonal) is factorised, the training
 * frames are streamed in blocks through {@link FitDesign} and reduced by a tall-skinny QR on {@code threads}
 * workers ({@link StreamedQrFit#accumulate}), and the weights α are split back over the terms. Peak memory
 * is O(M² per worker + block × M), independent of the number of frames.
 *
 * <p>Reference: Deringer et al., Chem. Rev. 121, 10073 (2021), eqs. (27)–(31) and the QR solution of sec. 3.3.
 */
public final class SparseGpSolve {
    /** Rows gathered into one design block before it is folded into the QR (a few frames). */
    static final int BLOCK_ROWS = 1024;

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
     * @param threads worker threads for the covariance and QR
     * @param listener progress, in frames
     * @return the fitted model, with its posterior
     */
    public static GapModel fit(String label, double[] e0, List<GapTerm> terms, List<TrainingFrame> frames,
            double jitter, int threads, FitListener listener) {
        GapKernelRows rows = new GapKernelRows(terms);
        int m = rows.columns();
        TriangularFactor u = TriangularFactor.cholesky(rows.sparseCovariance(), m, jitter);
        FitDesign design = new FitDesign(rows, e0);
        listener.stage("covariance and QR", frames.size());
        QrAccumulator data = StreamedQrFit.accumulate(blocks(frames), block -> {
            var b = design.assemble(block);
            listener.advance(block.size());
            return b;
        }, m, threads);
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
        GapKernelRows rows = new GapKernelRows(terms);
        int m = rows.columns();
        double[] kmm = rows.sparseCovariance();
        FitDesign design = new FitDesign(rows, e0);
        listener.stage("covariance and QR", frames.size());
        QrAccumulator[] data = StreamedQrFit.accumulateParts(blocks(frames), block -> {
            var b = design.assembleByKind(block);
            listener.advance(block.size());
            return b;
        }, ObservationKind.values().length, m, threads);
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
        HyperparameterOptimiser.Optimum best = optimiser.optimise(maxEvaluations);
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

    /** Consecutive frames grouped until each group has at least {@link #BLOCK_ROWS} rows. */
    static List<List<TrainingFrame>> blocks(List<TrainingFrame> frames) {
        List<List<TrainingFrame>> blocks = new ArrayList<>();
        List<TrainingFrame> current = new ArrayList<>();
        int rows = 0;
        for (TrainingFrame f : frames) {
            current.add(f);
            rows += FitDesign.rowCount(f);
            if (rows >= BLOCK_ROWS) {
                blocks.add(current);
                current = new ArrayList<>();
                rows = 0;
            }
        }
        if (!current.isEmpty()) {
            blocks.add(current);
        }
        return blocks;
    }
}
