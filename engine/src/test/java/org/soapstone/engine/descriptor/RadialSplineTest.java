package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RadialSpline} against the exact radial functions of {@link SoapRadialBasis} between the knots, for each of
 * QUIP's radial bases.
 */
class RadialSplineTest {
    @Test
    void interpolationErrorIsBelowTheDocumentedBound() {
        double[][] cases = {{8, 8, 5.0, 0.5}, {4, 3, 3.5, 0.3}, {10, 6, 6.0, 0.7}};
        for (double[] c : cases) {
          for (SoapParameters.RadialBasis type : SoapParameters.RadialBasis.values()) {
            int nMax = (int) c[0], lMax = (int) c[1];
            double rc = c[2], sigma = c[3];
            SoapRadialBasis basis = new SoapRadialBasis(type, nMax, lMax, rc, sigma, 10);
            int nr = (lMax + 1) * nMax;
            RadialSpline spline = new RadialSpline(basis, nr, rc, RadialSpline.spacing(type, sigma));
            double[] work = new double[basis.workSize()];
            double[] v = new double[nr], dv = new double[nr];
            double[] sv = new double[spline.outputLength()], sdv = new double[spline.outputLength()];
            double scale = 0, dscale = 0, err = 0, derr = 0;
            Random rng = new Random(5);
            for (int k = 0; k < 4000; k++) {
                double d = 0.05 + (rc - 0.05) * rng.nextDouble();
                basis.radial(d, work, v, dv);
                spline.radial(d, work, sv, sdv);
                for (int q = 0; q < nr; q++) {
                    scale = Math.max(scale, Math.abs(v[q]));
                    dscale = Math.max(dscale, Math.abs(dv[q]));
                    err = Math.max(err, Math.abs(v[q] - sv[q]));
                    derr = Math.max(derr, Math.abs(dv[q] - sdv[q]));
                }
            }
            String what = type + " n_max=" + nMax + " l_max=" + lMax + " rc=" + rc + " σ=" + sigma + ": ";
            assertTrue(scale > 0 && dscale > 0, what + "test set-up");
            assertTrue(err <= 1e-10 * scale, what + "value error " + err / scale + " of max |R|");
            assertTrue(derr <= 1e-7 * dscale, what + "derivative error " + derr / dscale + " of max |R'|");
          }
        }
    }
}
