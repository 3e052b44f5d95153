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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.gap.FitProvenance;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;

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
     * Fits a model.
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
        return run(settings, data, version, threads, listener, 0);
    }

    /**
     * Fits a model, optionally tuning each term's δ and the σ of each observation kind by maximising the log
     * marginal likelihood ({@link SparseGpSolve#fitOptimised}); the values chosen are reported in the notes and the
     * provenance.
     *
     * @param optimiseEvaluations 0 for gap_fit's plain fit, else the cap on likelihood evaluations of the search
     */
    public static Result run(FitSettings settings, TrainingSet data, String version, int threads,
            FitListener listener, int optimiseEvaluations) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>(data.notes());
        long seed = settings.rndSeed() >= 0 ? settings.rndSeed() : System.nanoTime();
        if (settings.rndSeed() < 0) {
            notes.add("rnd_seed not given: sparse points drawn with seed " + seed + " (recorded in the model)");
        }
        List<DescriptorSpec> specs = new ArrayList<>();
        for (DescriptorSpec spec : settings.descriptors()) {
            specs.addAll(spec.addSpecies(data.species()));
        }
        Instant start = Instant.now();
        String label = "GAP_" + DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss", Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(start);
        long t0 = System.nanoTime();
        List<GapTerm> terms = SparsePointChooser.choose(label + "_", specs, data.frames(), seed, threads, listener,
                notes);
        long t1 = System.nanoTime();
        GapModel model;
        Map<String, String> chosen = new LinkedHashMap<>();
        if (optimiseEvaluations > 0) {
            SparseGpSolve.Optimised o = SparseGpSolve.fitOptimised(label, data.e0(), terms, data.frames(),
                    settings.sparseJitter(), threads, listener, optimiseEvaluations);
            model = o.model();
            Sigmas d = settings.defaultSigma();
            double[] t = o.sigmaFactor();
            String sigma = String.format(Locale.ROOT, "{%.6g %.6g %.6g %.6g}", d.energy() * t[0], d.force() * t[1],
                    d.virial() * t[2], d.hessian());
            chosen.put("optimised_delta", java.util.Arrays.toString(o.delta()));
            chosen.put("optimised_sigma_factors", java.util.Arrays.toString(t));
            chosen.put("optimised_default_sigma", sigma);
            notes.add(String.format(Locale.ROOT, "--optimise: delta %s, every sigma scaled by %s (energy, force, "
                    + "virial), i.e. default_sigma=%s; log marginal likelihood %.6g -> %.6g in %d evaluations",
                    java.util.Arrays.toString(o.delta()), java.util.Arrays.toString(t), sigma,
                    o.startLogLikelihood(), o.logLikelihood(), o.evaluations()));
        } else {
            model = SparseGpSolve.fit(label, data.e0(), terms, data.frames(), settings.sparseJitter(), threads,
                    listener);
        }
        model = model.withBaseline(settings.baseline());
        long t2 = System.nanoTime();
        seconds.put("descriptors and sparse points", (t1 - t0) * 1e-9);
        seconds.put("covariance and QR", (t2 - t1) * 1e-9);
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("frames", Integer.toString(data.frames().size()));
        summary.put("atoms", Long.toString(data.frames().stream().mapToLong(f -> f.structure().size()).sum()));
        summary.put("observations", Long.toString(model.posterior().observations()));
        summary.put("sparse_points", Integer.toString(model.posterior().sparseCount()));
        summary.put("rnd_seed", Long.toString(seed));
        summary.put("log_marginal_likelihood", Double.toString(model.posterior().logMarginalLikelihood()));
        summary.put("seconds", String.format(Locale.ROOT, "%.3f", (t2 - t0) * 1e-9));
        summary.put("threads", Integer.toString(threads));
        summary.putAll(chosen);
        FitProvenance provenance = new FitProvenance(version, start.toString(), settings.arguments(),
                Map.of(settings.atFile().toString(), sha256(settings.atFile())), summary);
        return new Result(model, provenance, notes, seconds);
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
