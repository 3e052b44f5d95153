package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SolidHarmonicGradients} against central finite differences of the solid harmonics S_lm(d) = |d|^l Y_lm(d̂)
 * at random points off the unit sphere: Σ_m C^α_{lm,m'} S_{l−1,m'}(d) must equal ∂S_lm/∂d_α for every l ≤ 8, m, α.
 */
class SolidHarmonicGradientsTest {
    private static final int L = 8;
    private static final int LM = (L + 1) * (L + 1);

    @Test
    void lowersToTheFiniteDifferenceGradientOfEachSolidHarmonic() {
        SolidHarmonicGradients gradients = new SolidHarmonicGradients(L);
        int stride = RealSphericalHarmonics.padded(1);
        double[] dc = new double[LM * stride];
        double[] lowered = new double[3 * L * L * stride];
        Random rng = new Random(3);
        double worst = 0;
        for (int trial = 0; trial < 20; trial++) {
            double[] d = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            double[] s = solid(d);
            for (int i = 1; i < LM; i++) {
                int l = (int) Math.sqrt(i);
                // dc picks one (l, m) in lane 0: E^α then holds C^α_{lm,m'} for each m'
                java.util.Arrays.fill(dc, 0);
                dc[i * stride] = 1;
                gradients.lower(dc, stride, lowered);
                for (int alpha = 0; alpha < 3; alpha++) {
                    double lowerDegree = 0;
                    for (int target = (l - 1) * (l - 1); target < l * l; target++) {
                        lowerDegree += lowered[(alpha * L * L + target) * stride] * s[target];
                    }
                    double h = 1e-5;
                    double[] plus = d.clone(), minus = d.clone();
                    plus[alpha] += h;
                    minus[alpha] -= h;
                    double fd = (solid(plus)[i] - solid(minus)[i]) / (2 * h);
                    double scale = Math.max(1, Math.abs(fd));
                    worst = Math.max(worst, Math.abs(lowerDegree - fd) / scale);
                    assertEquals(fd, lowerDegree, 1e-6 * scale, "l=" + l + " index " + i + " α=" + alpha);
                }
            }
        }
        assertTrue(worst > 0, "the comparison ran");
    }

    /** S_lm(d) = |d|^l Y_lm(d̂) at index l² + l + m. */
    private static double[] solid(double[] d) {
        int stride = RealSphericalHarmonics.padded(1);
        double r = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        double[] ux = new double[stride], uy = new double[stride], uz = new double[stride], inv = new double[stride];
        ux[0] = d[0] / r;
        uy[0] = d[1] / r;
        uz[0] = d[2] / r;
        inv[0] = 1 / r;
        double[] y = new double[LM * stride];
        new RealSphericalHarmonics(L).compute(ux, uy, uz, inv, 1, y, null, stride);
        double[] s = new double[LM];
        for (int l = 0; l <= L; l++) {
            for (int i = l * l; i < (l + 1) * (l + 1); i++) {
                s[i] = Math.pow(r, l) * y[i * stride];
            }
        }
        return s;
    }
}
