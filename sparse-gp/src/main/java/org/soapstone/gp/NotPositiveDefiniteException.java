package org.soapstone.gp;

/**
 * A matrix that must be symmetric positive definite (a covariance matrix, plus its jitter) is not, numerically: its
 * Cholesky factorisation ({@link TriangularFactor#cholesky}) met a pivot ≤ 0.
 */
public final class NotPositiveDefiniteException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The order of the first leading minor that is not positive definite (1-based). */
    private final int leadingMinor;

    /**
     * @param leadingMinor the order of the first leading minor that is not positive definite (1-based)
     * @param order the order of the matrix
     */
    public NotPositiveDefiniteException(int leadingMinor, int order) {
        super("K + jitter·I is not positive definite (leading minor " + leadingMinor + " of " + order
                + "); increase the jitter or remove duplicate points");
        this.leadingMinor = leadingMinor;
    }

    /** @return the order of the first leading minor that is not positive definite (1-based) */
    public int leadingMinor() {
        return leadingMinor;
    }
}
