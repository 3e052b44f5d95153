package org.soapstone.potentials.manybody;

/**
 * A potential parameter outside its allowed range, thrown by the validating constructors of parameter records;
 * names the field so that a file reader can point at the line it came from.
 */
public final class ParameterException extends IllegalArgumentException {
    private final String field;

    /**
     * @param field the parameter's name as the file format documents it
     * @param problem what is wrong with its value
     */
    public ParameterException(String field, String problem) {
        super("parameter '" + field + "' " + problem);
        this.field = field;
    }

    /** @return the parameter's name */
    public String field() {
        return field;
    }

    /**
     * Checks that a value is finite and not negative.
     *
     * @throws ParameterException naming {@code field} if it is not
     */
    public static void requireNonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new ParameterException(field, "must be finite and ≥ 0, got " + value);
        }
    }

    /**
     * Checks that a value is finite.
     *
     * @throws ParameterException naming {@code field} if it is not
     */
    public static void requireFinite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new ParameterException(field, "must be finite, got " + value);
        }
    }
}
