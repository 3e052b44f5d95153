package org.soapstone.engine.accuracy;

/**
 * The names under which a frame holds its reference values: per-frame {@code energy} (eV), per-atom {@code forces}
 * (eV/Å, 3 columns), per-frame {@code virial} (eV, 3×3) and {@code stress} (eV/Å³, 3×3, ASE sign), and the
 * per-frame key that groups frames ({@code config_type}). The defaults are gap_fit's.
 */
public record ReferenceNames(String energy, String forces, String virial, String stress, String configType) {
    /** gap_fit's defaults: energy, forces, virial, stress, config_type. */
    public static final ReferenceNames DEFAULTS =
            new ReferenceNames("energy", "forces", "virial", "stress", "config_type");

    public ReferenceNames {
        check("energy", energy);
        check("forces", forces);
        check("virial", virial);
        check("stress", stress);
        check("config_type", configType);
    }

    private static void check(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the name of the reference " + what + " must not be empty");
        }
    }
}
