package org.soapstone.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The calibration scales and figures against samples of known distribution and hand-counted cases. */
class PredictiveCalibrationTest {

    @Test
    void scalesOfASimulatedPredictiveAreRecovered() {
        Random random = new Random(3);
        int n = 20000;
        double[] e = new double[n];
        double[] w = new double[n];
        double[] noise = new double[n];
        // true σ² = 4² uᵀΣu + 0.5² σ_n²
        for (int i = 0; i < n; i++) {
            w[i] = Math.exp(2 * random.nextGaussian()) * 1e-4;
            noise[i] = 1e-4 * (1 + random.nextDouble());
            e[i] = Math.sqrt(16 * w[i] + 0.25 * noise[i]) * random.nextGaussian();
        }
        PredictiveCalibration.Scale s = PredictiveCalibration.fit(e, w, noise);
        assertEquals(4, s.weight(), 0.15, s.toString());
        assertEquals(0.5, s.noise(), 0.1, s.toString());
        double[] sigma = new double[n];
        for (int i = 0; i < n; i++) {
            sigma[i] = Math.sqrt(s.variance(w[i], noise[i]));
        }
        PredictiveCalibration.Figures f = PredictiveCalibration.figures(e, sigma);
        assertEquals(0.683, f.within1(), 0.01);
        assertEquals(0.954, f.within2(), 0.005);
        assertEquals(1.0, f.rmsZ(), 0.02);
        assertEquals(true, f.spearman() > 0.5, f.toString());
    }

    @Test
    void figuresOfAHandCase() {
        double[] e = {0.5, -1.5, 3, 0};
        double[] sigma = {1, 1, 1, 2};
        PredictiveCalibration.Figures f = PredictiveCalibration.figures(e, sigma);
        assertEquals(4, f.count());
        assertEquals(0.5, f.within1(), 0);
        assertEquals(0.75, f.within2(), 0);
        assertEquals(Math.sqrt((0.25 + 2.25 + 9) / 4), f.rmsZ(), 1e-15);
        double nll = (0.5 * (0.25 + 2.25 + 9) + Math.log(2) + 2 * Math.log(2 * Math.PI)) / 4;
        assertEquals(nll, f.negativeLogLikelihood(), 1e-15);
        // ranks: σ {2, 2, 2, 4} (ties at 2), |e| {2, 3, 4, 1}: Pearson of the ranks
        double[] rs = {2, 2, 2, 4};
        double[] re = {2, 3, 4, 1};
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < 4; i++) {
            sxy += (rs[i] - 2.5) * (re[i] - 2.5);
            sxx += (rs[i] - 2.5) * (rs[i] - 2.5);
            syy += (re[i] - 2.5) * (re[i] - 2.5);
        }
        assertEquals(sxy / Math.sqrt(sxx * syy), f.spearman(), 1e-15);
    }
}
