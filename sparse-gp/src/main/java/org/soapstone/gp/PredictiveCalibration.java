package org.soapstone.gp;

import java.util.Arrays;

/**
 * Calibration of a GP's predictive standard deviations against held-out errors e (cross-validation residuals or a
 * test set), with the observed-value predictive distribution
 * <pre>  y − ŷ ~ N(0, σ²),   σ² = s_w² · uᵀΣu + s_n² · σ_n²</pre>
 * where uᵀΣu is the weight-space variance of the prediction ({@link SparseGpPosterior#weightVariances}) and σ_n the
 * observation noise the fit assumed. With the true hyperparameters and data drawn from the model, s_w = s_n = 1; in
 * practice the fit's δ and σ_n are regularisation choices and the errors of a potential are mostly model error, so
 * the two scales are fitted by maximising the Gaussian likelihood of the held-out errors (Musil et al., J. Chem.
 * Theory Comput. 15, 906 (2019), sec. 2.3, scale the predictive variance the same way). The ratio s_n²/s_w² is
 * searched on a fixed logarithmic grid (plus the pure-weight and pure-noise ends); for each ratio the common factor
 * has the closed form mean(e²/v). Deterministic; no iteration to converge.
 *
 * <p>{@link #figures} gives what a calibrated Gaussian is judged by: the fractions of |z| = |e|/σ within 1 and 2
 * (68.3 % and 95.4 %), the rms z (1), the mean negative log-likelihood and Spearman's rank correlation between σ
 * and |e|.
 */
public final class PredictiveCalibration {

    /** log₁₀ of the largest and smallest ratio searched, relative to mean(uᵀΣu)/mean(σ_n²). */
    private static final double RATIO_DECADES = 8.0;
    /** Grid steps per decade of the ratio. */
    private static final int STEPS_PER_DECADE = 20;

    private PredictiveCalibration() {
    }

    /**
     * The two scales of the calibrated variance σ² = weight² · uᵀΣu + noise² · σ_n².
     *
     * @param weight s_w, the factor on the weight-space standard deviation (dimensionless, ≥ 0)
     * @param noise s_n, the factor on the observation noise σ_n (dimensionless, ≥ 0)
     */
    public record Scale(double weight, double noise) {
        /** The uncalibrated observed predictive: uᵀΣu + σ_n². */
        public static final Scale IDENTITY = new Scale(1, 1);

        public Scale {
            if (!(weight >= 0) || !(noise >= 0) || !Double.isFinite(weight) || !Double.isFinite(noise)
                    || weight + noise == 0) {
                throw new IllegalArgumentException("calibration scales must be finite, ≥ 0 and not both 0, got "
                        + weight + " and " + noise);
            }
        }

        /**
         * @param weightVariance uᵀΣu (unit²)
         * @param noiseVariance σ_n² (unit²)
         * @return the calibrated variance (unit²)
         */
        public double variance(double weightVariance, double noiseVariance) {
            return weight * weight * weightVariance + noise * noise * noiseVariance;
        }

        /** @return both scales times c ≥ 0 */
        public Scale times(double c) {
            return new Scale(weight * c, noise * c);
        }
    }

    /**
     * How calibrated σ are on a set of errors.
     *
     * @param count the number of errors
     * @param within1 the fraction with |e| ≤ σ (a calibrated Gaussian: 0.683)
     * @param within2 the fraction with |e| ≤ 2σ (0.954)
     * @param rmsZ √mean(e²/σ²) (1)
     * @param negativeLogLikelihood mean of ½z² + ln σ + ½ ln 2π, σ in the errors' unit (lower is better; it
     *     depends on the unit)
     * @param spearman Spearman's rank correlation of σ and |e| (ties ranked by their mean rank); NaN below 2 errors
     */
    public record Figures(long count, double within1, double within2, double rmsZ, double negativeLogLikelihood,
            double spearman) {
    }

