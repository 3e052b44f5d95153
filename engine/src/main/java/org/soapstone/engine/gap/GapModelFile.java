package org.soapstone.engine.gap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Soapstone's native GAP model file: one zip archive ({@code .gap} by convention) that any language can read with
 * a zip library, a JSON parser and NumPy. It holds
 * <ul>
 *   <li>{@code model.json} (UTF-8): {@code format} ({@value #FORMAT}), {@code format_version}
 *       ({@value #FORMAT_VERSION}), {@code label}, {@code gap_version}, {@code units}
 *       ({@code {"energy": "eV", "length": "Å"}}), {@code e0} (eV by element symbol; absent elements are 0),
 *       {@code terms} — per term {@code label}, {@code descriptor} (the gap_fit descriptor string),
 *       {@code covariance} ({@code dot_product} or {@code ard_se}), {@code delta} (eV), {@code f0} (eV),
 *       {@code zeta}, {@code sparse_count} (M), {@code dimension} (D) and {@code arrays} naming its entries —,
 *       {@code baseline} (null, or the potential the GAP is fitted on top of: {@code kind} {@code quip_core} with
 *       QUIP's {@code init_args} and the text of its {@code parameters} file, or {@code potential} with a Soapstone
 *       potential {@code spec} and the {@code files} it names, name → text),
 *       {@code posterior} (null, or {@code sparse_count}, {@code rows}, {@code log_sigma_sum},
 *       {@code prior_count}, {@code log_marginal_likelihood}, {@code u_triangle}, the layouts in words and
 *       {@code arrays}), {@code calibration} (null, or the fit's noise per config type and the cross-validated
 *       scales of the error bars with their figures: {@link SigmaCalibration}, layout in {@code CalibrationJson})
 *       and {@code provenance} (null, or {@code soapstone_version}, {@code created},
 *       {@code command_line}, {@code training_files} name → SHA-256, {@code summary});</li>
 *   <li>NumPy {@code .npy} arrays, float64 little-endian, C order: {@code terms/<i>/sparse_x.npy} (M, D),
 *       {@code terms/<i>/alpha.npy} (M) (eV per unit of kernel, see {@link GapTerm}),
 *       {@code terms/<i>/sparse_cutoff.npy} (M), {@code terms/<i>/theta.npy} (D, ard_se only);
 *       {@code posterior/u.npy} (M, M): U with Uᵀ U = K_MM + jitter·I, upper triangular (entries below the
 *       diagonal are zero; the jitter is included, not stored apart), M = Σ M over the terms in order;
 *       {@code posterior/r_augmented.npy} (M+1, M+1): R̃ = [[R, c], [0, ρ]] upper triangular, the streamed QR
 *       factor of the fit ({@link org.soapstone.gp.QrAccumulator}), so α = R⁻¹c.</li>
 * </ul>
 * The schema of {@code model.json} is declared once, as the records of {@link ModelDocument}. Files are written to a
 * temporary file in the same directory and renamed into place. Reading validates everything (each entry against its
 * CRC-32 too) and names the file, entry and field of the first fault ({@link ModelFileException}).
 */
public final class GapModelFile {
    /** The value of {@code format} in {@code model.json}. */
    public static final String FORMAT = "soapstone-gap";
    /** The {@code format_version} this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The name of the metadata entry. */
    public static final String MODEL_JSON = "model.json";

    private GapModelFile() {}

    /**
     * Writes {@code model} (with its posterior, if any) and {@code provenance} to {@code file}, atomically: an
     * existing file is replaced only once everything is written.
     *
     * @param file the model file to write
     * @param model the model
     * @param provenance where the model came from, or null
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if a number of the model is not finite (it could not be read back)
     */
    public static void write(Path file, GapModel model, FitProvenance provenance) throws IOException {
        GapModelFileWriter.write(file, model, provenance);
    }

    /**
     * @param file a model file
     * @return the model and its provenance (null if the file records none)
     * @throws ModelFileException naming the file, entry and field if anything is missing or malformed
     * @throws IOException if the file cannot be read
     */
    public static StoredModel read(Path file) throws IOException {
        return GapModelFileReader.read(file);
    }

    /**
     * @param file a model file of either kind
     * @return true if {@code file} starts with the zip magic {@code PK} (a native model file), false otherwise
     *     (a gap_fit XML)
     * @throws IOException if the file cannot be read (e.g. it does not exist)
     */
    public static boolean isNative(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(2);
            return magic.length == 2 && magic[0] == 'P' && magic[1] == 'K';
        }
    }

    /**
     * @return the transpose of the n × n matrix {@code a}: column-major storage to C order (row-major) and back
     */
    static double[] transpose(double[] a, int n) {
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = a[i + j * n];
            }
        }
        return out;
    }
}
