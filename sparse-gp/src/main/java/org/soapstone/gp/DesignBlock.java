package org.soapstone.gp;

/**
 * Rows of the whitened design of the projected-process fit for one block of observations: column-major
 * {@code rows × (M+1)} holding [Λ^{-1/2} K_NM | Λ^{-1/2} y], Λ = diag(σ²) the observation noise. Appending the
 * target as an extra column lets one QR give R, Qᵀb and the residual norm together. A pure function of the
 * observations, so blocks can be built anywhere (threads, Spark executors) and reduced by {@link QrAccumulator}.
 *
 * <p>Reference: Deringer et al., Chem. Rev. 121, 10073 (2021) (sparse GP regression, Λ^{-1/2}-weighted
 * least squares).
 *
 * @param rows        number of observations in the block
 * @param sparseCount M, the number of sparse points
 * @param matrix      column-major {@code rows × (M+1)}, dimensionless (kernel rows divided by σ)
 * @param logSigmaSum Σ_r ln σ_r over the block (σ in the row's own unit), for log|Λ|
 */
public record DesignBlock(int rows, int sparseCount, double[] matrix, double logSigmaSum) {

    public DesignBlock {
        if (rows < 0 || sparseCount < 1 || matrix.length != rows * (sparseCount + 1)) {
            throw new IllegalArgumentException("design block must be rows x (M+1) = " + rows + " x " + (sparseCount + 1)
                    + ", got " + matrix.length + " numbers");
        }
    }

    /** Builds the block for {@code obs} against the sparse points with the given kernel. */
    public static DesignBlock assemble(Kernel kernel, SparsePoints sparse, ObservationBlock obs) {
        return assemble(Covariance.functionalRows(kernel, sparse, obs), sparse.size(), obs.target(), obs.sigma());
    }

    /**
     * Builds a block from kernel rows already computed ({@code rows × M} row-major, unscaled, eV²; a longer array
     * is a reused buffer, its first {@code rows × M} entries are read), scaling each row r by {@code 1/σ_r}.
     */
    public static DesignBlock assemble(double[] kernelRows, int m, double[] target, double[] sigma) {
        int rows = target.length;
        if (kernelRows.length < rows * m || sigma.length != rows) {
            throw new IllegalArgumentException("kernel rows (" + kernelRows.length + " numbers) and sigma (" + sigma.length
                    + ") do not match " + rows + " targets and " + m + " sparse points");
        }
        double[] a = new double[rows * (m + 1)];
        double logSigma = 0.0;
        for (int r = 0; r < rows; r++) {
            double w = 1.0 / sigma[r];
            logSigma += Math.log(sigma[r]);
            for (int j = 0; j < m; j++) {
                a[r + j * rows] = w * kernelRows[r * m + j];
            }
            a[r + m * rows] = w * target[r];
        }
        return new DesignBlock(rows, m, a, logSigma);
    }
}
