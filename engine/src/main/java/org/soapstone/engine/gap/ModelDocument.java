package org.soapstone.engine.gap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.structure.Element;

/**
 * The schema of a model file's {@code model.json} ({@link GapModelFile}), declared once: the writer fills these records
 * and Jackson writes them; the reader has Jackson bind the JSON to them. JSON names are the components' in snake_case
 * ({@code formatVersion} is {@code format_version}). Each record checks its own fields in its constructor, so a fault
 * names its path in the document, e.g. {@code terms[2].delta: missing}; a field of {@code format_version} 1 is
 * required, a field added since is one more component, null in the files written before it.
 *
 * @param format {@value GapModelFile#FORMAT}
 * @param formatVersion {@value GapModelFile#FORMAT_VERSION}
 * @param label the model's label
 * @param gapVersion gap_fit's {@code gap_version} the model follows
 * @param units {@code {"energy": "eV", "length": "Å"}}
 * @param e0 energy per isolated atom by element symbol (eV); absent elements are 0
 * @param terms the GP terms, at least one
 * @param posterior the sparse-GP posterior over the sparse points of all terms, or null
 * @param provenance where the model came from, or null
 * @param calibration the error bars' calibration ({@link SigmaCalibration}, layout in {@link CalibrationJson}), or
 *     null (files written before it, imported models)
 * @param baseline the potential the GAP is fitted on top of ({@link org.soapstone.engine.baseline.Baseline}), or
 *     null (then not written: a model without one is the same document as before baselines existed)
 */
