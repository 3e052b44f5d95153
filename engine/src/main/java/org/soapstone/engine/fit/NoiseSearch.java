package org.soapstone.engine.fit;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.soapstone.gp.NotPositiveDefiniteException;
import org.soapstone.gp.ObservationKind;

/**
 * The inner loop of a hyperparameter search: with the descriptors fixed, chooses a factor on the noise σ of each
 * group of rows (observation kind × config type, {@link CrossValidationGrams.Group}) and, for a model of several
 * descriptors, a factor on the δ of each descriptor but the first (one overall scale is redundant with the σ; the
 * terms gap_fit's {@code add_species} makes of one descriptor share its δ), to minimise the
 * K-fold cross-validation loss ({@link Objective}). Each evaluation re-weights the whitened Grams of one pass
 * ({@link CrossValidationGrams}): K Choleskys of M × M, the folds on parallel threads, no pass over the data.
 *
 * <p>Derivative-free: BOBYQA (Powell 2009) in the logarithms of the factors (Brent's method for a single one), σ
 * factors within [{@value #SIGMA_RANGE}⁻¹, {@value #SIGMA_RANGE}], δ factors within [{@value #DELTA_RANGE}⁻¹,
 * {@value #DELTA_RANGE}]. The starting point is evaluated first and the best point evaluated is returned, so the
 * search never ends worse than its start on the cross-validation loss.
 */
public final class NoiseSearch {
    /** Each σ factor lies within [1/SIGMA_RANGE, SIGMA_RANGE]. */
    public static final double SIGMA_RANGE = 1000.0;
    /** Each δ factor lies within [1/DELTA_RANGE, DELTA_RANGE]. */
    public static final double DELTA_RANGE = 10.0;
    /** The loss given to a point whose system cannot be factorised. */
    private static final double INFEASIBLE = 1e10;

    private final CrossValidationGrams.Data data;
    private final int threads;

    /**
     * @param data the pass's Grams and held-out rows
     * @param threads threads for the folds
     */
    public NoiseSearch(CrossValidationGrams.Data data, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        this.data = data;
        this.threads = threads;
    }

    /**
     * A point of the search.
     *
     * @param sigma the factor on the σ of each group ({@link CrossValidationGrams.Data#groups()} order)
     * @param delta the factor on the δ of each descriptor string (the first is 1)
     */
    public record Factors(double[] sigma, double[] delta) {
        public Factors {
            sigma = sigma.clone();
            delta = delta.clone();
        }

        @Override
        public double[] sigma() {
            return sigma.clone();
        }

        @Override
        public double[] delta() {
            return delta.clone();
        }

        /** Every factor 1: the start settings. */
        public static Factors one(int groups, int descriptors) {
            double[] s = new double[groups];
            double[] d = new double[descriptors];
            Arrays.fill(s, 1.0);
            Arrays.fill(d, 1.0);
            return new Factors(s, d);
        }
    }

    /**
     * The outcome of a search.
     *
     * @param start the starting factors
     * @param best the factors with the lowest loss evaluated
     * @param startErrors the cross-validation errors at the start
     * @param bestErrors the cross-validation errors at the best point
     * @param startLoss the loss at the start
     * @param bestLoss the loss at the best point (≤ startLoss)
     * @param evaluations the number of points evaluated
     */
    public record Outcome(Factors start, Factors best, Objective.CvErrors startErrors, Objective.CvErrors bestErrors,
            double startLoss, double bestLoss, int evaluations) {
    }

