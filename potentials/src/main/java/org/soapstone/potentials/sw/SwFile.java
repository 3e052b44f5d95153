package org.soapstone.potentials.sw;

import java.nio.file.Path;
import org.soapstone.engine.io.LammpsFormatException;
import org.soapstone.potentials.manybody.TripletFileReader;
import org.soapstone.potentials.manybody.TripletTable;

/**
 * Reads LAMMPS Stillinger–Weber files ({@code pair_style sw}, e.g. {@code Si.sw}): entries
 * "el1 el2 el3 ε σ a λ γ cosθ₀ A B p q tol" in metal units (ε eV, σ Å), continued over lines as needed, with
 * {@code #} comments. See {@link SwParameters} for the meaning of each entry.
 */
public final class SwFile {
    private SwFile() {}

    /**
     * @param file a {@code .sw} file
     * @return its entries by element triplet
     * @throws LammpsFormatException naming file, line and field for malformed text, a bad value, an unknown
     *     element or a duplicate entry
     */
    public static TripletTable<SwParameters> read(Path file) {
        return TripletFileReader.read(file, SwParameters.FIELDS, (elements, v) -> SwParameters.of(v),
                SwParameters.class);
    }
}
