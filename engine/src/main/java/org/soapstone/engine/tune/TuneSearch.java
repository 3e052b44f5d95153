package org.soapstone.engine.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.apache.commons.math3.random.MersenneTwister;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.fit.CalibrationSettings;
import org.soapstone.engine.fit.CrossValidationGrams;
import org.soapstone.engine.fit.E0Settings;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.FitSettings;
import org.soapstone.engine.fit.GapFit;
import org.soapstone.engine.fit.GapFitCommandLine;
import org.soapstone.engine.fit.NoiseSearch;
import org.soapstone.engine.fit.NoiseSettings;
import org.soapstone.engine.fit.Objective;
import org.soapstone.engine.fit.SparsePointChooser;
import org.soapstone.engine.fit.TrainingSet;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.SigmaCalibration;

/**
 * {@code soapstone tune}: a search of the descriptor settings ({@link SearchSpace}: cutoff, transition width,
 * atom_sigma, n_max, l_max, ζ) with the descriptor kinds and the sparse budget kept, each trial scored by K-fold
 * cross-validation on the training frames with the σ of every config type and kind and the δ of every descriptor
 * chosen for it by the inner loop ({@link NoiseSearch}, which costs K Choleskys per point and no pass over the data).
 *
 * <p>Trial 0 is the start as given. The descriptor settings then follow a covariance-matrix-adaptation evolution
 * strategy (CMA-ES, Hansen 2016; commons-math3's {@link CMAESOptimizer}, active CMA, seeded) in the unit cube of the
 * settings' ranges, restarted from the best point when it converges; points that round to settings already tried are
 * not fitted again. Once {@value #GLOBAL_SHARE} of the trials (or of the time budget) are used, the best settings are
 * polished by coordinate descent on the grid ({@link #polish}), then the strategy goes on while the budget lasts.
 * Each trial's inner loop starts from the σ and δ of the best trial so far. The search stops at
 * {@link TuneSettings#fits()} trials, or when the next trial and the final fit would not fit in the budget.
 *
 * <p>Resumable: every trial is appended to the {@link TrialLog}; run again with the same settings, the search replays
 * the logged trials (their logged losses drive the strategy exactly as before) and carries on, so an interrupted
 * search ends as an uninterrupted one would (with a {@code --fits} limit; a time budget also counts the logged
 * trials' times).
 *
 * <p>Reference: Hansen, The CMA Evolution Strategy: A Tutorial, arXiv:1604.00772 (2016); Deringer et al., Chem. Rev.
 * 121, 10073 (2021), sec. 5 (GAP hyperparameters).
 */
public final class TuneSearch {
    /** The loss the evolution strategy sees for a trial that failed. */
    private static final double FAILED = 1e10;
    /** Restarts of the strategy in a row that may add no new trial before the search counts as exhausted. */
    private static final int IDLE_RESTARTS = 4;
    /** The share of the trials (or of the time budget) the global phase may use before the first polish. */
    static final double GLOBAL_SHARE = 0.7;

