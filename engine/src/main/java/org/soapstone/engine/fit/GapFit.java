package org.soapstone.engine.fit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.gap.FitProvenance;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.SigmaCalibration;

/**
 * A whole GAP fit as gap_fit runs it: the descriptor strings expanded per species ({@code add_species}, species
 * in order of first appearance), sparse points chosen on the descriptors of every frame
 * ({@link SparsePointChooser}), then the projected-process solve streamed over the frames ({@link SparseGpSolve}).
 * The model carries its posterior; the provenance records the command line, the SHA-256 of the training file and
 * the figures of the fit.
 *
 * <p>Reference: Bartók et al., Phys. Rev. Lett. 104, 136403 (2010); Deringer et al., Chem. Rev. 121, 10073 (2021).
 */
public final class GapFit {
    private GapFit() {
    }

    /**
     * The outcome of a fit.
     *
     * @param model the fitted model, with its posterior
     * @param provenance where it came from
     * @param notes what the user should know (sparse points capped, keys with no effect, …)
     * @param seconds wall time per stage (s), in order
     */
    public record Result(GapModel model, FitProvenance provenance, List<String> notes, Map<String, Double> seconds) {
    }

    /**
     * How a fit goes beyond gap_fit's.
     *
     * @param optimiseEvaluations 0 for gap_fit's plain fit, else the cap on the evaluations of a search of the σ of
     *     each config type and kind and the δ of each descriptor by K-fold cross-validation ({@link NoiseSearch}),
     *     after which the model is fitted with the settings chosen
     * @param calibration how the error bars are calibrated ({@link CrossValidatedFit})
     * @param folds K of the K-fold cross-validation (≥ 2)
     * @param workingDirectory the directory the command line was given in (for the settings a search rewrites)
     */
    public record Options(int optimiseEvaluations, SigmaCalibration.Method calibration, int folds,
            Path workingDirectory) {
        /** gap_fit's plain fit, no calibration. */
        public static final Options PLAIN = new Options(0, SigmaCalibration.Method.NONE,
                CalibrationSettings.DEFAULT_FOLDS, Path.of("").toAbsolutePath());

        public Options {
            if (optimiseEvaluations < 0) {
                throw new FitSettingsException("--optimise " + optimiseEvaluations + " is not allowed; it must be ≥ 0");
            }
            if (folds < 2) {
                throw new FitSettingsException("--calibration-folds " + folds + " is not allowed; cross-validation "
                        + "needs at least 2 folds");
            }
            java.util.Objects.requireNonNull(calibration, "calibration");
            java.util.Objects.requireNonNull(workingDirectory, "workingDirectory");
        }
    }

    /**
     * Fits a model as gap_fit does.
     *
     * @param settings the fit's settings
     * @param data the training set, read with the same settings
     * @param version the Soapstone version, for the provenance
     * @param threads worker threads
     * @param listener progress
     * @return the model and its provenance
     */
    public static Result run(FitSettings settings, TrainingSet data, String version, int threads,
            FitListener listener) {
        return run(settings, data, version, threads, listener, Options.PLAIN);
    }