    /**
     * The K-fold cross-validation errors at the given factors.
     *
     * @throws NotPositiveDefiniteException if a fold's system cannot be factorised
     */
    public Objective.CvErrors errors(Factors factors) {
        int groups = data.layout().groups().size();
        double[] sigma = factors.sigma();
        double[] delta = factors.delta();
        int[] descriptorOf = data.descriptorOfTerm();
        int descriptors = descriptorOf[descriptorOf.length - 1] + 1;
        if (sigma.length != groups || delta.length != descriptors) {
            throw new IllegalArgumentException(sigma.length + " σ factors and " + delta.length + " δ factors for "
                    + groups + " groups and " + descriptors + " descriptors");
        }
        double[] weight = new double[groups];
        for (int g = 0; g < groups; g++) {
            weight[g] = 1.0 / (sigma[g] * sigma[g]);
        }
        double[] termScale = new double[descriptorOf.length];
        for (int t = 0; t < termScale.length; t++) {
            double c = delta[descriptorOf[t]];
            termScale[t] = c * c;
        }
        int k = data.grams().folds();
        double[][] sums = new double[k][];
        RuntimeException[] failure = new RuntimeException[k];
        Thread[] workers = new Thread[Math.min(threads, k)];
        for (int w = 0; w < workers.length; w++) {
            int first = w;
            workers[w] = Thread.ofPlatform().name("noise-search-" + w).start(() -> {
                for (int f = first; f < k; f += workers.length) {
                    try {
                        sums[f] = foldErrors(f, weight, termScale);
                    } catch (RuntimeException e) {
                        failure[f] = e;
                    }
                }
            });
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during cross-validation", e);
            }
        }
        for (RuntimeException e : failure) {
            if (e != null) {
                throw e;
            }
        }
        double e = 0;
        double f = 0;
        long ne = 0;
        long nf = 0;
        for (double[] s : sums) {
            e += s[0];
            f += s[1];
            ne += (long) s[2];
            nf += (long) s[3];
        }
        return new Objective.CvErrors(ne > 0 ? e / ne : Double.NaN, nf > 0 ? f / nf : Double.NaN, ne, nf);
    }

    /** Σ|energy error|/atoms, Σ|force error|, and their counts, over fold f's held-out rows. */
    private double[] foldErrors(int f, double[] weight, double[] termScale) {
        double[] gamma = data.grams().weights(f, weight, termScale);
        CrossValidationGrams.HeldOut held = data.heldOut().get(f);
        int m = gamma.length;
        double[] k = held.k();
        double e = 0;
        double fe = 0;
        long ne = 0;
        long nf = 0;
        for (int r = 0; r < held.count(); r++) {
            double p = 0;
            for (int j = 0; j < m; j++) {
                p = Math.fma(k[r * m + j], gamma[j], p);
            }
            double err = Math.abs(p - held.target()[r]);
            if (held.kind()[r] == ObservationKind.ENERGY) {
                e += err / held.atoms()[r];
                ne++;
            } else if (held.kind()[r] == ObservationKind.FORCE) {
                fe += err;
                nf++;
            }
        }
        return new double[] {e, fe, ne, nf};
    }

    /**
     * Minimises the loss from {@code start}.
     *
     * @param objective the loss
     * @param start the starting factors (clamped into the search's bounds)
     * @param searchDelta whether the δ of descriptors 2… are searched (they are kept at the start otherwise)
     * @param maxEvaluations the most points evaluated (≥ 1)
     * @return the best point and its errors
     */
    public Outcome search(Objective objective, Factors start, boolean searchDelta, int maxEvaluations) {
        if (maxEvaluations < 1) {
            throw new IllegalArgumentException("need at least one evaluation, got " + maxEvaluations);
        }
        int groups = data.layout().groups().size();
        int descriptors = start.delta().length;
        int dim = groups + (searchDelta ? descriptors - 1 : 0);
        double[] x0 = new double[dim];
        double[] lower = new double[dim];
        double[] upper = new double[dim];
        for (int i = 0; i < dim; i++) {
            double range = Math.log(i < groups ? SIGMA_RANGE : DELTA_RANGE);
            double v = i < groups ? start.sigma()[i] : start.delta()[i - groups + 1];
            lower[i] = -range;
            upper[i] = range;
            x0[i] = Math.clamp(Math.log(v), -range, range);
        }
        Factors clamped = factors(x0, start, groups, searchDelta);
        Tracker tracker = new Tracker(objective, start, groups, searchDelta, maxEvaluations);
        Objective.CvErrors startErrors = errors(clamped);
        double startLoss = objective.loss(startErrors);
        if (!Double.isFinite(startLoss)) {
            throw new FitSettingsException("the objective '" + objective.target().label() + "' has nothing to "
                    + "measure: the cross-validation compared " + startErrors.energyCount() + " energies and "
                    + startErrors.forceCount() + " force components");
        }
        tracker.record(x0, startErrors, startLoss);
        try {
            if (dim == 1) {
                BrentOptimizer brent = new BrentOptimizer(1e-3, 1e-3);
                brent.optimize(new MaxEval(maxEvaluations), GoalType.MINIMIZE,
                        new UnivariateObjectiveFunction(v -> tracker.value(new double[] {v})),
                        new SearchInterval(lower[0], upper[0], x0[0]));
            } else if (dim > 1) {
                BOBYQAOptimizer bobyqa = new BOBYQAOptimizer(2 * dim + 1, 1.0, 1e-2);
                bobyqa.optimize(new MaxEval(maxEvaluations), new ObjectiveFunction(tracker::value),
                        GoalType.MINIMIZE, new InitialGuess(x0), new SimpleBounds(lower, upper));
            }
        } catch (TooManyEvaluationsException | Tracker.Exhausted capped) {
            // the cap is the caller's budget: keep the best point evaluated so far
        }
        return new Outcome(clamped, tracker.bestFactors(), startErrors, tracker.bestErrors, startLoss,
                tracker.bestLoss, tracker.evaluations);
    }

    private static Factors factors(double[] x, Factors start, int groups, boolean searchDelta) {
        double[] sigma = new double[groups];
        for (int g = 0; g < groups; g++) {
            sigma[g] = Math.exp(x[g]);
        }
        double[] delta = start.delta();
        if (searchDelta) {
            for (int t = 1; t < delta.length; t++) {
                delta[t] = Math.exp(x[groups + t - 1]);
            }
        }
        return new Factors(sigma, delta);
    }

    /** Evaluates points, counts them, keeps the best; stops the optimiser at the cap. */
    private final class Tracker {
        /** Thrown when the cap on evaluations is reached. */
        static final class Exhausted extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Exhausted() {
                super(null, null, false, false);
            }
        }

        final Objective objective;
        final Factors start;
        final int groups;
        final boolean searchDelta;
        final int cap;
        int evaluations;
        double[] best;
        Objective.CvErrors bestErrors;
        double bestLoss = Double.POSITIVE_INFINITY;

        Tracker(Objective objective, Factors start, int groups, boolean searchDelta, int cap) {
            this.objective = objective;
            this.start = start;
            this.groups = groups;
            this.searchDelta = searchDelta;
            this.cap = cap;
        }

        void record(double[] x, Objective.CvErrors errors, double loss) {
            evaluations++;
            if (loss < bestLoss) {
                bestLoss = loss;
                best = x.clone();
                bestErrors = errors;
            }
        }

        double value(double[] x) {
            if (evaluations >= cap) {
                throw new Exhausted();
            }
            double loss;
            Objective.CvErrors e = null;
            try {
                e = errors(factors(x, start, groups, searchDelta));
                loss = objective.loss(e);
            } catch (NotPositiveDefiniteException notPositive) {
                loss = Double.NaN;
            }
            if (!Double.isFinite(loss)) {
                evaluations++;
                return INFEASIBLE;
            }
            record(x, e, loss);
            return loss;
        }

        Factors bestFactors() {
            return factors(best, start, groups, searchDelta);
        }
    }

    /** @return the groups searched, for reports */
    public List<CrossValidationGrams.Group> groups() {
        return data.layout().groups();
    }
}
