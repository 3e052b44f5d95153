package org.soapstone.engine.gap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.soapstone.engine.io.Json;
import org.soapstone.engine.io.Npy;
import org.soapstone.engine.io.NpyArray;
import org.soapstone.engine.structure.Element;
import org.soapstone.gp.QrAccumulator;
import org.soapstone.gp.SparseGpPosterior;

/** Writes a {@link GapModelFile}: {@code model.json} first, then the arrays it names. */
final class GapModelFileWriter {
    private final Map<String, NpyArray> arrays = new LinkedHashMap<>();

    private GapModelFileWriter() {}

    static void write(Path file, GapModel model, FitProvenance provenance) throws IOException {
        GapModelFileWriter w = new GapModelFileWriter();
        byte[] json = Json.format(w.document(model, provenance)).concat("\n").getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                    1 << 16))) {
                zip.setLevel(Deflater.BEST_SPEED); // the arrays are mostly incompressible doubles and zeros
                zip.putNextEntry(new ZipEntry(GapModelFile.MODEL_JSON));
                zip.write(json);
                zip.closeEntry();
                for (Map.Entry<String, NpyArray> a : w.arrays.entrySet()) {
                    zip.putNextEntry(new ZipEntry(a.getKey()));
                    Npy.write(zip, a.getValue());
                    zip.closeEntry();
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private Map<String, Object> document(GapModel model, FitProvenance provenance) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", GapModelFile.FORMAT);
        doc.put("format_version", GapModelFile.FORMAT_VERSION);
        doc.put("label", model.label());
        doc.put("gap_version", model.gapVersion());
        doc.put("units", ordered("energy", "eV", "length", "Å"));
        Map<String, Object> e0 = new LinkedHashMap<>();
        for (int z = 1; z <= GapModel.MAX_Z; z++) {
            double v = model.e0(z);
            if (Double.doubleToRawLongBits(v) != 0) {
                e0.put(Element.of(z).symbol(), finite(v, "e0 of Z=" + z));
            }
        }
        doc.put("e0", e0);
        List<Object> terms = new ArrayList<>();
        for (int i = 0; i < model.terms().size(); i++) {
            terms.add(term(i, model.terms().get(i)));
        }
        doc.put("terms", terms);
        doc.put("posterior", model.hasPosterior() ? posterior(model.posterior()) : null);
        doc.put("calibration", model.calibration() == null ? null : CalibrationJson.write(model.calibration()));
        doc.put("provenance", provenance == null ? null : provenance(provenance));
        return doc;
    }

    private Map<String, Object> term(int i, GapTerm t) {
        String where = "term " + i + " (" + t.label() + ")";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", t.label());
        m.put("descriptor", t.descriptor().text());
        m.put("covariance", t.covariance().name().toLowerCase(Locale.ROOT));
        m.put("delta", finite(t.delta(), where + " delta"));
        m.put("f0", finite(t.f0(), where + " f0"));
        m.put("zeta", finite(t.zeta(), where + " zeta"));
        m.put("sparse_count", t.sparseCount());
        m.put("dimension", t.dimension());
        String dir = "terms/" + i + "/";
        Map<String, Object> names = new LinkedHashMap<>();
        names.put("sparse_x", array(dir + "sparse_x.npy", t.sparseX(), where, t.sparseCount(), t.dimension()));
        names.put("alpha", array(dir + "alpha.npy", t.alpha(), where, t.sparseCount()));
        names.put("sparse_cutoff", array(dir + "sparse_cutoff.npy", t.sparseCutoff(), where, t.sparseCount()));
        double[] theta = t.theta();
        if (theta.length > 0) {
            names.put("theta", array(dir + "theta.npy", theta, where, theta.length));
        }
        m.put("arrays", names);
        return m;
    }

    private Map<String, Object> posterior(SparseGpPosterior p) {
        int m = p.sparseCount();
        QrAccumulator acc = p.accumulator();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("sparse_count", m);
        o.put("sparse_order", "the sparse points of terms[0], then terms[1], ..., each term's in its own order");
        o.put("rows", acc.rows());
        o.put("log_sigma_sum", finite(acc.logSigmaSum(), "posterior log_sigma_sum"));
        o.put("prior_count", acc.priorCount());
        o.put("log_marginal_likelihood", finite(p.logMarginalLikelihood(), "posterior log marginal likelihood"));
        o.put("u_triangle", "upper");
        o.put("layout", ordered("u", "U^T U = K_MM + jitter*I (jitter included), zero below the diagonal",
                "r_augmented", "[[R, c], [0, rho]], upper triangular; R^T R = U^T U + K_MN Lambda^-1 K_NM, "
                        + "alpha = R^-1 c, rho^2 the weighted residual"));
        Map<String, Object> names = new LinkedHashMap<>();
        double[] u = GapModelFile.transpose(p.sparseCholesky(), m);
        double[] r = GapModelFile.transpose(acc.augmentedFactor(), m + 1);
        names.put("u", array("posterior/u.npy", u, "posterior U", m, m));
        names.put("r_augmented", array("posterior/r_augmented.npy", r, "posterior R~", m + 1, m + 1));
        o.put("arrays", names);
        return o;
    }

    private static Map<String, Object> provenance(FitProvenance p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("soapstone_version", p.soapstoneVersion());
        o.put("created", p.created());
        o.put("command_line", p.commandLine());
        o.put("training_files", p.trainingFiles());
        o.put("summary", p.summary());
        return o;
    }

    /** Registers an array entry after checking its values are finite; @return the entry name. */
    private String array(String name, double[] data, String where, int... shape) {
        for (int k = 0; k < data.length; k++) {
            finite(data[k], where + " " + name + " element " + k);
        }
        arrays.put(name, NpyArray.of(data, shape));
        return name;
    }

    private static double finite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("cannot write the model: " + what + " is " + v);
        }
        return v;
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
