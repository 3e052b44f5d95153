package org.soapstone.gp;

/**
 * New sparse points that are numerically dependent on the sparse set (a near duplicate): bordering them in would
 * make K_MM singular but for the jitter. Thrown by {@link SparsePointBorder}; the fit is unchanged, and a caller
 * may retry with fewer points.
 */
public final class DependentSparsePointsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is dependent, and by how much
     * @param cause the failed factorisation, or null
     */
    public DependentSparsePointsException(String message, Throwable cause) {
        super(message, cause);
    }
}
