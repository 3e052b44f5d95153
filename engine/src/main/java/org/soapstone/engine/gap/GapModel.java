package org.soapstone.engine.gap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.soapstone.gp.SparseGpPosterior;

/**
 * A Gaussian Approximation Potential (Bartók et al., Phys. Rev. Lett. 104, 136403 (2010)): the energy of a
 * structure is Σ_atoms e0(Z_i) plus the sum of its {@link GapTerm terms}. Immutable.
 *
 * <p>{@link #read(Path)} reads either Soapstone's own model file ({@link GapModelFile}, which keeps the posterior)
 * or gap_fit's XML. {@link #readQuip(Path)} and {@link #writeQuip(Path)} read and write QUIP/gap_fit's XML with its
 * {@code sparseX} files, so models fitted with gap_fit run here and models made here run in {@code quip} and
 * LAMMPS {@code pair_style quip}.
 *
 * @param label the model's label (QUIP's {@code GAP_params label}; names the XML root and the sparseX files)
 * @param gapVersion QUIP's {@code gap_version} the model was written with (descriptor conventions depend on it)
 * @param e0 the energy per isolated atom by atomic number, index Z (eV); length {@link #MAX_Z} + 1
 * @param terms the GP terms, in order
 * @param posterior the sparse-GP posterior over the sparse points of all terms in order (each term's points in its
 *     order), for predictive variances; null for an imported gap_fit model, which carries only α
 * @param calibration how the posterior becomes calibrated error bars of energies, forces and virials (the fit's noise
 *     and the cross-validated scales); null if unknown (an imported model, or a model file written before it)
 */
public record GapModel(String label, int gapVersion, double[] e0, List<GapTerm> terms, SparseGpPosterior posterior,
        SigmaCalibration calibration) {
    /** The largest atomic number with an e0. */
    public static final int MAX_Z = 118;
    /** QUIP's {@code gap_version} whose descriptor conventions Soapstone implements (GAP commit 6c3375f6, 2023). */
    public static final int GAP_VERSION = 1686220958;

    /** Validates and copies. */
    public GapModel {
        Objects.requireNonNull(label, "label");
        if (label.isBlank() || !label.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("model label '" + label + "' is not a valid XML name");
        }
        if (e0.length != MAX_Z + 1) {
            throw new IllegalArgumentException("e0 must have " + (MAX_Z + 1) + " entries (index Z), got " + e0.length);
        }
        e0 = e0.clone();
        terms = List.copyOf(terms);
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("a GAP model needs at least one term");
        }
        if (calibration != null && posterior == null) {
            throw new IllegalArgumentException("a calibration needs the posterior it calibrates");
        }
        if (posterior != null) {
            int m = 0;
            for (GapTerm t : terms) {
                m += t.sparseCount();
            }
            if (posterior.sparseCount() != m) {
                throw new IllegalArgumentException("the posterior has " + posterior.sparseCount()
                        + " sparse points, the terms " + m);
            }
        }
    }

    /** A model without a posterior (e.g. read from gap_fit's XML). */
    public GapModel(String label, int gapVersion, double[] e0, List<GapTerm> terms) {
        this(label, gapVersion, e0, terms, null, null);
    }

    /** A model with a posterior but no calibration record. */
    public GapModel(String label, int gapVersion, double[] e0, List<GapTerm> terms, SparseGpPosterior posterior) {
        this(label, gapVersion, e0, terms, posterior, null);
    }

    /**
     * @param c the calibration (null: none)
     * @return this model with that calibration
     */
    public GapModel withCalibration(SigmaCalibration c) {
        return new GapModel(label, gapVersion, e0, terms, posterior, c);
    }

    /** @return whether the model carries its sparse-GP posterior (a model fitted by Soapstone) */
    public boolean hasPosterior() {
        return posterior != null;
    }

    /** @return the energy of an isolated atom of atomic number z (eV) */
    public double e0(int z) {
        return e0[z];
    }

    @Override
    public double[] e0() {
        return e0.clone();
    }

    /** @return the largest descriptor cutoff of the terms (Å) */
    public double cutoff() {
        double c = 0;
        for (GapTerm t : terms) {
            c = Math.max(c, t.descriptor().create().cutoff());
        }
        return c;
    }

    /**
     * Reads a model file of either kind, told apart by its first bytes: Soapstone's model file (a zip archive,
     * {@link GapModelFile}; the posterior is kept, the provenance dropped) or gap_fit's XML ({@link #readQuip}).
     *
     * @param file the model file
     * @return the model
     * @throws ModelFileException or {@link GapFormatException} naming the file and what is wrong in it
     * @throws IOException if the file cannot be read
     */
    public static GapModel read(Path file) throws IOException {
        if (GapModelFile.isNative(file)) {
            return GapModelFile.read(file).model();
        }
        String start = firstCharacters(file);
        if (!start.startsWith("<")) {
            throw new ModelFileException(file, null, null, "not a model file: Soapstone's model file is a zip "
                    + "archive (it starts with 'PK') and gap_fit's an XML document (it starts with '<'), but this "
                    + "file starts with '" + start + "'" + (start.matches("\\d+") ? " (an extended-XYZ file?)" : ""));
        }
        return readQuip(file);
    }

    /** @return the file's first non-blank characters, up to the end of their line (at most 20) */
    private static String firstCharacters(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            String text = new String(in.readNBytes(256), java.nio.charset.StandardCharsets.UTF_8).replace("\uFEFF", "")
                    .stripLeading();
            int end = text.indexOf('\n');
            return text.substring(0, Math.min(20, end < 0 ? text.length() : end)).strip();
        }
    }

    /**
     * Reads a gap_fit XML model and the {@code sparseX} files it names (from the XML's directory).
     *
     * @param xml the XML file
     * @return the model
     * @throws GapFormatException if the XML or a sparseX file is malformed, missing or names something Soapstone
     *     does not support (the message names the file and element)
     * @throws IOException if a file cannot be read
     */
    public static GapModel readQuip(Path xml) throws IOException {
        return QuipXmlReader.read(xml);
    }

    /**
     * Writes this model as a QUIP XML at {@code xml} and one {@code xml.sparseX.<label>} file per term beside it
     * (each written to a temporary file, then renamed), loadable by {@code quip} and LAMMPS {@code pair_style quip}.
     *
     * @param xml the XML file to write
     * @throws IOException if a file cannot be written
     */
    public void writeQuip(Path xml) throws IOException {
        QuipXmlWriter.write(this, xml, QuipXmlExtras.NONE);
    }

    /**
     * As {@link #writeQuip(Path)}, with what gap_fit writes besides the model: its command line, a copy of the
     * training file and the exported covariance ({@link QuipXmlExtras}).
     */
    public void writeQuip(Path xml, QuipXmlExtras extras) throws IOException {
        QuipXmlWriter.write(this, xml, extras);
    }
}
