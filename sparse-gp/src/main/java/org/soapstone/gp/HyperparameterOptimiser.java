package org.soapstone.gp;

import java.util.Arrays;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Tunes the signal δ_g of each group of sparse points (each GP term of a model) and the noise σ of each observation
 * kind by maximising the log marginal likelihood of the sparse GP (gap_fit users' hyperparameter search). Every
 * row's σ of a kind is multiplied by the same factor t_k, so per-row scalings (e.g. energy σ growing with √atoms)
 * are kept. Derivative-free (BOBYQA, Powell 2009) in the logarithms of δ_g and t_k, each within a factor
 * {@value #RANGE} of its start.
 *
 * <p>No pass over the data per evaluation: the data enter once, as one streamed-QR factor R̃_k = [R_k c_k; 0 ρ_k]
 * per kind, fitted at the starting δ⁰ and σ. Because every kernel scales as δ², changing δ_g scales the columns of
 * group g by (δ_g/δ⁰_g)², and changing t_k scales all rows of kind k by 1/t_k — both are column scalings of R̃_k,
 * which keep it triangular. Each evaluation factorises K_MM(δ) + jitter·I and folds the scaled R̃_k into it
 * (O(M³), independent of the number of observations); log|Λ| gains rows_k·ln t_k per kind.
 *
 * <p>Reference: Rasmussen &amp; Williams (2006), sec. 5.4 (marginal likelihood); Powell, Cambridge NA report
 * NA2009/06 (BOBYQA).
 */
public final class HyperparameterOptimiser {

    /** Each parameter may move by at most this factor from its starting value. */
    public static final double RANGE = 1000.0;

    private final int m;
    private final double[] kmm;
    private final int[] groups;
    private final double[] startDelta;
    private final double jitter;
    private final QrAccumulator[] data;

    /**
     * The tuned hyperparameters.
     *
     * @param delta                 δ_g per group, eV
     * @param sigmaFactor           factor t_k applied to the σ of each kind (1 for kinds without rows)
     * @param logMarginalLikelihood ln p(y) at the optimum
     * @param evaluations           number of likelihood evaluations
     */
    public record Optimum(double[] delta, double[] sigmaFactor, double logMarginalLikelihood, int evaluations) {
        public Optimum {
            delta = delta.clone();
            sigmaFactor = sigmaFactor.clone();
        }

        @Override
        public double[] delta() {
            return delta.clone();
        }

        @Override
        public double[] sigmaFactor() {
            return sigmaFactor.clone();
        }
    }

    /**
     * @param kmm        K_MM at the starting δ⁰ (column-major M×M, eV², block diagonal over the groups, no jitter)
     * @param groups     first column of each group, then M ({@code groups[0] = 0}, increasing)
     * @param startDelta δ⁰_g of each group (eV), with which {@code kmm} and the data were built
     * @param jitter     added to the diagonal of K_MM at every δ, eV²
     * @param data       per observation kind, the data's accumulator (no prior) built at δ⁰ and the starting σ;
     *                   kinds without rows may be empty accumulators
     */
    public HyperparameterOptimiser(double[] kmm, int[] groups, double[] startDelta, double jitter,
                                   QrAccumulator[] data) {
        this.m = groups[groups.length - 1];
        if (kmm.length != m * m || groups[0] != 0 || startDelta.length != groups.length - 1) {
            throw new IllegalArgumentException("K_MM, groups and starting δ do not agree on " + m + " sparse points");
        }
        for (QrAccumulator a : data) {
            if (a.sparseCount() != m || a.priorCount() != 0) {
                throw new IllegalArgumentException("each kind's accumulator must hold data rows only, for " + m
                        + " sparse points");
            }
        }
        this.kmm = kmm.clone();
        this.groups = groups.clone();
        this.startDelta = startDelta.clone();
        this.jitter = jitter;
        this.data = data.clone();
    }

    /** The posterior at δ_g (eV, per group) and σ factors t_k (per kind). */
    public SparseGpPosterior posterior(double[] delta, double[] sigmaFactor) {
        double[] columnScale = new double[m];
        for (int g = 0; g + 1 < groups.length; g++) {
            double s = (delta[g] / startDelta[g]) * (delta[g] / startDelta[g]);
            Arrays.fill(columnScale, groups[g], groups[g + 1], s);
        }
        double[] k = new double[m * m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < m; i++) {
                k[i + j * m] = columnScale[i] * kmm[i + j * m];
            }
        }
        TriangularFactor u = TriangularFactor.cholesky(k, m, jitter);
        QrAccumulator acc = QrAccumulator.prior(u);
        int n = m + 1;
        for (int kind = 0; kind < data.length; kind++) {
            QrAccumulator d = data[kind];
            if (d.rows() == 0) {
                continue;
            }
            double t = sigmaFactor[kind];
            double[] r = d.augmentedFactor();
            for (int j = 0; j < n; j++) {
                double s = (j < m ? columnScale[j] : 1.0) / t;
                for (int i = 0; i <= j; i++) {
                    r[i + j * n] *= s;
                }
            }
            acc.merge(QrAccumulator.restore(m, r, d.rows(), d.logSigmaSum() + d.rows() * Math.log(t), 0));
        }
        return new SparseGpPosterior(u, acc);
    }

    /** As {@link #optimise(int, boolean)} with one σ factor per kind. */
    public Optimum optimise(int maxEvaluations) {
        return optimise(maxEvaluations, false);
    }

    /**
     * Maximises ln p(y) from δ⁰ and σ factors of 1.
     *
     * <p>With {@code tied}, one factor scales the σ of every kind, so the ratios of energy, force and virial σ stay
     * as given and only δ and the overall noise level are searched. A free factor per kind lets the likelihood, summed
     * over tens of thousands of force rows and a few hundred energies, buy a slightly better force fit by giving up
     * the energies: the mlearn-Si fit at 200 sparse points took the energy σ to 28× its start (0.28 eV/atom) and its
     * training energy MAE from ≈ 3 to 30 meV/atom — with e0 at the mean energy per atom still 18×, so it is not
     * the prior mean. Tied, the balance of energies and forces is the user's.
     *
     * @param maxEvaluations cap on the number of likelihood evaluations; when it is reached the best point evaluated
     *     so far is returned
     * @param tied one σ factor for all kinds instead of one per kind
     */
    public Optimum optimise(int maxEvaluations, boolean tied) {
        int groupCount = startDelta.length;
        int[] withRows = java.util.stream.IntStream.range(0, data.length).filter(k -> data[k].rows() > 0).toArray();
        if (withRows.length == 0) {
            throw new IllegalArgumentException("no observations to optimise on");
        }
        // each search parameter after the δ scales the kinds of one entry
        int[][] kinds = tied ? new int[][] {withRows}
                : java.util.Arrays.stream(withRows).mapToObj(k -> new int[] {k}).toArray(int[][]::new);
        int dim = groupCount + kinds.length;
        double[] start = new double[dim];
        for (int g = 0; g < groupCount; g++) {
            start[g] = Math.log(startDelta[g]);
        }
        double[] lower = new double[dim];
        double[] upper = new double[dim];
        for (int i = 0; i < dim; i++) {
            lower[i] = start[i] - Math.log(RANGE);
            upper[i] = start[i] + Math.log(RANGE);
        }
        int[] count = new int[1];
        double[] bestValue = {Double.NEGATIVE_INFINITY};
        double[][] bestPoint = {start.clone()};
        ObjectiveFunction objective = new ObjectiveFunction(p -> {
            count[0]++;
            double value;
            try {
                value = posterior(deltas(p, groupCount), factors(p, groupCount, kinds)).logMarginalLikelihood();
            } catch (IllegalArgumentException notPositiveDefinite) {
                value = Double.NaN;
            }
            if (Double.isFinite(value) && value > bestValue[0]) {
                bestValue[0] = value;
                bestPoint[0] = p.clone();
            }
            return Double.isFinite(value) ? value : -Double.MAX_VALUE;
        });
        // dim >= 2 always (one δ and at least one kind), as BOBYQA requires
        BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * dim + 1, 0.5, 1e-6);
        try {
            optimizer.optimize(new MaxEval(maxEvaluations), objective, GoalType.MAXIMIZE, new InitialGuess(start),
                    new SimpleBounds(lower, upper));
        } catch (TooManyEvaluationsException capped) {
            // the cap is the user's budget: keep the best point evaluated so far
        }
        double[] p = bestPoint[0];
        return new Optimum(deltas(p, groupCount), factors(p, groupCount, kinds), bestValue[0], count[0]);
    }

    private static double[] deltas(double[] p, int groupCount) {
        double[] d = new double[groupCount];
        for (int g = 0; g < groupCount; g++) {
            d[g] = Math.exp(p[g]);
        }
        return d;
    }

    private double[] factors(double[] p, int groupCount, int[][] kinds) {
        double[] f = new double[data.length];
        Arrays.fill(f, 1.0);
        for (int i = 0; i < kinds.length; i++) {
            for (int k : kinds[i]) {
                f[k] = Math.exp(p[groupCount + i]);
            }
        }
        return f;
    }
}
