package org.soapstone.engine.descriptor;

/**
 * Exponentially scaled modified spherical Bessel functions of the first kind, e<sup>−x</sup> i_l(x) for
 * l = 0…L (Abramowitz &amp; Stegun 10.2), the radial kernel of the angular integral of a Gaussian:
 * ∫dΩ exp(−α|r r̂ − d|²) Y_lm(r̂) = 4π exp(−α(r² + d²)) i_l(2αrd) Y_lm(d̂).
 *
 * <p>Upward recurrence i_{l+1} = i_{l−1} − (2l+1)/x i_l where it is stable (x ≥ L), otherwise Miller's downward
 * recurrence normalised to the closed form of i_0, so the values are accurate for every x ≥ 0 (QUIP uses the
 * upward recurrence throughout, which agrees wherever it is accurate).
 */
final class ScaledSphericalBessel {
    private static final double RESCALE = 1e200;

    private ScaledSphericalBessel() {}

    /**
     * Fills {@code out[offset..offset+lMax]} with e<sup>−x</sup> i_l(x).
     *
     * @param x the argument, ≥ 0 (dimensionless)
     * @param lMax the highest order
     * @param out output, e<sup>−x</sup> i_l(x) at {@code out[offset + l]}
     * @param offset where order 0 goes
     */
    static void compute(double x, int lMax, double[] out, int offset) {
        if (x == 0) {
            out[offset + 0] = 1;
            for (int l = 1; l <= lMax; l++) {
                out[offset + l] = 0;
            }
            return;
        }
        double e2 = Math.exp(-2 * x);
        double i0 = (x < 0.5 ? -Math.expm1(-2 * x) : 1 - e2) / (2 * x);
        if (x >= lMax) {
            out[offset + 0] = i0;
            if (lMax == 0) {
                return;
            }
            double im1 = (1 + e2) / (2 * x);
            out[offset + 1] = im1 - i0 / x;
            for (int l = 1; l < lMax; l++) {
                out[offset + l + 1] = out[offset + l - 1] - (2 * l + 1) / x * out[offset + l];
            }
            return;
        }
        int start = lMax + 20 + (int) x;
        double next = 0;
        double cur = 1e-300;
        for (int l = start; l > 0; l--) {
            double prev = next + (2 * l + 1) / x * cur;
            next = cur;
            cur = prev;
            if (l - 1 <= lMax) {
                out[offset + l - 1] = cur;
            }
            if (Math.abs(cur) > RESCALE) {
                cur /= RESCALE;
                next /= RESCALE;
                for (int k = l - 1; k <= lMax; k++) {
                    out[offset + k] /= RESCALE;
                }
            }
        }
        double scale = i0 / out[offset + 0];
        for (int l = 0; l <= lMax; l++) {
            out[offset + l] *= scale;
        }
    }
}
