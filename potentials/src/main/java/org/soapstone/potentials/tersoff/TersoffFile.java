package org.soapstone.potentials.tersoff;

import java.nio.file.Path;
import org.soapstone.engine.io.LammpsFormatException;
import org.soapstone.potentials.manybody.TripletFileReader;
import org.soapstone.potentials.manybody.TripletTable;

/**
 * Reads LAMMPS Tersoff files ({@code pair_style tersoff}, e.g. {@code Si.tersoff}, {@code SiC.tersoff}): entries
 * "el1 el2 el3 m γ λ₃ c d cosθ₀ n β λ₂ B R D λ₁ A" in metal units, continued over lines as needed, with
 * {@code #} comments. See {@link TersoffParameters} for the meaning of each entry.
 */
public final class TersoffFile {
    private TersoffFile() {}

    /**
     * @param file a {@code .tersoff} file
     * @return its entries by element triplet
     * @throws LammpsFormatException naming file, line and field for malformed text, a bad value, an unknown
     *     element or a duplicate entry
     */
    public static TripletTable<TersoffParameters> read(Path file) {
        return TripletFileReader.read(file, TersoffParameters.FIELDS, (elements, v) -> TersoffParameters.of(v),
                TersoffParameters.class);
    }
}