    /**
     * Fits s_w and s_n by maximum likelihood of the errors.
     *
     * @param error e, held-out prediction minus reference (any unit)
     * @param weightVariance uᵀΣu of each prediction (unit²)
     * @param noiseVariance σ_n² of each (unit²)
     * @return the scales
     * @throws IllegalArgumentException if there are no errors, the arrays differ in length, or a variance is negative
     *     or not finite
     */
    public static Scale fit(double[] error, double[] weightVariance, double[] noiseVariance) {
        int n = error.length;
        if (n == 0 || weightVariance.length != n || noiseVariance.length != n) {
            throw new IllegalArgumentException("calibration needs errors and variances of equal, non-zero length: "
                    + n + ", " + weightVariance.length + ", " + noiseVariance.length);
        }
        double meanW = 0;
        double meanN = 0;
        for (int i = 0; i < n; i++) {
            if (!(weightVariance[i] >= 0) || !(noiseVariance[i] >= 0) || !Double.isFinite(weightVariance[i])
                    || !Double.isFinite(noiseVariance[i]) || !Double.isFinite(error[i])) {
                throw new IllegalArgumentException("error or variance " + i + " is negative or not finite");
            }
            meanW += weightVariance[i] / n;
            meanN += noiseVariance[i] / n;
        }
        double unit = meanW > 0 && meanN > 0 ? meanW / meanN : 1.0;
        double bestNll = Double.POSITIVE_INFINITY;
        double bestA = Double.NaN;
        double bestB = Double.NaN;
        int steps = (int) (2 * RATIO_DECADES * STEPS_PER_DECADE);
        // i = -1: weight only; i = steps + 1: noise only; else the ratio b/a = unit·10^(−8 + i/20)
        for (int i = -1; i <= steps + 1; i++) {
            double wa = i <= steps ? 1.0 : 0.0;
            double nb = i < 0 ? 0.0 : i > steps ? 1.0 : unit * Math.pow(10, -RATIO_DECADES + (double) i / STEPS_PER_DECADE);
            double sumRatio = 0;
            double sumLog = 0;
            boolean valid = true;
            for (int k = 0; k < n && valid; k++) {
                double v = wa * weightVariance[k] + nb * noiseVariance[k];
                if (!(v > 0)) {
                    valid = false;
                } else {
                    sumRatio += error[k] * error[k] / v;
                    sumLog += Math.log(v);
                }
            }
            if (!valid || !(sumRatio > 0)) {
                continue;
            }
            double c = sumRatio / n;
            double nll = 0.5 * (sumLog + n * Math.log(c));
            if (nll < bestNll) {
                bestNll = nll;
                bestA = wa * c;
                bestB = nb * c;
            }
        }
        if (Double.isNaN(bestA)) {
            throw new IllegalArgumentException("no calibration fits these errors: every variance is zero, or every "
                    + "error is");
        }
        return new Scale(Math.sqrt(bestA), Math.sqrt(bestB));
    }

    /**
     * @param error e (any unit)
     * @param sigma σ of each (same unit, &gt; 0)
     * @return the figures of merit of σ for these errors
     */
    public static Figures figures(double[] error, double[] sigma) {
        int n = error.length;
        if (sigma.length != n) {
            throw new IllegalArgumentException(n + " errors but " + sigma.length + " σ");
        }
        if (n == 0) {
            return new Figures(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long in1 = 0;
        long in2 = 0;
        double z2 = 0;
        double nll = 0;
        double[] abs = new double[n];
        for (int i = 0; i < n; i++) {
            double a = Math.abs(error[i]);
            abs[i] = a;
            if (a <= sigma[i]) {
                in1++;
            }
            if (a <= 2 * sigma[i]) {
                in2++;
            }
            double z = a / sigma[i];
            z2 += z * z;
            nll += 0.5 * z * z + Math.log(sigma[i]) + 0.5 * Math.log(2 * Math.PI);
        }
        return new Figures(n, (double) in1 / n, (double) in2 / n, Math.sqrt(z2 / n), nll / n, spearman(sigma, abs));
    }

    /** Spearman's ρ: Pearson's correlation of the ranks (ties get their mean rank); NaN below 2 values. */
    static double spearman(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mean = (n + 1) / 2.0;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double a = rx[i] - mean;
            double b = ry[i] - mean;
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] rank = new double[n];
        for (int i = 0; i < n; ) {
            int j = i + 1;
            while (j < n && v[order[j]] == v[order[i]]) {
                j++;
            }
            double r = (i + j + 1) / 2.0; // mean of the 1-based ranks i+1 .. j
            for (int k = i; k < j; k++) {
                rank[order[k]] = r;
            }
            i = j;
        }
        return rank;
    }
}
