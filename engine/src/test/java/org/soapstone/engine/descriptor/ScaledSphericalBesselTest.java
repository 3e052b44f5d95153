package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** e^{−x} i_l(x) against closed forms (A&amp;S 10.2.13) and the small-x series, across the recurrence switch. */
class ScaledSphericalBesselTest {

    /** i_0, i_1, i_2 in closed form, times e^{−x}. */
    private static double[] closedForm(double x) {
        double sh = Math.sinh(x), ch = Math.cosh(x), e = Math.exp(-x);
        return new double[] {
            e * sh / x,
            e * (ch / x - sh / (x * x)),
            e * ((3 / (x * x * x) + 1 / x) * sh - 3 / (x * x) * ch)
        };
    }

    /** i_l(x) by its power series Σ_k (x²/2)^k / (k! (2l+2k+1)!!) · x^l, converged to machine precision. */
    private static double series(int l, double x) {
        double df = 1;
        for (int k = 1; k <= l; k++) {
            df *= 2 * k + 1;
        }
        double term = Math.pow(x, l) / df, sum = 0;
        for (int k = 0; k < 400 && term != 0; k++) {
            sum += term;
            term *= x * x / 2 / (k + 1) / (2 * l + 2 * k + 3);
        }
        return sum * Math.exp(-x);
    }

    @Test
    void lowOrdersMatchClosedForms() {
        double[] out = new double[6];
        // the closed forms cancel badly for small x, where the series test below applies
        for (double x : new double[] {1.7, 4.0, 9.5, 30.0}) {
            ScaledSphericalBessel.compute(x, 5, out, 0);
            double[] ref = closedForm(x);
            for (int l = 0; l < 3; l++) {
                assertEquals(ref[l], out[l], 1e-13 * ref[l], "l=" + l + " x=" + x);
            }
        }
    }

    @Test
    void allOrdersMatchTheSeriesIncludingSmallArguments() {
        double[] out = new double[12];
        for (double x : new double[] {1e-6, 0.01, 0.5, 2.0, 7.9, 8.0, 10.5, 25.0}) {
            ScaledSphericalBessel.compute(x, 9, out, 2);
            for (int l = 0; l <= 9; l++) {
                double ref = series(l, x);
                assertEquals(ref, out[2 + l], 1e-12 * ref, "l=" + l + " x=" + x);
            }
        }
        ScaledSphericalBessel.compute(0, 3, out, 0);
        assertEquals(1, out[0]);
        assertEquals(0, out[3]);
    }
}
