package org.soapstone.engine.gap;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
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
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.descriptor.DescriptorStringException;
import org.soapstone.engine.io.Npy;
import org.soapstone.engine.io.NpyArray;
import org.soapstone.engine.structure.Element;
import org.soapstone.gp.QrAccumulator;
import org.soapstone.gp.SparseGpPosterior;
import org.soapstone.gp.TriangularFactor;

/**
 * Reads and validates a {@link GapModelFile}: {@code model.json} bound to {@link ModelDocument}, then the arrays it
 * names and what only the whole model can check (descriptor strings, dimensions, the posterior against the terms).
 */
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
        ModelDocument doc = document();
        double[] e0 = new double[GapModel.MAX_Z + 1];
        for (Map.Entry<String, Double> e : doc.e0().entrySet()) {
            e0[Element.of(e.getKey()).number()] = e.getValue();
        }
        List<GapTerm> terms = new ArrayList<>();
        int totalSparse = 0;
        for (int i = 0; i < doc.terms().size(); i++) {
            GapTerm t = term("terms[" + i + "]", doc.terms().get(i));
            terms.add(t);
            totalSparse += t.sparseCount();
        }
        SparseGpPosterior posterior = doc.posterior() == null ? null : posterior(doc.posterior(), totalSparse);
        try {
            SigmaCalibration calibration = doc.calibration() == null ? null : CalibrationJson.read(doc.calibration());
            GapModel model = new GapModel(doc.label(), doc.gapVersion(), e0, terms, posterior, calibration,
                    doc.baseline() == null ? null : doc.baseline().baseline());
            return new StoredModel(model, doc.provenance());
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, GapModelFile.MODEL_JSON, null, e.getMessage());
        }
    }

    /** {@code model.json} bound to its schema; a fault names its path in the document. */
    private ModelDocument document() throws IOException {
        String json = metadata();
        try {
            return ModelDocument.JSON.readValue(json, ModelDocument.class);
        } catch (JsonProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof JsonParseException p) {
                    JsonLocation at = p.getLocation();
                    throw new ModelFileException(file, GapModelFile.MODEL_JSON, null, "malformed JSON: line "
                            + at.getLineNr() + ", column " + at.getColumnNr() + ": " + p.getOriginalMessage());
                }
            }
            String path = e instanceof JsonMappingException m ? path(m.getPath()) : "";
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ModelDocument.FieldError f) {
                    throw error(path.isEmpty() ? f.field() : path + "." + f.field(), f.problem());
                }
            }
            if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
                throw error(path, "expected " + kind(m.getTargetType()));
            }
            throw error(path, e.getOriginalMessage());
        }
    }

    private ModelFileException error(String path, String message) {
        return new ModelFileException(file, GapModelFile.MODEL_JSON, path.isEmpty() ? null : path, message);
    }

    /** @return the JSON path of the references, e.g. {@code terms[2].delta} */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) {
                p.append(p.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                p.append('[').append(r.getIndex()).append(']');
            }
        }
        return p.toString();
    }

    /** @return what a JSON value bound to {@code type} must be, in words */
    private static String kind(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            StringBuilder s = new StringBuilder("one of");
            for (Object c : type.getEnumConstants()) {
                s.append(' ').append(((Enum<?>) c).name().toLowerCase(Locale.ROOT));
            }
            return s.toString();
        }
        return "an object";
    }

    private String metadata() throws IOException {
        ZipEntry entry = zip.getEntry(GapModelFile.MODEL_JSON);
        if (entry == null) {
            throw new ModelFileException(file, GapModelFile.MODEL_JSON, null, "missing: the archive has no "
                    + GapModelFile.MODEL_JSON + " entry, so it is not a Soapstone model file");
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (ZipException e) {
            throw corrupt(GapModelFile.MODEL_JSON, e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFileException(file, GapModelFile.MODEL_JSON, null, "not valid UTF-8");
        }
    }

    private GapTerm term(String path, ModelDocument.Term t) throws IOException {
        DescriptorSpec spec;
        try {
            spec = DescriptorString.parse(t.descriptor());
        } catch (DescriptorStringException e) {
            throw error(path + ".descriptor", "'" + t.descriptor() + "': " + e.getMessage());
        }
        int m = t.sparseCount();
        int d = t.dimension();
        int specDimension = spec.create().dimension();
        if (specDimension != d) {
            throw error(path + ".dimension", d + ", but the descriptor '" + t.descriptor() + "' has dimension "
                    + specDimension);
        }
        String arrays = path + ".arrays";
        ModelDocument.TermArrays names = t.arrays();
        double[] sparseX = array(names.sparseX(), arrays + ".sparse_x", m, d);
        double[] alpha = array(names.alpha(), arrays + ".alpha", m);
        double[] sparseCutoff = array(names.sparseCutoff(), arrays + ".sparse_cutoff", m);
        double[] theta = new double[0];
        if (t.covariance() == CovarianceType.ARD_SE) {
            if (names.theta() == null) {
                throw error(arrays + ".theta", "missing (an ard_se term needs its length scales)");
            }
            theta = array(names.theta(), arrays + ".theta", d);
        }
        try {
            return new GapTerm(t.label(), spec, t.covariance(), t.delta(), t.f0(), t.zeta(), theta, sparseX, alpha,
                    sparseCutoff);
        } catch (IllegalArgumentException e) {
            throw error(path, e.getMessage());
        }
    }

    private SparseGpPosterior posterior(ModelDocument.Posterior p, int totalSparse) throws IOException {
        int m = p.sparseCount();
        if (m != totalSparse) {
            throw error("posterior.sparse_count", m + ", but the terms have " + totalSparse
                    + " sparse points in all");
        }
        String uEntry = p.arrays().u();
        double[] u = GapModelFile.transpose(array(uEntry, "posterior.arrays.u", m, m), m);
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
        String rEntry = p.arrays().rAugmented();
        double[] r = GapModelFile.transpose(array(rEntry, "posterior.arrays.r_augmented", m + 1, m + 1), m + 1);
        SparseGpPosterior posterior;
        try {
            posterior = new SparseGpPosterior(TriangularFactor.upper(u, m),
                    QrAccumulator.restore(m, r, p.rows(), p.logSigmaSum(), p.priorCount()));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, rEntry, "data", e.getMessage());
        }
        double likelihood = posterior.logMarginalLikelihood();
        double stored = p.logMarginalLikelihood();
        if (!(Math.abs(likelihood - stored) <= 1e-9 * Math.max(1, Math.abs(stored)))) {
            throw error("posterior.log_marginal_likelihood", stored + ", but the arrays give " + likelihood
                    + " (the file has been altered)");
        }
        return posterior;
    }

    /**
     * @param name the zip entry
     * @param namedBy the path of the field of {@code model.json} that names it
     * @return the float64 array the entry holds, checked for its shape and finite values (C order)
     */
    private double[] array(String name, String namedBy, int... shape) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new ModelFileException(file, name, null, "missing (named by " + GapModelFile.MODEL_JSON + " "
                    + namedBy + ")");
        }
        NpyArray a;
        try (CheckedInputStream in = new CheckedInputStream(zip.getInputStream(entry), new CRC32())) {
            a = Npy.read(in, file + ": " + name);
            if (in.read() >= 0) {
                throw new ModelFileException(file, name, "data", "extra bytes after the " + a.size() + " elements");
            }
            // the zip reader checks no checksum: a flipped bit in stored (incompressible) data would pass unseen
            if (in.getChecksum().getValue() != entry.getCrc()) {
                throw new ModelFileException(file, name, null, "corrupt data (CRC-32 mismatch)");
            }
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
