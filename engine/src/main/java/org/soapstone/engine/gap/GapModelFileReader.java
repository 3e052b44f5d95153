package org.soapstone.engine.gap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.descriptor.DescriptorStringException;
import org.soapstone.engine.io.Json;
import org.soapstone.engine.io.Npy;
import org.soapstone.engine.io.NpyArray;
import org.soapstone.engine.structure.Element;
import org.soapstone.gp.QrAccumulator;
import org.soapstone.gp.SparseGpPosterior;

/** Reads and validates a {@link GapModelFile}. */
final class GapModelFileReader {
    private final Path file;
    private final ZipFile zip;

    private GapModelFileReader(Path file, ZipFile zip) {
        this.file = file;
        this.zip = zip;
    }

    static StoredModel read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "model file not found");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new ModelFileException(file, null, null, "not a zip archive, so not a Soapstone model file ("
                    + e.getMessage() + ")");
        }
        try (zip) {
            return new GapModelFileReader(file, zip).model();
        }
    }

    private StoredModel model() throws IOException {
        Object json;
        try {
            json = Json.parse(metadata());
        } catch (Json.JsonException e) {
            throw new ModelFileException(file, GapModelFile.MODEL_JSON, null, "malformed JSON: " + e.getMessage());
        }
        JsonFields doc = JsonFields.root(file, GapModelFile.MODEL_JSON, json);
        String format = doc.string("format");
        if (!format.equals(GapModelFile.FORMAT)) {
            throw doc.error("format", "'" + format + "' is not a Soapstone GAP model ('" + GapModelFile.FORMAT
                    + "' expected)");
        }
        long version = doc.integer("format_version");
        if (version != GapModelFile.FORMAT_VERSION) {
            throw doc.error("format_version", version + " is not supported; this Soapstone reads version "
                    + GapModelFile.FORMAT_VERSION);
        }
        JsonFields units = doc.object("units");
        if (!units.string("energy").equals("eV")) {
            throw units.error("energy", "'" + units.string("energy") + "': only eV is supported");
        }
        if (!units.string("length").equals("Å")) {
            throw units.error("length", "'" + units.string("length") + "': only Å is supported");
        }
        String label = doc.string("label");
        long gapVersion = doc.integer("gap_version");
        if (gapVersion < 0 || gapVersion > Integer.MAX_VALUE) {
            throw doc.error("gap_version", gapVersion + " is out of range");
        }
        double[] e0 = e0(doc.object("e0"));
        List<GapTerm> terms = new ArrayList<>();
        List<JsonFields> termFields = doc.objects("terms");
        if (termFields.isEmpty()) {
            throw doc.error("terms", "no terms; a model needs at least one");
        }
        int totalSparse = 0;
        for (int i = 0; i < termFields.size(); i++) {
            GapTerm t = term(termFields.get(i));
            terms.add(t);
            totalSparse += t.sparseCount();
        }
        JsonFields post = doc.optionalObject("posterior");
        SparseGpPosterior posterior = post == null ? null : posterior(post, totalSparse);
        JsonFields cal = doc.optionalObject("calibration");
        SigmaCalibration calibration = cal == null ? null : CalibrationJson.read(cal);
        JsonFields prov = doc.optionalObject("provenance");
        try {
            GapModel model = new GapModel(label, (int) gapVersion, e0, terms, posterior, calibration);
            return new StoredModel(model, prov == null ? null : provenance(prov));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, GapModelFile.MODEL_JSON, null, e.getMessage());
        }
    }

    private String metadata() throws IOException {
        ZipEntry entry = zip.getEntry(GapModelFile.MODEL_JSON);
        if (entry == null) {
            throw new ModelFileException(file, GapModelFile.MODEL_JSON, null, "missing: the archive has no "
                    + GapModelFile.MODEL_JSON + " entry, so it is not a Soapstone model file");
        }
        byte[] bytes;
        try (CheckedInputStream in = new CheckedInputStream(zip.getInputStream(entry), new CRC32())) {
            bytes = in.readAllBytes();
            checkCrc(entry, in);
        } catch (ZipException e) {
            throw corrupt(GapModelFile.MODEL_JSON, e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFileException(file, GapModelFile.MODEL_JSON, null, "not valid UTF-8");
        }
    }

    private double[] e0(JsonFields o) throws ModelFileException {
        double[] e0 = new double[GapModel.MAX_Z + 1];
        for (Object key : o.keys()) {
            String symbol = (String) key;
            if (!Element.isSymbol(symbol)) {
                throw o.error(symbol, "unknown element symbol '" + symbol + "'");
            }
            e0[Element.of(symbol).number()] = o.real(symbol);
        }
        return e0;
    }

    private GapTerm term(JsonFields t) throws IOException {
        String label = t.string("label");
        String text = t.string("descriptor");
        DescriptorSpec spec;
        try {
            spec = DescriptorString.parse(text);
        } catch (DescriptorStringException e) {
            throw t.error("descriptor", "'" + text + "': " + e.getMessage());
        }
        String covarianceName = t.string("covariance");
        CovarianceType covariance = switch (covarianceName) {
            case "dot_product" -> CovarianceType.DOT_PRODUCT;
            case "ard_se" -> CovarianceType.ARD_SE;
            default -> throw t.error("covariance", "'" + covarianceName + "' is not supported (dot_product, ard_se)");
        };
        int m = t.count("sparse_count", 1);
        int d = t.count("dimension", 1);
        int specDimension = spec.create().dimension();
        if (specDimension != d) {
            throw t.error("dimension", d + ", but the descriptor '" + text + "' has dimension " + specDimension);
        }
        JsonFields names = t.object("arrays");
        double[] sparseX = array(names, "sparse_x", m, d);
        double[] alpha = array(names, "alpha", m);
        double[] sparseCutoff = array(names, "sparse_cutoff", m);
        double[] theta = covariance == CovarianceType.ARD_SE ? array(names, "theta", d) : new double[0];
        try {
            return new GapTerm(label, spec, covariance, t.real("delta"), t.real("f0"), t.real("zeta"), theta,
                    sparseX, alpha, sparseCutoff);
        } catch (IllegalArgumentException e) {
            throw t.error(e.getMessage());
        }
    }

    private SparseGpPosterior posterior(JsonFields p, int totalSparse) throws IOException {
        int m = p.count("sparse_count", 1);
        if (m != totalSparse) {
            throw p.error("sparse_count", m + ", but the terms have " + totalSparse + " sparse points in all");
        }
        if (!p.string("u_triangle").equals("upper")) {
            throw p.error("u_triangle", "'" + p.string("u_triangle") + "': only 'upper' is supported");
        }
        long rows = p.integer("rows");
        double logSigmaSum = p.real("log_sigma_sum");
        long priors = p.integer("prior_count");
        if (priors != 1) {
            throw p.error("prior_count", priors + ": a complete fit folds the prior rows in exactly once");
        }
        double storedLikelihood = p.real("log_marginal_likelihood");
        JsonFields names = p.object("arrays");
        String uEntry = names.string("u");
        double[] u = GapModelFile.transpose(array(names, "u", m, m), m);
        for (int j = 0; j < m; j++) {
            if (!(u[j + j * m] > 0)) {
                throw new ModelFileException(file, uEntry, "data", "diagonal element [" + j + ", " + j + "] is "
                        + u[j + j * m] + "; a Cholesky factor has a positive diagonal");
            }
            for (int i = j + 1; i < m; i++) {
                if (u[i + j * m] != 0) {
                    throw new ModelFileException(file, uEntry, "data", "element [" + i + ", " + j + "] below the "
                            + "diagonal is " + u[i + j * m] + "; U must be upper triangular");
                }
            }
        }
        String rEntry = names.string("r_augmented");
        double[] r = GapModelFile.transpose(array(names, "r_augmented", m + 1, m + 1), m + 1);
        SparseGpPosterior posterior;
        try {
            posterior = new SparseGpPosterior(u, QrAccumulator.restore(m, r, rows, logSigmaSum, (int) priors));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, rEntry, "data", e.getMessage());
        }
        double likelihood = posterior.logMarginalLikelihood();
        if (!(Math.abs(likelihood - storedLikelihood) <= 1e-9 * Math.max(1, Math.abs(storedLikelihood)))) {
            throw p.error("log_marginal_likelihood", storedLikelihood + ", but the arrays give " + likelihood
                    + " (the file has been altered)");
        }
        return posterior;
    }

    private static FitProvenance provenance(JsonFields p) throws ModelFileException {
        return new FitProvenance(p.string("soapstone_version"), p.string("created"), p.strings("command_line"),
                p.stringMap("training_files"), p.stringMap("summary"));
    }

    /**
     * @return the float64 array the entry named by {@code names.key} holds, checked for its shape and finite
     *     values (C order)
     */
    private double[] array(JsonFields names, String key, int... shape) throws IOException {
        String name = names.string(key);
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new ModelFileException(file, name, null, "missing (named by " + GapModelFile.MODEL_JSON + " "
                    + names.path(key) + ")");
        }
        NpyArray a;
        try (CheckedInputStream in = new CheckedInputStream(zip.getInputStream(entry), new CRC32())) {
            a = Npy.read(in, file + ": " + name);
            if (in.read() >= 0) {
                throw new ModelFileException(file, name, "data", "extra bytes after the " + a.size() + " elements");
            }
            checkCrc(entry, in);
        } catch (ZipException e) {
            throw corrupt(name, e);
        }
        if (a.type() != NpyArray.Type.FLOAT64) {
            throw new ModelFileException(file, name, "dtype", "'" + a.type().descr() + "', expected '<f8' (float64)");
        }
        if (!Arrays.equals(a.shape(), shape)) {
            throw new ModelFileException(file, name, "shape", shape(a.shape()) + ", expected " + shape(shape));
        }
        double[] v = a.doubles();
        for (int k = 0; k < v.length; k++) {
            if (!Double.isFinite(v[k])) {
                throw new ModelFileException(file, name, "data", "element " + index(k, shape) + " is " + v[k]);
            }
        }
        return v;
    }

    /** java.util.zip.ZipFile does not check an entry's CRC-32; a flipped bit may still inflate. */
    private static void checkCrc(ZipEntry entry, CheckedInputStream in) throws ZipException {
        if (entry.getCrc() != -1 && in.getChecksum().getValue() != entry.getCrc()) {
            throw new ZipException("CRC-32 mismatch");
        }
    }

    private ModelFileException corrupt(String entry, ZipException e) {
        return new ModelFileException(file, entry, null, "corrupt compressed data (" + e.getMessage() + ")");
    }

    private static String shape(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            s.append(k == 0 ? "" : ", ").append(shape[k]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** @return the C-order multi-index of flat position {@code k}, e.g. {@code [3, 7]} */
    private static String index(int k, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = k % shape[a];
            k /= shape[a];
        }
        return Arrays.toString(idx);
    }
}
