package org.soapstone.engine.accuracy;

import java.util.Arrays;
import org.soapstone.gp.PredictiveCalibration;

/**
 * How well predicted standard deviations describe the actual errors (Musil et al., J. Chem. Theory Comput. 15, 906
 * (2019)): every (error, σ) pair is kept (16 bytes each) for {@link #figures()} — the fractions of |error| ≤ σ and
 * ≤ 2σ (erf(1/√2) = 68.3 % and erf(√2) = 95.4 % for calibrated Gaussian errors), the rms of z = error/σ (1), the
 * mean negative log-likelihood and Spearman's ρ(σ, |error|) — and for a reliability diagram ({@link #reliability}),
 * and a bounded sample of (σ, |error|) points is kept to plot. Errors and σ in the same unit (eV/atom for
 * energies, eV/Å for force components, eV/atom for virials).
 */
public final class Calibration {
    /** The fraction of a Gaussian within one standard deviation, erf(1/√2). */
    public static final double GAUSSIAN_1_SIGMA = 0.6826894921370859;
    /** The fraction of a Gaussian within two standard deviations, erf(√2). */
    public static final double GAUSSIAN_2_SIGMA = 0.9544997361036416;

    private final Points pairs;
    private double[] errors = new double[16];
    private double[] sigmas = new double[16];
    private int count;

    /** @param pairs where the sampled (σ, |error|) pairs go: x = σ, y = |error| */
    public Calibration(Points pairs) {
        this.pairs = pairs;
    }

    /**
     * @param error predicted − reference
     * @param sigma the predicted standard deviation (&gt; 0, same unit)
     */
    public void add(double error, double sigma) {
        if (count == errors.length) {
            errors = Arrays.copyOf(errors, 2 * count);
            sigmas = Arrays.copyOf(sigmas, 2 * count);
        }
        errors[count] = error;
        sigmas[count++] = sigma;
        pairs.add(sigma, Math.abs(error));
    }

    /** @return the number of errors added */
    public long count() {
        return count;
    }

    /** @return the fraction of errors with |error| ≤ σ (NaN if none) */
    public double within1Sigma() {
        return figures().within1();
    }

    /** @return the fraction of errors with |error| ≤ 2σ (NaN if none) */
    public double within2Sigma() {
        return figures().within2();
    }

    /** @return coverage at 1σ and 2σ, rms z, negative log-likelihood (per error, in the errors' unit), Spearman ρ */
    public PredictiveCalibration.Figures figures() {
        return PredictiveCalibration.figures(Arrays.copyOf(errors, count), Arrays.copyOf(sigmas, count));
    }

    /**
     * A reliability diagram's points: the errors sorted by σ and cut into bins of equal count; per bin the rms σ
     * and the rms error, which lie on the diagonal when σ is calibrated (Musil et al. 2019, fig. 2).
     *
     * @param bins the number of bins (fewer if there are fewer errors)
     * @return {rms σ per bin, rms error per bin}
     */
    public double[][] reliability(int bins) {
        int b = Math.min(bins, count);
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(sigmas[x], sigmas[y]));
        double[] rmsSigma = new double[b];
        double[] rmsError = new double[b];
        for (int k = 0; k < b; k++) {
            int from = (int) ((long) k * count / b);
            int to = (int) ((long) (k + 1) * count / b);
            double s2 = 0;
            double e2 = 0;
            for (int i = from; i < to; i++) {
                s2 += sigmas[order[i]] * sigmas[order[i]];
                e2 += errors[order[i]] * errors[order[i]];
            }
            rmsSigma[k] = Math.sqrt(s2 / (to - from));
            rmsError[k] = Math.sqrt(e2 / (to - from));
        }
        return new double[][] {rmsSigma, rmsError};
    }

    /** @return the sampled pairs: x = σ, y = |error| */
    public Points pairs() {
        return pairs;
    }
}
