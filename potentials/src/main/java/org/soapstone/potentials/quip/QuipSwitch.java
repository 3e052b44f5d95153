package org.soapstone.potentials.quip;

/**
 * QUIP's smooth switch {@code poly_switch} (libAtoms {@code linearalgebra.f95}): 1 for r ≤ r_c − w,
 * 1 − 35x⁴ + 84x⁵ − 70x⁶ + 20x⁷ with x = (r − (r_c − w))/w for r_c − w &lt; r ≤ r_c, 0 beyond; its derivative
 * 140 (x − 1)³ x³ / w. Lengths in Å.
 */
final class QuipSwitch {
    private QuipSwitch() {}

    /** @return S(r) for cutoff r_c and width w (Å) */
    static double value(double r, double cutoff, double width) {
        if (r > cutoff) {
            return 0;
        }
        if (r > cutoff - width) {
            double x = (r - (cutoff - width)) / width;
            double x4 = x * x * x * x;
            return 1 - 35.0 * x4 + 84.0 * (x4 * x) - 70.0 * (x4 * x * x) + 20.0 * x4 * (x * x * x);
        }
        return 1;
    }

    /** @return dS/dr (1/Å) */
    static double derivative(double r, double cutoff, double width) {
        if (r > cutoff || r <= cutoff - width) {
            return 0;
        }
        double x = (r - (cutoff - width)) / width;
        double xm = x - 1;
        return 140.0 * (xm * xm * xm) * (x * x * x) / width;
    }
}