    /** Thrown to stop the global phase when its share of the budget is used. */
    private static final class Switch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Switch() {
            super(null, null, false, false);
        }
    }

    /** Thrown to stop the strategy when the budget is spent. */
    private static final class Spent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Spent() {
            super(null, null, false, false);
        }
    }

    /**
     * The progress of a search, for a listener.
     *
     * @param trials trials done (replayed included)
     * @param plannedTrials the --fits limit, or 0
     * @param secondsUsed the logged trials' wall time (s)
     * @param secondsLeft the expected time to the end, the final fit included (s), or NaN while unknown
     */
    public record Progress(int trials, int plannedTrials, double secondsUsed, double secondsLeft) {
    }

    /** Receives a search's progress; also a {@link FitListener} for the stages of each trial. */
    public interface Listener extends FitListener {
        /** A trial starts (not called for replayed trials). */
        default void trialStarted(int index, String settings) {
        }

        /** A trial is done or was replayed from the log. */
        default void trialDone(Trial trial, Trial best, boolean replayed, Progress progress) {
        }
    }

    /**
     * The outcome.
     *
     * @param trials every trial, in order
     * @param best the trial with the lowest loss (the earliest of equals)
     * @param objective the loss, with its references
     * @param arguments the gap_fit command line of the best trial, σ and δ included
     * @param notes what the user should know
     */
    public record Result(List<Trial> trials, Trial best, Objective objective, List<String> arguments,
            List<String> notes) {
    }

    private final TuneSettings settings;
    private final TrainingSet data;
    private final Listener listener;
    private final CrossValidationGrams.Layout layout;
    private final TrialLog log;
    private final List<Trial> replay;
    private final List<Trial> trials = new ArrayList<>();
    private final Map<String, Trial> tried = new HashMap<>();
    private final List<String> notes = new ArrayList<>();
    private Objective objective;
    private Trial best;

    private TuneSearch(TuneSettings settings, TrainingSet data, Listener listener) {
        this.settings = settings;
        this.data = data;
        this.listener = listener;
        this.layout = CrossValidationGrams.Layout.of(data.frames(), settings.minGroupFrames());
        List<String> names = new ArrayList<>();
        boolean qualified = settings.space().start().size() > 1;
        settings.space().dimensions().forEach(d -> names.add(d.name(qualified)));
        this.log = TrialLog.open(settings.log(), identity(settings, layout), names, layout.groups().size());
        this.replay = log.trials();
    }

    /**
     * Runs a search (resuming the log if it holds trials).
     *
     * @param settings what to search
     * @param data the training set, read with the start settings
     * @param listener progress
     * @return the trials and the best settings
     */
    public static Result run(TuneSettings settings, TrainingSet data, Listener listener) {
        TuneSearch search = new TuneSearch(settings, data, listener);
        return search.run();
    }

    /** The lines that identify a search in its log. */
    static List<String> identity(TuneSettings s, CrossValidationGrams.Layout layout) {
        List<String> lines = new ArrayList<>();
        lines.add("start: " + String.join(" ", s.start().arguments()));
        lines.add("search: " + s.space().describe());
        lines.add("objective: " + s.target().label() + (Double.isNaN(s.energyReference())
                ? ", each error divided by the start's cross-validation error"
                : String.format(Locale.ROOT, ", errors divided by %s eV/atom and %s eV/Å",
                        Double.toString(s.energyReference()), Double.toString(s.forceReference()))));
        List<String> groups = new ArrayList<>();
        layout.groups().forEach(g -> groups.add(g.kind().name().toLowerCase(Locale.ROOT) + ":" + g.configType()));
        lines.add("cross-validation: " + s.folds() + " folds dealt with seed " + s.seed() + "; σ groups "
                + String.join(" ", groups) + "; inner loop of at most " + s.innerEvaluations() + " evaluations");
        lines.add("strategy: CMA-ES, seed " + s.seed() + ", step " + s.strategySigma() + ", then grid descent "
                + "after " + GLOBAL_SHARE + " of the budget");
        return lines;
    }

    private Result run() {
        if (!replay.isEmpty()) {
            notes.add("resuming " + log.file() + ": " + replay.size() + " trials logged");
        }
        SearchSpace space = settings.space();
        int dims = space.dimensions().size();
        try {
            evaluate(space.startValues());
            if (dims > 0) {
                try {
                    strategy(true);
                } catch (Switch global) {
                    // the global phase's share is used: polish the best settings
                }
                polish();
                strategy(false);
            }
        } catch (Spent spent) {
            // the budget is the user's: stop with the best trial so far
        }
        if (best == null || !best.ok()) {
            throw new IllegalStateException("no trial could be fitted" + (trials.isEmpty() ? ""
                    : ": " + trials.get(0).failure()));
        }
        if (replay.size() > trials.size()) {
            notes.add("the log holds " + replay.size() + " trials, this run's limits stopped after " + trials.size());
        }
        List<String> arguments = NoiseSettings.arguments(trialSettings(best.values()), layout, best.factors(),
                settings.workingDirectory());
        return new Result(List.copyOf(trials), best, objective, arguments, notes);
    }

    /**
     * CMA-ES in the unit cube, restarted from the best point while it converges and the budget lasts.
     *
     * @param global whether to stop (with {@link Switch}) once {@link #GLOBAL_SHARE} of the budget is used
     */
    private void strategy(boolean global) {
        SearchSpace space = settings.space();
        int dims = space.dimensions().size();
        double[] lower = new double[dims];
        double[] upper = new double[dims];
        Arrays.fill(upper, 1.0);
        double step = settings.strategySigma();
        int idle = 0;
        for (int restart = 0; idle < IDLE_RESTARTS; restart++) {
            int before = trials.size();
            double[] sigma = new double[dims];
            Arrays.fill(sigma, Math.min(step, 0.5));
            CMAESOptimizer cma = new CMAESOptimizer(10_000, 0.0, true, 0, 0,
                    new MersenneTwister(settings.seed() + restart), false, null);
            cma.optimize(new MaxEval(Integer.MAX_VALUE), GoalType.MINIMIZE,
                    new ObjectiveFunction(u -> {
                        if (global && globalShareUsed()) {
                            throw new Switch();
                        }
                        return evaluate(space.values(u));
                    }), new InitialGuess(point(best)),
                    new SimpleBounds(lower, upper), new CMAESOptimizer.Sigma(sigma),
                    new CMAESOptimizer.PopulationSize(4 + (int) (3 * Math.log(dims))));
            if (trials.size() == before) {
                idle++;
                step *= 2;
            } else {
                idle = 0;
                step = settings.strategySigma();
            }
        }
        if (!global) {
            notes.add("the search ran out of new settings to try (" + trials.size() + " trials): the evolution "
                    + "strategy converged " + IDLE_RESTARTS + " times in a row on settings already tried");
        }
    }

    /** Whether the global phase has used its share: of the --fits trials, else of the time budget. */
    private boolean globalShareUsed() {
        if (settings.fits() > 0) {
            return trials.size() >= Math.ceil(GLOBAL_SHARE * settings.fits());
        }
        return trials.stream().mapToDouble(Trial::seconds).sum() >= GLOBAL_SHARE * settings.budgetSeconds();
    }

    /**
     * Coordinate descent on the grid from the best trial: the settings one grid step away in one dimension are
     * tried in turn, and the search moves to the first that improves the loss, until none does. A CMA-ES step is
     * continuous and its population is small; the grid's minimum next to a good point is found this way in a few
     * trials per dimension.
     */
    private void polish() {
        boolean moved = true;
        while (moved) {
            moved = false;
            Trial from = best;
            for (double[] next : settings.space().neighbours(from.values())) {
                evaluate(next);
                if (best != from) {
                    moved = true;
                    break;
                }
            }
        }
    }

    /** The trial's settings as a point of the unit cube. */
    private double[] point(Trial t) {
        SearchSpace space = settings.space();
        double[] u = new double[space.dimensions().size()];
        double[] v = t.values();
        for (int i = 0; i < u.length; i++) {
            SearchSpace.Dimension d = space.dimensions().get(i);
            u[i] = Math.clamp((v[i] - d.lower()) / (d.upper() - d.lower()), 0, 1);
        }
        return u;
    }

    /** The loss of settings: logged, tried before, or fitted now. */
    private double evaluate(double[] values) {
        String key = settings.space().describe(values);
        Trial known = tried.get(key);
        if (known != null) {
            return known.ok() ? known.loss() : FAILED;
        }
        int index = trials.size();
        Trial t;
        boolean replayed = index < replay.size();
        if (replayed) {
            t = replay.get(index);
            String logged = settings.space().describe(t.values());
            if (!logged.equals(key)) {
                throw new IllegalArgumentException(log.file() + ": trial " + index + " of the log is '" + logged
                        + "' but the search now proposes '" + key + "' (a log of another version or thread count?); "
                        + "give another --output directory or remove the log to start again");
            }
        } else {
            checkBudget();
            listener.trialStarted(index, key);
            t = fit(index, values);
            log.append(t);
        }
        if (index == 0 && t.ok()) {
            objective = Double.isNaN(settings.energyReference())
                    ? Objective.normalisedBy(settings.target(), t.startCv())
                    : new Objective(settings.target(), settings.energyReference(), settings.forceReference());
        }
        trials.add(t);
        tried.put(key, t);
        if (t.ok() && (best == null || !best.ok() || t.loss() < best.loss())) {
            best = t;
        } else if (best == null) {
            best = t;
        }
        listener.trialDone(t, best, replayed, progress());
        return t.ok() ? t.loss() : FAILED;
    }

    private Progress progress() {
        double used = trials.stream().mapToDouble(Trial::seconds).sum();
        double mean = used / trials.size();
        double finalFit = finalFitSeconds();
        double left;
        if (settings.fits() > 0) {
            left = Math.max(0, settings.fits() - trials.size()) * mean + finalFit;
            if (settings.budgetSeconds() > 0) {
                left = Math.min(left, Math.max(0, settings.budgetSeconds() - used));
            }
        } else {
            left = Math.max(finalFit, settings.budgetSeconds() - used);
        }
        return new Progress(trials.size(), settings.fits(), used, left);
    }

    /** The expected wall time of the final fit: the mean pass of the trials (s; the fit is one such pass). */
    private double finalFitSeconds() {
        return trials.stream().mapToDouble(Trial::passSeconds).average().orElse(0);
    }

    private void checkBudget() {
        if (settings.fits() > 0 && trials.size() >= settings.fits()) {
            throw new Spent();
        }
        if (settings.budgetSeconds() > 0 && !trials.isEmpty()) {
            double used = trials.stream().mapToDouble(Trial::seconds).sum();
            double next = used / trials.size();
            if (used + next + finalFitSeconds() > settings.budgetSeconds()) {
                throw new Spent();
            }
        }
    }

    /** The start settings with the trial's descriptor strings. */
    private FitSettings trialSettings(double[] values) {
        List<DescriptorSpec> specs = settings.space().settings(values);
        List<String> texts = specs.stream().map(d -> d.text().strip()).toList();
        List<String> arguments = GapFitCommandLine.rewrite(settings.start().arguments(), settings.workingDirectory(),
                Map.of("gap", String.join(" : ", texts)));
        return GapFitCommandLine.parse(arguments, settings.workingDirectory());
    }

    /** Fits one trial: sparse points, the pass, the inner loop. */
    private Trial fit(int index, double[] values) {
        long t0 = System.nanoTime();
        int groups = layout.groups().size();
        int descriptors = settings.space().start().size();
        NoiseSearch.Factors one = NoiseSearch.Factors.one(groups, descriptors);
        Objective.CvErrors none = new Objective.CvErrors(Double.NaN, Double.NaN, 0, 0);
        try {
            FitSettings ts = trialSettings(values);
            TrainingSet set = ts.e0() instanceof E0Settings.Isolated ? TrainingSet.read(ts) : data;
            List<GapTerm> terms = SparsePointChooser.choose("tune_" + index + "_", GapFit.termSpecs(ts, set.species()),
                    set.frames(), settings.seed(), ts.directory(), ts.configTypeSigma().keySet(), settings.threads(),
                    listener, new ArrayList<>())
                    .terms();
            Set<String> types = new LinkedHashSet<>();
            set.frames().forEach(f -> types.add(f.configType()));
            CalibrationSettings cv = CalibrationSettings.of(SigmaCalibration.Method.SCALE, settings.folds(), ts,
                    types);
            CrossValidationGrams.Data grams = CrossValidationGrams.run(terms, GapFit.descriptorOfTerm(ts, set.species()), set.e0(),
                    set.frames(), ts.sparseJitter(), cv, settings.threads(), listener);
            if (index == 0) {
                notes.addAll(grams.notes());
                String perFrame = NoiseSettings.perFrameSigmaNote(ts, set.frames());
                if (perFrame != null) {
                    notes.add(perFrame);
                }
            }
            double pass = (System.nanoTime() - t0) * 1e-9;
            NoiseSearch search = new NoiseSearch(grams, settings.threads());
            Objective.CvErrors startCv = search.errors(one);
            Objective obj = objective != null ? objective : Double.isNaN(settings.energyReference())
                    ? Objective.normalisedBy(settings.target(), startCv)
                    : new Objective(settings.target(), settings.energyReference(), settings.forceReference());
            NoiseSearch.Factors warm = best != null && best.ok() ? best.factors() : one;
            NoiseSearch.Outcome o = search.search(obj, warm, descriptors > 1, settings.innerEvaluations());
            boolean keepOne = obj.loss(startCv) < o.bestLoss();
            return new Trial(index, values, keepOne ? startCv : o.bestErrors(),
                    keepOne ? obj.loss(startCv) : o.bestLoss(), startCv, keepOne ? one : o.best(),
                    o.evaluations() + 1, (System.nanoTime() - t0) * 1e-9, pass, "");
        } catch (IllegalArgumentException e) {
            // a setting gap_fit refuses (FitSettingsException, DescriptorStringException) or a K_MM that does not
            // factorise (NotPositiveDefiniteException): the trial failed, the search goes on
            if (index == 0) {
                throw e;
            }
            return new Trial(index, values, none, Double.POSITIVE_INFINITY, none, one, 0,
                    (System.nanoTime() - t0) * 1e-9, 0, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
