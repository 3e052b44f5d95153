package org.soapstone.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.soapstone.engine.fit.FitSettings;
import org.soapstone.engine.fit.FitSettingsException;
import org.soapstone.engine.fit.GapFit;
import org.soapstone.engine.fit.GapFitCommandLine;
import org.soapstone.engine.fit.Objective;
import org.soapstone.engine.fit.TrainingSet;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.io.AtomicFile;
import org.soapstone.engine.tune.SearchSpace;
import org.soapstone.engine.tune.Trial;
import org.soapstone.engine.tune.TuneSearch;
import org.soapstone.engine.tune.TuneSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code soapstone tune}: searches a GAP's descriptor settings, noise σ and δ by K-fold cross-validation, starting
 * from a gap_fit command line, then fits the model with the best settings found ({@link TuneSearch}).
 */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Search the descriptor settings, noise σ and δ of a GAP by K-fold cross-validation on its "
            + "training frames, then fit it with the best found.",
            "The start is a gap_fit command line (the same arguments as soapstone fit), e.g.",
            "  soapstone tune at_file=train.xyz gap={soap cutoff=5.4 n_max=8 l_max=8 atom_sigma=0.5 zeta=4 "
            + "cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product n_sparse=1000 "
            + "sparse_method=cur_points} default_sigma={0.01 0.05 0.01 1} e0={Si:-0.79} rnd_seed=1 gp_file=si.gap "
            + "--budget 25m",
            "The descriptor kinds and the sparse budget (n_sparse) are kept, so the model costs the same to run "
            + "(n_max, l_max and cutoff change its cost somewhat). Searched: cutoff, cutoff_transition_width, "
            + "atom_sigma, n_max, l_max and zeta by an evolution strategy (CMA-ES; after 70 % of the budget, "
            + "coordinate descent on the grid around the best settings), and for each trial the σ of "
            + "energies, forces and virials of each config_type (types with fewer than 10 frames share "
            + "default_sigma's) and the δ of each descriptor but the first by an inner loop that costs no pass "
            + "over the frames. Folds are disjoint by frame, dealt at random within each config_type with "
            + "rnd_seed (default 1).",
            "Writes, in the --output directory: trials.tsv (every trial: settings, cross-validation MAE of "
            + "energies in eV/atom and forces in eV/Å, loss, wall time, σ and δ factors; also the search's state: "
            + "run the same command again to resume an interrupted search, which then ends as it would have), "
            + "search.png/svg and search-errors.png/svg (the search), best-command.txt (the best settings as a "
            + "soapstone fit / gap_fit command line). Then fits the model with the best settings on all frames "
            + "and writes gp_file, exactly as soapstone fit with that command line would."})
final class TuneCommand implements Callable<Integer> {
    private static final Pattern TIME = Pattern.compile("(?:(\\d+(?:\\.\\d+)?)h)?(?:(\\d+(?:\\.\\d+)?)m)?"
            + "(?:(\\d+(?:\\.\\d+)?)s?)?");

    @Parameters(paramLabel = "KEY=VALUE", arity = "1..*",
            description = "gap_fit's arguments, verbatim (at_file=, gap={...}, default_sigma={...}, e0=, "
                    + "config_type_sigma=, sparse_jitter=, rnd_seed=, gp_file=, ...): the starting point.")
    List<String> gapFitArguments = new ArrayList<>();

    @Option(names = "--budget", paramLabel = "TIME",
            description = "Wall time for the whole search and the final fit, e.g. 25m, 1h30m, 900s (a bare number "
                    + "is seconds): no trial starts that would not leave time for the final fit.")
    String budget;

    @Option(names = "--fits", paramLabel = "N", defaultValue = "0",
            description = "At most N trials, the start included (with or instead of --budget).")
    int fits;

    @Option(names = "--objective", paramLabel = "energy|forces|both|worst", defaultValue = "both",
            converter = TargetConverter.class,
            description = "What the search minimises (default ${DEFAULT-VALUE}): the cross-validation MAE of "
                    + "energies per atom, of force components, the mean of the two, or the larger of the two, each "
                    + "divided by a reference error — by default the cross-validation error of the starting settings "
                    + "(so the start scores 1; 0.9 means 10 % better on average with both, each 10 % better with "
                    + "worst), or --reference-errors.")
    Objective.Target objective;