record ModelDocument(String format, Integer formatVersion, String label, Integer gapVersion, Units units,
        Map<String, Double> e0, List<Term> terms, Posterior posterior, FitProvenance provenance,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> calibration,
        @JsonInclude(JsonInclude.Include.NON_NULL) ModelBaseline baseline) {

    /**
     * Binds the records to JSON and back: snake_case names, no coercion between JSON types (a string is not an
     * integer), duplicate keys and trailing content rejected, unknown keys ignored (a later version may add some),
     * enums in lower case, indented output.
     */
    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    ModelDocument {
        if (!GapModelFile.FORMAT.equals(require(format, "format"))) {
            throw new FieldError("format", "'" + format + "' is not a Soapstone GAP model ('" + GapModelFile.FORMAT
                    + "' expected)");
        }
        if (require(formatVersion, "format_version") != GapModelFile.FORMAT_VERSION) {
            throw new FieldError("format_version", formatVersion + " is not supported; this Soapstone reads version "
                    + GapModelFile.FORMAT_VERSION);
        }
        require(label, "label");
        if (require(gapVersion, "gap_version") < 0) {
            throw new FieldError("gap_version", gapVersion + " is out of range");
        }
        require(units, "units");
        for (Map.Entry<String, Double> e : require(e0, "e0").entrySet()) {
            if (!Element.isSymbol(e.getKey())) {
                throw new FieldError("e0." + e.getKey(), "unknown element symbol '" + e.getKey() + "'");
            }
            finite(e.getValue(), "e0." + e.getKey());
        }
        if (require(terms, "terms").isEmpty()) {
            throw new FieldError("terms", "no terms; a model needs at least one");
        }
        for (int i = 0; i < terms.size(); i++) {
            require(terms.get(i), "terms[" + i + "]");
        }
    }

    /** The units of every number of the model: eV and Å, the only ones supported. */
    record Units(String energy, String length) {
        static final Units EV_ANGSTROM = new Units("eV", "Å");

        Units {
            if (!"eV".equals(require(energy, "energy"))) {
                throw new FieldError("energy", "'" + energy + "': only eV is supported");
            }
            if (!"Å".equals(require(length, "length"))) {
                throw new FieldError("length", "'" + length + "': only Å is supported");
            }
        }
    }

    /**
     * One GP term ({@link GapTerm}).
     *
     * @param descriptor the gap_fit descriptor string
     * @param covariance {@code dot_product} or {@code ard_se}
     * @param delta δ (eV)
     * @param f0 f0 (eV)
     * @param zeta ζ of dot_product (dimensionless)
     * @param sparseCount M, its sparse points
     * @param dimension D, its descriptor's dimension
     * @param arrays the zip entries of its arrays
     */
    record Term(String label, String descriptor, CovarianceType covariance, Double delta, Double f0, Double zeta,
            Integer sparseCount, Integer dimension, TermArrays arrays) {
        Term {
            require(label, "label");
            require(descriptor, "descriptor");
            if (require(covariance, "covariance") != CovarianceType.DOT_PRODUCT
                    && covariance != CovarianceType.ARD_SE) {
                throw new FieldError("covariance", "'" + covariance.name().toLowerCase(java.util.Locale.ROOT)
                        + "' is not supported (dot_product, ard_se)");
            }
            finite(delta, "delta");
            finite(f0, "f0");
            finite(zeta, "zeta");
            count(sparseCount, "sparse_count");
            count(dimension, "dimension");
            require(arrays, "arrays");
        }
    }

    /**
     * A term's arrays, NumPy {@code .npy} entries of the archive.
     *
     * @param sparseX sparse points (M, D)
     * @param alpha weights α (M)
     * @param sparseCutoff the sparse points' cutoff weights (M)
     * @param theta length scales θ (D), ard_se only
     */
    record TermArrays(String sparseX, String alpha, String sparseCutoff,
            @JsonInclude(JsonInclude.Include.NON_NULL) String theta) {
        TermArrays {
            require(sparseX, "sparse_x");
            require(alpha, "alpha");
            require(sparseCutoff, "sparse_cutoff");
        }
    }

    /**
     * The posterior ({@link org.soapstone.gp.SparseGpPosterior}) over the sparse points of all terms, in order.
     *
     * @param sparseCount M, the sparse points of all terms
     * @param sparseOrder the order of the sparse points, in words
     * @param rows observation rows fitted
     * @param logSigmaSum Σ ln σ over the rows
     * @param priorCount how often the prior rows were folded in: 1
     * @param logMarginalLikelihood ln p(y), checked against the arrays on reading
     * @param uTriangle {@code upper}
     * @param layout the arrays' layouts, in words
     * @param arrays the zip entries of U and R̃
     */
    record Posterior(Integer sparseCount, String sparseOrder, Long rows, Double logSigmaSum, Integer priorCount,
            Double logMarginalLikelihood, String uTriangle, Layout layout, PosteriorArrays arrays) {
        Posterior {
            count(sparseCount, "sparse_count");
            if (require(rows, "rows") < 0) {
                throw new FieldError("rows", rows + " is negative");
            }
            finite(logSigmaSum, "log_sigma_sum");
            if (require(priorCount, "prior_count") != 1) {
                throw new FieldError("prior_count", priorCount
                        + ": a complete fit folds the prior rows in exactly once");
            }
            finite(logMarginalLikelihood, "log_marginal_likelihood");
            if (!"upper".equals(require(uTriangle, "u_triangle"))) {
                throw new FieldError("u_triangle", "'" + uTriangle + "': only 'upper' is supported");
            }
            require(arrays, "arrays");
        }
    }

    /** The posterior's arrays in words, for readers in other languages. */
    record Layout(String u, String rAugmented) {
        static final Layout V1 = new Layout("U^T U = K_MM + jitter*I (jitter included), zero below the diagonal",
                "[[R, c], [0, rho]], upper triangular; R^T R = U^T U + K_MN Lambda^-1 K_NM, alpha = R^-1 c, rho^2 the "
                        + "weighted residual");
    }

    /**
     * The posterior's arrays.
     *
     * @param u U (M, M), Uᵀ U = K_MM + jitter·I
     * @param rAugmented R̃ = [[R, c], [0, ρ]] (M+1, M+1)
     */
    record PosteriorArrays(String u, String rAugmented) {
        PosteriorArrays {
            require(u, "u");
            require(rAugmented, "r_augmented");
        }
    }

    /**
     * A baseline potential: {@code kind} {@code quip_core} (gap_fit's core: QUIP's {@code init_args} and the text of
     * its {@code parameters} file) or {@code potential} (a Soapstone potential {@code spec} and the {@code files} it
     * names, name → text).
     */
    record ModelBaseline(String kind, @JsonInclude(JsonInclude.Include.NON_NULL) String initArgs,
            @JsonInclude(JsonInclude.Include.NON_NULL) String parameters,
            @JsonInclude(JsonInclude.Include.NON_NULL) String spec,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> files) {
        ModelBaseline {
            switch (require(kind, "kind")) {
                case "quip_core" -> {
                    require(initArgs, "init_args");
                    require(parameters, "parameters");
                }
                case "potential" -> {
                    require(spec, "spec");
                    require(files, "files");
                }
                default -> throw new FieldError("kind", "'" + kind + "' is not a baseline kind (quip_core, "
                        + "potential)");
            }
        }

        /** @return the document's form of a baseline */
        static ModelBaseline of(org.soapstone.engine.baseline.Baseline b) {
            return switch (b) {
                case org.soapstone.engine.baseline.Baseline.QuipCore c ->
                        new ModelBaseline("quip_core", c.initArgs(), c.parameters(), null, null);
                case org.soapstone.engine.baseline.Baseline.Potential p ->
                        new ModelBaseline("potential", null, null, p.spec(), p.files());
            };
        }

        /** @return the model's baseline */
        org.soapstone.engine.baseline.Baseline baseline() {
            return kind.equals("quip_core") ? new org.soapstone.engine.baseline.Baseline.QuipCore(initArgs, parameters)
                    : new org.soapstone.engine.baseline.Baseline.Potential(spec, files);
        }
    }

    /**
     * A field of the document that is missing or not valid, named by its JSON name within the object that holds it;
     * the reader prefixes the object's path.
     */
    static final class FieldError extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String field;

        FieldError(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }

        /** @return the field's JSON name (or name path, e.g. {@code e0.Xx}) within its object */
        String field() {
            return field;
        }

        /** @return what is wrong, without the field's name */
        String problem() {
            return getMessage().substring(field.length() + 2);
        }
    }

    /** @return {@code value}, which must be present (not missing, not JSON null) */
    static <T> T require(T value, String field) {
        if (value == null) {
            throw new FieldError(field, "missing");
        }
        return value;
    }

    private static void finite(Double value, String field) {
        if (!Double.isFinite(require(value, field))) {
            throw new FieldError(field, value + " is not finite");
        }
    }

    private static void count(Integer value, String field) {
        if (require(value, field) < 1 || value > Integer.MAX_VALUE - 8) {
            throw new FieldError(field, value + " is out of range (at least 1)");
        }
    }
}
