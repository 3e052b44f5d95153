package org.soapstone.engine.gap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.soapstone.gp.QrAccumulator;
import org.soapstone.gp.SparseGpPosterior;
import org.soapstone.gp.TriangularFactor;

/**
 * The sparse-GP posterior of a gap_fit model fitted with {@code export_covariance=T}: gap_fit then writes the
 * triangular factor R of its QR solve (RᵀR = K_MM + K_MN Λ⁻¹ K_NM over the sparse points of all its coordinates in
 * order) beside the XML as {@code <xml>.R.<gpSparse label>}, M² numbers in Fortran (column-major) order, one per line
 * ({@code gp_write_covariance} in GAP's {@code gp_predict.f95}). With it, and K_MM rebuilt from the sparse points and
 * the {@code sparse_jitter} of the model's recorded command line (gap_fit's default 1e-10 if absent), the predictive
 * variance is the full posterior one, as for models fitted by Soapstone.
 *
 * <p>Only the upper triangle of the file is used (the strict lower triangle may hold QR reflectors); rows are
 * sign-normalised to a positive diagonal (RᵀR is unchanged). The right-hand side c = Rα is rebuilt from the model's
 * weights; the residual ρ and the row count are not exported, so the log marginal likelihood of such a posterior is
 * not meaningful.
 */
final class QuipExportedCovariance {
    private static final Pattern JITTER = Pattern.compile("(?i)(?:^|\\s)sparse_jitter=(\\S+)");
    /** gap_fit's default {@code sparse_jitter}. */
    private static final double DEFAULT_JITTER = 1e-10;

    private QuipExportedCovariance() {
    }

    /** The file gap_fit writes the factor R to, for a model XML and its gpSparse label. */
    static Path file(Path xml, String gpSparseLabel) {
        return xml.resolveSibling(xml.getFileName() + ".R." + gpSparseLabel);
    }

    /** {@code sparse_jitter} from gap_fit's recorded command line (eV²), or gap_fit's default. */
    static double jitter(String commandLine) {
        Matcher m = JITTER.matcher(commandLine);
        double jitter = DEFAULT_JITTER;
        while (m.find()) {
            jitter = Double.parseDouble(m.group(1));
        }
        return jitter;
    }

    /**
     * @param model the model read from the XML (its terms and α)
     * @param file the exported R
     * @param jitter the fit's {@code sparse_jitter} (eV²)
     * @return the posterior over the sparse points of all terms
     * @throws GapFormatException if the file does not hold M² finite numbers or R is singular
     */
    static SparseGpPosterior posterior(GapModel model, Path file, double jitter) throws IOException {
        GapKernelRows rows = new GapKernelRows(model.terms());
        int m = rows.columns();
        String[] fields = Files.readString(file).strip().split("\\s+");
        String where = "exported covariance R";
        if (fields.length != m * m) {
            throw new GapFormatException(file, where, fields.length + " numbers, but the model has " + m
                    + " sparse points, so R needs " + m * m);
        }
        int n = m + 1;
        double[] aug = new double[n * n];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i <= j; i++) {
                int k = i + j * m;
                double v;
                try {
                    v = Double.parseDouble(fields[k]);
                } catch (NumberFormatException e) {
                    throw new GapFormatException(file, where, "value " + (k + 1) + " '" + fields[k] + "' is not a number");
                }
                if (!Double.isFinite(v)) {
                    throw new GapFormatException(file, where, "value " + (k + 1) + " is not finite");
                }
                aug[i + j * n] = v;
            }
        }
        double[] alpha = new double[m];
        for (int t = 0; t < model.terms().size(); t++) {
            double[] a = model.terms().get(t).alpha();
            System.arraycopy(a, 0, alpha, rows.column(t), a.length);
        }
        for (int i = 0; i < m; i++) {
            double diag = aug[i + i * n];
            if (diag == 0) {
                throw new GapFormatException(file, where, "R is singular (zero diagonal at " + (i + 1) + ")");
            }
            double sign = Math.signum(diag);
            double c = 0;
            for (int j = i; j < m; j++) {
                aug[i + j * n] *= sign;
                c += aug[i + j * n] * alpha[j];
            }
            aug[i + m * n] = c;
        }
        TriangularFactor u = TriangularFactor.cholesky(rows.sparseCovariance(), m, jitter);
        QrAccumulator acc = QrAccumulator.restore(m, aug, 0, 0, 1);
        return new SparseGpPosterior(u, acc);
    }
}