    @Option(names = "--reference-errors", paramLabel = "E,F", split = ",",
            description = "Normalise the loss by these errors instead: energy MAE in meV/atom and force MAE in "
                    + "eV/Å, e.g. a published model's (2.91,0.07).")
    List<Double> referenceErrors;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "5",
            description = "Folds of the cross-validation (≥ 2; default ${DEFAULT-VALUE}); also those of the "
                    + "final model's error-bar calibration.")
    int folds;

    @Option(names = "--vary", paramLabel = "KEY=LO:HI",
            description = "The range of a searched setting, for every descriptor it applies to (cutoff and "
                    + "cutoff_transition_width and atom_sigma in Å; n_max, l_max, zeta). Defaults: cutoff 0.75–1.25 "
                    + "× the start (step 0.05 Å), cutoff_transition_width 0.5–2.5 × (step 0.05 Å, below half the "
                    + "smallest cutoff), atom_sigma 0.5–1.5 × (step 0.025 Å), n_max and l_max the start ± 3, zeta "
                    + "± 2 (integers).")
    List<String> vary = new ArrayList<>();

    @Option(names = "--fix", paramLabel = "KEY", split = ",",
            description = "Settings not searched (e.g. --fix n_max,l_max to keep the model's cost).")
    List<String> fix = new ArrayList<>();

    @Option(names = "--inner-evaluations", paramLabel = "N", defaultValue = "60",
            description = "The most σ and δ points each trial's inner loop evaluates (default ${DEFAULT-VALUE}).")
    int innerEvaluations;

    @Option(names = "--step", paramLabel = "FRACTION", defaultValue = "0.25",
            description = "The evolution strategy's initial step, as a fraction of each setting's range (default "
                    + "${DEFAULT-VALUE}).")
    double step;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Directory of the trial log, plots and best command line (default: gp_file + '.tune').")
    Path output;

    @Option(names = "--calibration", paramLabel = "none|scale|group", defaultValue = "group",
            converter = FitCommand.CalibrationMethodConverter.class,
            description = "Error-bar calibration of the final model, as soapstone fit (default ${DEFAULT-VALUE}).")
    SigmaCalibration.Method calibration;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        Path cwd = Path.of("").toAbsolutePath();
        double seconds = budget == null ? 0 : seconds(budget);
        FitSettings start = GapFitCommandLine.parse(gapFitArguments, cwd);
        Path out = start.gapFile();
        FitCommand.checkWritable(out);
        Path dir = output != null ? output : out.resolveSibling(out.getFileName() + ".tune");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--output " + dir + ": exists and is not a directory");
        }
        double e = Double.NaN;
        double f = Double.NaN;
        if (referenceErrors != null) {
            if (referenceErrors.size() != 2) {
                throw new FitSettingsException("--reference-errors needs two numbers, E (meV/atom) and F (eV/Å)");
            }
            e = referenceErrors.get(0) * 1e-3;
            f = referenceErrors.get(1);
        }
        SearchSpace space = SearchSpace.of(start.descriptors(), ranges(), fixed());
        TuneSettings settings = new TuneSettings(start, cwd, space, objective, e, f, folds, fits, seconds,
                innerEvaluations, step, threads.threads, dir.resolve("trials.tsv"));
        long t0 = System.nanoTime();
        TrainingSet data = TrainingSet.read(start);
        System.out.printf(Locale.ROOT, "read %s: %d frames (%.1f s); searching %s%n", start.atFile(),
                data.frames().size(), (System.nanoTime() - t0) * 1e-9, space.describe());
        TuneSearch.Result result;
        try (Listener listener = new Listener(space)) {
            result = TuneSearch.run(settings, data, listener);
        }
        result.notes().forEach(n -> System.out.println("note: " + n));
        Files.createDirectories(dir);
        String line = "soapstone fit " + shellLine(result.arguments());
        AtomicFile.write(dir.resolve("best-command.txt"), o -> o.write((line + "\n").getBytes(StandardCharsets.UTF_8)));
        List<Path> plots = TunePlots.write(result.trials(), result.best(), dir);
        System.out.print(table(result, space));
        Trial best = result.best();
        Trial first = result.trials().get(0);
        System.out.printf(Locale.ROOT, "start (trial 0, σ and δ as given): cross-validation MAE %.4g meV/atom, %.4g eV/Å%n",
                1e3 * first.startCv().energy(), first.startCv().force());
        System.out.printf(Locale.ROOT, "best (trial %d, loss %.4g): cross-validation MAE %.4g meV/atom, %.4g eV/Å; "
                + "%s%n", best.index(), best.loss(), 1e3 * best.cv().energy(), best.cv().force(),
                space.describe(best.values()));
        System.out.println("best settings: " + line);
        System.out.println("trial log: " + settings.log() + "; plots: " + String.join(", ",
                plots.stream().map(Path::toString).toList()));

        FitSettings chosen = GapFitCommandLine.parse(result.arguments(), cwd);
        TrainingSet chosenData = TrainingSet.read(chosen);
        GapFit.Result fit;
        try (FitCommand.ProgressListener listener = new FitCommand.ProgressListener()) {
            fit = GapFit.run(chosen, chosenData, Version.number(), threads.threads, listener,
                    new GapFit.Options(0, calibration, folds, cwd));
        }
        FitCommand.write(chosen.gapFile(), chosen, fit);
        System.out.printf(Locale.ROOT, "time: %.1f s on %d threads; peak memory %s%n",
                (System.nanoTime() - t0) * 1e-9, threads.threads, PeakMemory.describe());
        System.out.println("model: " + chosen.gapFile().toAbsolutePath());
        return 0;
    }

    /** The trials as an aligned table (energies meV/atom, forces eV/Å). */
    static String table(TuneSearch.Result result, SearchSpace space) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%5s  %-60s %12s %10s %8s %8s%n", "trial", "settings",
                "E (meV/at)", "F (eV/Å)", "loss", "time (s)"));
        for (Trial t : result.trials()) {
            String mark = t == result.best() ? " *" : "";
            if (t.ok()) {
                sb.append(String.format(Locale.ROOT, "%5d  %-60s %12.4g %10.4g %8.4f %8.1f%s%n", t.index(),
                        space.describe(t.values()), 1e3 * t.cv().energy(), t.cv().force(), t.loss(), t.seconds(),
                        mark));
            } else {
                sb.append(String.format(Locale.ROOT, "%5d  %-60s failed: %s%n", t.index(), space.describe(t.values()),
                        t.failure()));
            }
        }
        return sb.toString();
    }

    private Map<SearchSpace.Key, double[]> ranges() {
        Map<SearchSpace.Key, double[]> out = new EnumMap<>(SearchSpace.Key.class);
        for (String v : vary) {
            int eq = v.indexOf('=');
            int colon = v.indexOf(':', Math.max(eq, 0));
            SearchSpace.Key key = eq < 0 ? null : SearchSpace.Key.of(v.substring(0, eq).strip());
            if (key == null || colon < 0) {
                throw new FitSettingsException("--vary " + v + ": expected KEY=LO:HI with KEY one of cutoff, "
                        + "cutoff_transition_width, atom_sigma, n_max, l_max, zeta");
            }
            try {
                out.put(key, new double[] {Double.parseDouble(v.substring(eq + 1, colon).strip()),
                    Double.parseDouble(v.substring(colon + 1).strip())});
            } catch (NumberFormatException e) {
                throw new FitSettingsException("--vary " + v + ": LO and HI must be numbers", e);
            }
        }
        return out;
    }

    private List<SearchSpace.Key> fixed() {
        List<SearchSpace.Key> out = new ArrayList<>();
        for (String k : fix) {
            SearchSpace.Key key = SearchSpace.Key.of(k.strip());
            if (key == null) {
                throw new FitSettingsException("--fix " + k + ": not a searched setting; one of cutoff, "
                        + "cutoff_transition_width, atom_sigma, n_max, l_max, zeta");
            }
            out.add(key);
        }
        return out;
    }

    /** Parses 25m, 1h30m, 90s or a bare number of seconds. */
    static double seconds(String text) {
        Matcher m = TIME.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (text.isBlank() || !m.matches()) {
            throw new FitSettingsException("--budget " + text + ": expected a time such as 25m, 1h30m or 900s");
        }
        double s = 0;
        s += m.group(1) == null ? 0 : 3600 * Double.parseDouble(m.group(1));
        s += m.group(2) == null ? 0 : 60 * Double.parseDouble(m.group(2));
        s += m.group(3) == null ? 0 : Double.parseDouble(m.group(3));
        if (!(s > 0)) {
            throw new FitSettingsException("--budget " + text + ": the budget must be more than 0 s");
        }
        return s;
    }

    /** gap_fit's tokens as one shell line: a token with characters the shell would read is single-quoted. */
    static String shellLine(List<String> tokens) {
        List<String> out = new ArrayList<>();
        for (String t : tokens) {
            boolean safe = t.matches("[A-Za-z0-9_./:=,+@%{}-]+") && !(t.contains("{") && t.contains(","));
            out.add(safe ? t : "'" + t.replace("'", "'\\''") + "'");
        }
        return String.join(" ", out);
    }


    /** Reads energy, forces or both. */
    static final class TargetConverter extends LowerCaseEnumConverter<Objective.Target> {
        TargetConverter() {
            super(Objective.Target.class, "an objective");
        }
    }

    /** Prints each trial as it ends, and each trial's stages as soapstone fit does. */
    private static final class Listener extends FitCommand.ProgressListener implements TuneSearch.Listener {
        private final SearchSpace space;

        Listener(SearchSpace space) {
            this.space = space;
        }

        @Override
        public void trialStarted(int index, String settings) {
            System.out.println("trial " + index + ": " + settings);
        }

        @Override
        public void trialDone(Trial t, Trial best, boolean replayed, TuneSearch.Progress p) {
            close();
            String of = p.plannedTrials() > 0 ? " of " + p.plannedTrials() : "";
            String what = t.ok() ? String.format(Locale.ROOT, "cross-validation MAE %.4g meV/atom, %.4g eV/Å, "
                    + "loss %.4f", 1e3 * t.cv().energy(), t.cv().force(), t.loss()) : "failed: " + t.failure();
            String eta = Double.isFinite(p.secondsLeft()) ? ", ETA " + Progress.formatDuration(p.secondsLeft()) : "";
            System.out.printf(Locale.ROOT, "trial %d%s%s: %s; %s (%.1f s); best: trial %d, loss %.4f%s%n",
                    t.index(), of, replayed ? " (from the log)" : "", space.describe(t.values()), what, t.seconds(),
                    best.index(), best.ok() ? best.loss() : Double.NaN, eta);
        }
    }
}
