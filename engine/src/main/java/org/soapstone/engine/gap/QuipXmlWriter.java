package org.soapstone.engine.gap;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.io.AtomicFile;

/**
 * Writes a {@link GapModel} in gap_fit's layout: the XML ({@code Potential}, {@code GAP_params} with
 * {@code GAP_data}/{@code e0}, {@code gpSparse}/{@code gpCoordinates}, and, as {@link QuipXmlExtras} asks, the
 * {@code command_line} and the training file in {@code XYZ_data}) and, per term, a sparseX file
 * {@code <xml name>.sparseX.<term label>} beside it with one value per line ({@code %.20e}, as QUIP's
 * {@code fwrite_array_d}) and its md5 sum recorded in the XML; with {@code export_covariance}, the triangular factor
 * R of the fit (RᵀR = K_MM + K_MN Λ⁻¹ K_NM over the sparse points of all terms in order) as
 * {@code <xml name>.R.<label>}, M² values in Fortran (column-major) order, one per line, zeros below the diagonal, as
 * gap_fit's {@code gp_write_covariance} — the file QUIP's committee tools ({@code quippy.gap_tools}) and
 * {@link QuipExportedCovariance} read. Reals are written with Java's shortest round-trip representation, which
 * Fortran's list-directed read parses exactly. Every file is written to a temporary file, then renamed.
 */
final class QuipXmlWriter {
    private QuipXmlWriter() {}

    static void write(GapModel model, Path xml, QuipXmlExtras extras) throws IOException {
        Path dir = xml.toAbsolutePath().getParent();
        String label = model.label();
        if (extras.exportCovariance() && !model.hasPosterior()) {
            throw new IllegalArgumentException("export_covariance needs the fit's posterior, which this model "
                    + "does not carry");
        }
        StringBuilder s = new StringBuilder();
        s.append('<').append(label).append(">\n");
        s.append("<Potential label=\"").append(label).append("\" init_args=\"IP GAP label=").append(label)
                .append("\"/>\n");
        s.append("<GAP_params label=\"").append(label).append("\" gap_version=\"").append(model.gapVersion())
                .append("\">\n");
        s.append("  <GAP_data do_core=\"F\">\n");
        for (int z = 1; z <= GapModel.MAX_Z; z++) {
            s.append("    <e0 Z=\"").append(z).append("\" value=\"").append(model.e0(z)).append("\"/>\n");
        }
        s.append("  </GAP_data>\n");
        s.append("  <gpSparse label=\"").append(label).append("\" n_coordinate=\"").append(model.terms().size())
                .append("\" fitted=\"T\">\n");
        for (GapTerm t : model.terms()) {
            String sparseName = xml.getFileName() + ".sparseX." + t.label();
            Path sparseFile = dir.resolve(sparseName);
            writeSparseX(t, sparseFile);
            coordinates(s, t, sparseName, QuipXmlReader.md5(sparseFile));
        }
        s.append("  </gpSparse>\n");
        if (!extras.commandLine().isEmpty()) {
            s.append("  <command_line>").append(cdata(extras.commandLine())).append("</command_line>\n");
        }
        if (extras.trainingFile() != null) {
            s.append("  <XYZ_data>\n");
            for (String line : Files.readAllLines(extras.trainingFile())) {
                s.append(cdata(line.stripTrailing())).append('\n');
            }
            s.append("  </XYZ_data>\n");
        }
        s.append("</GAP_params>\n");
        s.append("</").append(label).append(">\n");
        if (extras.exportCovariance()) {
            writeValues(model.posterior().rFactor().data(), QuipExportedCovariance.file(xml, label));
        }
        byte[] text = s.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(xml, out -> out.write(text));
    }

    private static void coordinates(StringBuilder s, GapTerm t, String sparseName, String md5) {
        boolean dot = t.covariance() == CovarianceType.DOT_PRODUCT;
        s.append("    <gpCoordinates label=\"").append(t.label()).append("\" dimensions=\"").append(t.dimension())
                .append("\" signal_variance=\"").append(t.delta()).append("\" signal_mean=\"").append(t.f0())
                .append("\" sparsified=\"T\" n_permutations=\"1\" covariance_type=\"")
                .append(dot ? QuipXmlReader.QUIP_DOT_PRODUCT : QuipXmlReader.QUIP_ARD_SE).append('"');
        if (dot) {
            s.append(" zeta=\"").append(t.zeta()).append('"');
        }
        s.append(" n_sparseX=\"").append(t.sparseCount()).append("\" sparseX_filename=\"").append(sparseName)
                .append("\" sparseX_md5sum=\"").append(md5).append("\">\n");
        if (!dot) {
            s.append("      <theta>");
            for (double th : t.theta()) {
                s.append(' ').append(th);
            }
            s.append(" </theta>\n");
        }
        // the reader appends the model's xml_version, as QUIP does; QUIP appends it again itself
        String text = t.descriptor().text().replaceAll("\\s+xml_version=\\S+\\s*$", "");
        s.append("      <descriptor>").append(escape(text)).append("</descriptor>\n");
        s.append("      <permutation i=\"1\">1 </permutation>\n");
        double[] alpha = t.alpha();
        double[] cut = t.sparseCutoff();
        for (int i = 0; i < alpha.length; i++) {
            s.append("      <sparseX i=\"").append(i + 1).append("\" alpha=\"").append(alpha[i])
                    .append("\" sparseCutoff=\"").append(cut[i]).append("\"/>\n");
        }
        s.append("    </gpCoordinates>\n");
    }

    private static void writeSparseX(GapTerm t, Path file) throws IOException {
        writeValues(t.sparseX(), file);
    }

    /** QUIP's {@code fwrite_array_d}: one value per line, {@code %.20e}. */
    private static void writeValues(double[] values, Path file) throws IOException {
        AtomicFile.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            for (double v : values) {
                w.write(String.format(Locale.ROOT, "%.20e", v));
                w.write('\n');
            }
            w.flush();
        });
    }

    /** Text as CDATA sections, as gap_fit's XML library writes unparsed characters. */
    private static String cdata(String text) {
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
