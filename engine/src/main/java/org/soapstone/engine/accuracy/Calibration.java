package org.soapstone.engine.accuracy;

/**
 * How well predicted standard deviations describe the actual errors: the fraction of errors with |error| ≤ σ and
 * ≤ 2σ, which for calibrated Gaussian errors are erf(1/√2) = 68.3 % and erf(√2) = 95.4 % (e.g. Musil et al.,
 * J. Chem. Theory Comput. 15, 906 (2019)), and a sample of (σ, |error|) pairs to plot. Errors and σ in the same
 * unit (eV/atom for energies, eV/Å for force components).
 */
public final class Calibration {
    /** The fraction of a Gaussian within one standard deviation, erf(1/√2). */
    public static final double GAUSSIAN_1_SIGMA = 0.6826894921370859;
    /** The fraction of a Gaussian within two standard deviations, erf(√2). */
    public static final double GAUSSIAN_2_SIGMA = 0.9544997361036416;

    private final Points pairs;
    private long count;
    private long within1;
    private long within2;

    /** @param pairs where the (σ, |error|) pairs go: x = σ, y = |error| */
    public Calibration(Points pairs) {
        this.pairs = pairs;
    }

    /**
     * @param error predicted − reference
     * @param sigma the predicted standard deviation (≥ 0, same unit)
     */
    public void add(double error, double sigma) {
        double a = Math.abs(error);
        count++;
        if (a <= sigma) {
            within1++;
        }
        if (a <= 2 * sigma) {
            within2++;
        }
        pairs.add(sigma, a);
    }

    /** @return the number of errors added */
    public long count() {
        return count;
    }

    /** @return the fraction of errors with |error| ≤ σ (NaN if none) */
    public double within1Sigma() {
        return count == 0 ? Double.NaN : (double) within1 / count;
    }

    /** @return the fraction of errors with |error| ≤ 2σ (NaN if none) */
    public double within2Sigma() {
        return count == 0 ? Double.NaN : (double) within2 / count;
    }

    /** @return the sampled pairs: x = σ, y = |error| */
    public Points pairs() {
        return pairs;
    }
}
