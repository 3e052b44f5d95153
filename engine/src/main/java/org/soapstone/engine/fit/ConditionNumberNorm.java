package org.soapstone.engine.fit;

/**
 * gap_fit's {@code condition_number_norm}: the norm in which the condition number of the fit's least-squares
 * matrix is reported, or none ({@code ' '}, gap_fit's default).
 */
public enum ConditionNumberNorm {
    /** Not computed (gap_fit's default, a blank). */
    NONE,
    /** The 1-norm, maximum absolute column sum ({@code O} or {@code 1}). */
    ONE,
    /** The ∞-norm, maximum absolute row sum ({@code I}). */
    INFINITY;

    /**
     * Reads the value as gap_fit does: by its first character (LAPACK's norm letter, case-insensitive).
     *
     * @param value the value of {@code condition_number_norm}, possibly blank
     * @return the norm
     * @throws FitSettingsException for any other letter
     */
    static ConditionNumberNorm of(String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return NONE;
        }
        return switch (Character.toUpperCase(v.charAt(0))) {
            case 'O', '1' -> ONE;
            case 'I' -> INFINITY;
            default -> throw new FitSettingsException("condition_number_norm=" + value + " is not allowed; it must "
                    + "be O or 1 (1-norm), I (∞-norm) or blank (not computed)");
        };
    }

    /** @return gap_fit's letter for the norm (blank for none) */
    public char letter() {
        return switch (this) {
            case NONE -> ' ';
            case ONE -> 'O';
            case INFINITY -> 'I';
        };
    }
}
