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
     * The descriptor strings of the settings expanded per species, in gap_fit's order.
     *
     * @param specs one per term
     * @param descriptorOfTerm the descriptor string of the {@code gap} setting each term comes from
     */
    public record Terms(List<DescriptorSpec> specs, int[] descriptorOfTerm) {
        /** gap_fit's {@code add_species} expansion of every descriptor string. */
        public static Terms of(FitSettings settings, int[] species) {
            List<DescriptorSpec> specs = new ArrayList<>();
            List<Integer> of = new ArrayList<>();
            for (int i = 0; i < settings.descriptors().size(); i++) {
                for (DescriptorSpec s : settings.descriptors().get(i).addSpecies(species)) {
                    specs.add(s);
                    of.add(i);
                }
            }
            return new Terms(specs, of.stream().mapToInt(Integer::intValue).toArray());
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
        long seed = settings.rndSeed() >= 0 ? settings.rndSeed() : System.nanoTime();
        if (settings.rndSeed() < 0) {
            notes.add("rnd_seed not given: sparse points drawn with seed " + seed + " (recorded in the model)");
        }
        Terms expansion = Terms.of(settings, data.species());
        Instant start = Instant.now();
        String label = "GAP_" + DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss", Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(start);
        long t0 = System.nanoTime();
        List<GapTerm> terms = SparsePointChooser.choose(label + "_", expansion.specs(), data.frames(), seed, threads,
                listener, notes);
        long t1 = System.nanoTime();
        seconds.put("descriptors and sparse points", (t1 - t0) * 1e-9);
        Map<String, String> chosen = new LinkedHashMap<>();
        if (options.optimiseEvaluations() > 0) {
            Set<String> types = new LinkedHashSet<>();
            data.frames().forEach(f -> types.add(f.configType()));
            CalibrationSettings cv = CalibrationSettings.of(SigmaCalibration.Method.SCALE, options.folds(), settings,
                    types);
            CrossValidationGrams.Data grams = CrossValidationGrams.run(terms, expansion.descriptorOfTerm(), data.e0(),
                    data.frames(), settings.sparseJitter(), cv, threads, listener);
            NoiseSearch search = new NoiseSearch(grams, threads);
            NoiseSearch.Factors one = NoiseSearch.Factors.one(grams.layout().groups().size(),
                    settings.descriptors().size());
            Objective objective = Objective.normalisedBy(Objective.Target.BOTH, search.errors(one));
            NoiseSearch.Outcome o = search.search(objective, one, settings.descriptors().size() > 1,
                    options.optimiseEvaluations());
            List<String> arguments = NoiseSettings.arguments(settings, grams.layout(), o.best(),
                    options.workingDirectory());
            String line = String.join(" ", arguments);
            notes.addAll(grams.notes());
            String perFrame = NoiseSettings.perFrameSigmaNote(settings, data.frames());
            if (perFrame != null) {
                notes.add("--optimise: " + perFrame);
            }
            notes.add(String.format(Locale.ROOT, "--optimise: %d-fold cross-validation loss %.4g -> %.4g (mean of "
                    + "the energy and force ratios to the start's) in %d evaluations: energy MAE %.4g -> %.4g "
                    + "meV/atom, force MAE %.4g -> %.4g eV/Å; the model is fitted with %s", options.folds(),
                    o.startLoss(), o.bestLoss(), o.evaluations(), 1e3 * o.startErrors().energy(),
                    1e3 * o.bestErrors().energy(), o.startErrors().force(), o.bestErrors().force(), line));
            chosen.put("optimised_from", String.join(" ", settings.arguments()));
            chosen.put("optimise_cv_loss", o.startLoss() + " -> " + o.bestLoss());
            settings = GapFitCommandLine.parse(arguments, options.workingDirectory());
            data = TrainingSet.read(settings);
            terms = withDeltas(terms, settings, expansion.descriptorOfTerm());
            seconds.put("cross-validated search of sigma and delta", (System.nanoTime() - t1) * 1e-9);
        }
        long t2 = System.nanoTime();
        Set<String> types = new LinkedHashSet<>();
        data.frames().forEach(f -> types.add(f.configType()));
        CalibrationSettings cal = CalibrationSettings.of(options.calibration(), options.folds(), settings, types);
        GapModel model;
        if (options.calibration() != SigmaCalibration.Method.NONE) {
            CrossValidatedFit.Result cv = CrossValidatedFit.fit(label, data.e0(), terms, data.frames(),
                    settings.sparseJitter(), threads, listener, cal);
            model = cv.model();
            notes.addAll(cv.notes());
        } else {
            model = SparseGpSolve.fit(label, data.e0(), terms, data.frames(), settings.sparseJitter(), threads,
                    listener).withCalibration(SigmaCalibration.none(cal.noisePerAtom(), cal.noise()));
        }
        long t3 = System.nanoTime();
        seconds.put("covariance and QR", (t3 - t2) * 1e-9);
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("frames", Integer.toString(data.frames().size()));
        summary.put("atoms", Long.toString(data.frames().stream().mapToLong(f -> f.structure().size()).sum()));
        summary.put("observations", Long.toString(model.posterior().observations()));
        summary.put("sparse_points", Integer.toString(model.posterior().sparseCount()));
        summary.put("rnd_seed", Long.toString(seed));
        summary.put("log_marginal_likelihood", Double.toString(model.posterior().logMarginalLikelihood()));
        summary.put("seconds", String.format(Locale.ROOT, "%.3f", (t3 - t0) * 1e-9));
        summary.put("threads", Integer.toString(threads));
        summary.putAll(chosen);
        FitProvenance provenance = new FitProvenance(version, start.toString(), settings.arguments(),
                Map.of(settings.atFile().toString(), sha256(settings.atFile())), summary);
        return new Result(model, provenance, notes, seconds);
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