    /**
     * Fits a model, optionally after choosing σ and δ by cross-validation ({@link Options#optimiseEvaluations()}:
     * the settings chosen are reported in the notes as a gap_fit command line, and the model is the fit with them),
     * then calibrates its error bars by cross-validation ({@link CrossValidatedFit}) unless the calibration is
     * {@link SigmaCalibration.Method#NONE}; the model records the fit's noise either way.
     */
    public static Result run(FitSettings settings, TrainingSet data, String version, int threads,
            FitListener listener, Options options) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>(data.notes());
        long seed = seed(settings, notes);
        List<DescriptorSpec> specs = termSpecs(settings, data.species());
        Instant start = Instant.now();
        String label = label(start);
        long t0 = System.nanoTime();
        List<TrainingFrame> gathered = settings.mpiProcesses() == 1 ? data.frames()
                : MpiFrameOrder.order(data.frames(), settings.mpiProcesses(),
                        SparsePointChooser.sparseCount(specs, settings.directory()));
        SparsePointChooser.Choice choice = SparsePointChooser.choose(label + "_", specs, gathered, seed,
                settings.directory(), settings.configTypeSigma().keySet(), threads, listener, notes);
        SparsePointFiles.write(settings, specs, choice, gathered, notes);
        List<GapTerm> terms = choice.terms();
        long t1 = System.nanoTime();
        seconds.put("descriptors and sparse points", (t1 - t0) * 1e-9);
        GapModel model;
        Map<String, String> chosen = new LinkedHashMap<>();
        if (settings.sparsifyOnly()) {
            model = new GapModel(label, GapModel.GAP_VERSION, data.e0(), terms);
            notes.add("sparsify_only_no_fit=T: sparse points chosen and written, no fit (alpha = 0)");
        } else {
            if (options.optimiseEvaluations() > 0) {
                int[] descriptorOfTerm = descriptorOfTerm(settings, data.species());
                settings = chooseNoise(settings, data, terms, descriptorOfTerm, options, threads, listener, notes,
                        chosen);
                data = TrainingSet.read(settings);
                terms = withDeltas(terms, settings, descriptorOfTerm);
                seconds.put("cross-validated search of sigma and delta", (System.nanoTime() - t1) * 1e-9);
            }
            long t2 = System.nanoTime();
            Set<String> types = new LinkedHashSet<>();
            data.frames().forEach(f -> types.add(f.configType()));
            CalibrationSettings cal = CalibrationSettings.of(options.calibration(), options.folds(), settings, types);
            if (options.calibration() != SigmaCalibration.Method.NONE) {
                CrossValidatedFit.Result cv = CrossValidatedFit.fit(label, data.e0(), terms, data.frames(),
                        settings.sparseJitter(), threads, listener, cal);
                model = cv.model();
                notes.addAll(cv.notes());
            } else {
                model = SparseGpSolve.fit(label, data.e0(), terms, data.frames(), settings.sparseJitter(), threads,
                        listener).withCalibration(SigmaCalibration.none(cal.noisePerAtom(), cal.noise()));
            }
            seconds.put("covariance and QR", (System.nanoTime() - t2) * 1e-9);
        }
        model = model.withBaseline(settings.baseline());
        long t3 = System.nanoTime();
        long atoms = data.frames().stream().mapToLong(f -> f.structure().size()).sum();
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("threads", Integer.toString(threads));
        extra.putAll(chosen);
        FitProvenance provenance = provenance(version, start, settings,
                Map.of(settings.atFile().toString(), sha256(settings.atFile())), model, data.frames().size(), atoms,
                seed, (t3 - t0) * 1e-9, extra);
        return new Result(model, provenance, notes, seconds);
    }

    /**
     * The σ of every config type and kind and the δ of every descriptor but the first chosen by K-fold
     * cross-validation ({@link NoiseSearch}, the mean of the energy and force MAE ratios to the start's), from the
     * given settings, so the result is never worse than they are on that loss.
     *
     * @return the settings with the σ and δ chosen
     */
    private static FitSettings chooseNoise(FitSettings settings, TrainingSet data, List<GapTerm> terms,
            int[] descriptorOfTerm, Options options, int threads, FitListener listener, List<String> notes,
            Map<String, String> chosen) {
        Set<String> types = new LinkedHashSet<>();
        data.frames().forEach(f -> types.add(f.configType()));
        CalibrationSettings cv = CalibrationSettings.of(SigmaCalibration.Method.SCALE, options.folds(), settings,
                types);
        CrossValidationGrams.Data grams = CrossValidationGrams.run(terms, descriptorOfTerm, data.e0(), data.frames(),
                settings.sparseJitter(), cv, threads, listener);
        NoiseSearch search = new NoiseSearch(grams, threads);
        NoiseSearch.Factors one = NoiseSearch.Factors.one(grams.layout().groups().size(),
                settings.descriptors().size());
        Objective objective = Objective.normalisedBy(Objective.Target.BOTH, search.errors(one));
        NoiseSearch.Outcome o = search.search(objective, one, settings.descriptors().size() > 1,
                options.optimiseEvaluations());
        List<String> arguments = NoiseSettings.arguments(settings, grams.layout(), o.best(),
                options.workingDirectory());
        notes.addAll(grams.notes());
        String perFrame = NoiseSettings.perFrameSigmaNote(settings, data.frames());
        if (perFrame != null) {
            notes.add("--optimise: " + perFrame);
        }
        notes.add(String.format(Locale.ROOT, "--optimise: %d-fold cross-validation loss %.4g -> %.4g (mean of "
                + "the energy and force ratios to the start's) in %d evaluations: energy MAE %.4g -> %.4g "
                + "meV/atom, force MAE %.4g -> %.4g eV/Å; the model is fitted with %s", options.folds(),
                o.startLoss(), o.bestLoss(), o.evaluations(), 1e3 * o.startErrors().energy(),
                1e3 * o.bestErrors().energy(), o.startErrors().force(), o.bestErrors().force(),
                String.join(" ", arguments)));
        chosen.put("optimised_from", String.join(" ", settings.arguments()));
        chosen.put("optimise_cv_loss", o.startLoss() + " -> " + o.bestLoss());
        return GapFitCommandLine.parse(arguments, options.workingDirectory());
    }

    /** The terms with the δ of their descriptor strings in {@code settings} (sparse points unchanged). */
    private static List<GapTerm> withDeltas(List<GapTerm> terms, FitSettings settings, int[] descriptorOfTerm) {
        List<GapTerm> out = new ArrayList<>();
        for (int t = 0; t < terms.size(); t++) {
            GapTerm g = terms.get(t);
            double delta = settings.descriptors().get(descriptorOfTerm[t]).fit().delta().orElseThrow();
            out.add(delta == g.delta() ? g : new GapTerm(g.label(), g.descriptor().withDelta(delta), g.covariance(),
                    delta, g.f0(), g.zeta(), g.theta(), g.sparseX(), g.alpha(), g.sparseCutoff()));
        }
        return out;
    }

    /**
     * The descriptor string of the {@code gap} setting each term of {@link #termSpecs} comes from.
     *
     * @param species atomic numbers in order of first appearance in the training set
     */
    public static int[] descriptorOfTerm(FitSettings settings, int[] species) {
        List<Integer> of = new ArrayList<>();
        for (int i = 0; i < settings.descriptors().size(); i++) {
            for (int n = settings.descriptors().get(i).addSpecies(species).size(); n > 0; n--) {
                of.add(i);
            }
        }
        return of.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The seed of the sparse-point choice: {@code rnd_seed}, else drawn (and said in the notes).
     *
     * @param notes receives the drawn seed
     */
    public static long seed(FitSettings settings, List<String> notes) {
        if (settings.rndSeed() >= 0) {
            return settings.rndSeed();
        }
        long seed = 1 + Math.floorMod(System.nanoTime(), FitSettings.MAX_SEED);
        notes.add("rnd_seed not given: sparse points drawn with seed " + seed + " (recorded in the model)");
        return seed;
    }

    /**
     * The descriptor of every term: each {@code gap} string expanded per species ({@code add_species}).
     *
     * @param species atomic numbers in order of first appearance in the training set
     */
    public static List<DescriptorSpec> termSpecs(FitSettings settings, int[] species) {
        List<DescriptorSpec> specs = new ArrayList<>();
        for (DescriptorSpec spec : settings.descriptors()) {
            specs.addAll(spec.addSpecies(species));
        }
        return specs;
    }

    /** @return the model's label, gap_fit's {@code GAP_yyyy_MM_dd_HH_mm_ss} of the start time (UTC) */
    public static String label(Instant start) {
        return "GAP_" + DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss", Locale.ROOT).withZone(ZoneOffset.UTC)
                .format(start);
    }

    /**
     * Notes and provenance entries for the values a likelihood search chose (the distributed fit's
     * {@code --optimise}).
     *
     * @param notes receives the note
     * @param chosen receives the provenance entries
     */
    public static void describe(SparseGpSolve.Optimised o, FitSettings settings, List<String> notes,
            Map<String, String> chosen) {
        Sigmas d = settings.defaultSigma();
        double[] t = o.sigmaFactor();
        String sigma = String.format(Locale.ROOT, "{%.6g %.6g %.6g %.6g}", d.energy() * t[0], d.force() * t[1],
                d.virial() * t[2], d.hessian());
        chosen.put("optimised_delta", java.util.Arrays.toString(o.delta()));
        chosen.put("optimised_sigma_factors", java.util.Arrays.toString(t));
        chosen.put("optimised_default_sigma", sigma);
        notes.add(String.format(Locale.ROOT, "--optimise: delta %s, every sigma scaled by %s (energy, force, "
                + "virial: one factor, so their ratios stay as given), i.e. default_sigma=%s; log marginal likelihood %.6g -> %.6g in %d evaluations",
                java.util.Arrays.toString(o.delta()), java.util.Arrays.toString(t), sigma,
                o.startLogLikelihood(), o.logLikelihood(), o.evaluations()));
    }

    /**
     * The provenance of a fit: command line, training files with their SHA-256, the figures of the fit.
     *
     * @param files training file (as named) → SHA-256
     * @param seconds wall time of the fit (s)
     * @param extra further summary entries (threads, partitions, chosen hyperparameters), in order
     */
    public static FitProvenance provenance(String version, Instant start, FitSettings settings,
            Map<String, String> files, GapModel model, long frames, long atoms, long seed, double seconds,
            Map<String, String> extra) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("frames", Long.toString(frames));
        summary.put("atoms", Long.toString(atoms));
        summary.put("sparse_points", Integer.toString(model.terms().stream().mapToInt(GapTerm::sparseCount).sum()));
        summary.put("rnd_seed", Long.toString(seed));
        if (model.hasPosterior()) {
            summary.put("observations", Long.toString(model.posterior().observations()));
            summary.put("log_marginal_likelihood", Double.toString(model.posterior().logMarginalLikelihood()));
        }
        summary.put("seconds", String.format(Locale.ROOT, "%.3f", seconds));
        summary.putAll(extra);
        return new FitProvenance(version, start.toString(), settings.arguments(), files, summary);
    }

    /** SHA-256 of a file, lowercase hex. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int r = in.read(buffer); r > 0; r = in.read(buffer)) {
                digest.update(buffer, 0, r);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
