package org.soapstone.gp;

/**
 * A fitted projected-process (DTC) sparse GP with one kernel, immutable: the kernel, the sparse points and the
 * {@link SparseGpPosterior} (weights α and the triangular factors of the predictive variance). Predicts means and
 * variances of local energies and of any {@link ObservationBlock} functional (totals, force or virial components).
 * The variance is that of the latent functional (no observation noise), in eV² for energies and eV²/Å² for forces.
 *
 * <p>Reference: Quiñonero-Candela &amp; Rasmussen, J. Mach. Learn. Res. 6, 1939 (2005), sec. 5 (DTC); Deringer et al.,
 * Chem. Rev. 121, 10073 (2021).
 */
public final class SparseGpModel {

    private final Kernel kernel;
    private final SparsePoints sparse;
    private final double jitter;
    private final int m;
    private final SparseGpPosterior posterior;

    /**
     * Builds the model from a complete accumulator (prior folded in exactly once).
     *
     * @param upperCholesky U with Uᵀ U = K_MM + jitter·I (eV)
     * @param jitter        the jitter added to the diagonal of K_MM, eV²
     */
    public SparseGpModel(Kernel kernel, SparsePoints sparse, double jitter, TriangularFactor upperCholesky,
                         QrAccumulator fit) {
        if (fit.sparseCount() != sparse.size()) {
            throw new IllegalArgumentException("accumulator and Cholesky factor must match " + sparse.size()
                    + " sparse points");
        }
        this.kernel = kernel;
        this.sparse = sparse;
        this.jitter = jitter;
        this.m = sparse.size();
        this.posterior = new SparseGpPosterior(upperCholesky, fit);
    }

    /** Mean of the local energy ε(x) in eV for the descriptor {@code x[offset .. offset+d)}. */
    public double localEnergy(double[] x, int offset) {
        return posterior.mean(kernelRow(x, offset));
    }

    /** Predictive variance of the local energy ε(x), eV². */
    public double localEnergyVariance(double[] x, int offset) {
        int d = sparse.dimension();
        return posterior.variance(kernelRow(x, offset), kernel.value(x, offset, x, offset, d));
    }

    /** Predictive means of the observations' functionals (eV, eV/Å), one per row; targets and σ are ignored. */
    public double[] predict(ObservationBlock obs) {
        double[] k = Covariance.functionalRows(kernel, sparse, obs);
        double[] alpha = posterior.alpha();
        double[] mean = new double[obs.rows()];
        for (int r = 0; r < mean.length; r++) {
            mean[r] = DotProductKernel.dot(k, r * m, alpha, 0, m);
        }
        return mean;
    }

    /**
     * Predictive variances of the observations' functionals (eV², eV²/Å²), one per row: totals of local energies,
     * force or virial components.
     */
    public double[] predictVariance(ObservationBlock obs) {
        double[] k = Covariance.functionalRows(kernel, sparse, obs);
        double[] prior = new double[obs.rows()];
        for (int r = 0; r < prior.length; r++) {
            prior[r] = Covariance.priorVariance(kernel, obs, r);
        }
        return posterior.variances(k, prior);
    }

    /** The kernel-independent posterior. */
    public SparseGpPosterior posterior() {
        return posterior;
    }

    public Kernel kernel() {
        return kernel;
    }

    public SparsePoints sparsePoints() {
        return sparse;
    }

    /** Jitter added to the diagonal of K_MM, eV². */
    public double jitter() {
        return jitter;
    }

    private double[] kernelRow(double[] x, int offset) {
        int d = sparse.dimension();
        double[] z = sparse.raw();
        double[] row = new double[m];
        for (int j = 0; j < m; j++) {
            row[j] = kernel.value(x, offset, z, j * d, d);
        }
        return row;
    }
}
