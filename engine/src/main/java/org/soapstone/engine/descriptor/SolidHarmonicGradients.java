package org.soapstone.engine.descriptor;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The gradient of a solid harmonic as solid harmonics of one degree less: S_lm(d) = |d|^l Y_lm(d̂) is a harmonic
 * homogeneous polynomial, so each component of its gradient is one of degree l − 1,
 * <pre>  ∂S_lm/∂d_α = Σ_m' C^α_{lm,m'} S_{l−1,m'},   C^α_{lm,m'} = ∮ Y_{l−1,m'} (l u_α Y_lm + ∂Y_lm/∂d_α) dΩ</pre>
 * (at |d| = 1, u = d̂; {@link RealSphericalHarmonics}' orthonormal Y_lm). The coefficients come from a quadrature
 * that is exact for these integrands — Gauss–Legendre in cos θ, uniform in φ — and those that are zero in exact
 * arithmetic (below 10⁻¹², rounding) are left out: at most two remain per m' and α (|m| = |m'| ± 1 for x and y,
 * m = m' for z; the constructor checks it). With them the reverse mode of the expansion needs Y_lm only, never
 * ∇Y_lm (Caro, PRB 100, 024112 (2019) builds the harmonics' gradients on the same property).
 * Immutable and thread-safe.
 */
final class SolidHarmonicGradients {
    private static final VectorSpecies<Double> LANES = DoubleVector.SPECIES_PREFERRED;
    private static final int V = LANES.length();
    private static final double ZERO = 1e-12;
    private final int targets;
    /** Per α and target index j' = (l−1)² + (l−1) + m' (at α·L² + j'): its two terms' source indices l² + l + m
     *  and coefficients C^α_{lm,m'} (a coefficient 0 where there is one term). */
    private final int[] first;
    private final int[] second;
    private final double[] firstCoefficient;
    private final double[] secondCoefficient;

    /** @param lMax the highest degree L ≥ 0 */
    SolidHarmonicGradients(int lMax) {
        targets = lMax * lMax;
        int polar = lMax + 2;
        int azimuthal = 2 * lMax + 2;
        double[] nodes = new double[polar];
        double[] weights = new double[polar];
        gaussLegendre(nodes, weights);
        int count = polar * azimuthal;
        int stride = RealSphericalHarmonics.padded(count);
        double[][] u = new double[3][stride];
        double[] invR = new double[stride];
        double[] w = new double[count];
        Arrays.fill(invR, 1);
        for (int a = 0; a < polar; a++) {
            double z = nodes[a], s = Math.sqrt(1 - z * z);
            for (int b = 0; b < azimuthal; b++) {
                double phi = 2 * Math.PI * b / azimuthal;
                int p = a * azimuthal + b;
                u[0][p] = s * Math.cos(phi);
                u[1][p] = s * Math.sin(phi);
                u[2][p] = z;
                w[p] = weights[a] * 2 * Math.PI / azimuthal;
            }
        }
        int lm = (lMax + 1) * (lMax + 1);
        double[] y = new double[lm * stride];
        double[] grad = new double[3 * lm * stride];
        new RealSphericalHarmonics(lMax).compute(u[0], u[1], u[2], invR, count, y, grad, stride);
        first = new int[3 * targets];
        second = new int[3 * targets];
        firstCoefficient = new double[3 * targets];
        secondCoefficient = new double[3 * targets];
        for (int alpha = 0; alpha < 3; alpha++) {
            for (int l = 1; l <= lMax; l++) {
                for (int target = (l - 1) * (l - 1); target < l * l; target++) {
                    int t = alpha * targets + target, found = 0;
                    first[t] = l * l;
                    second[t] = l * l;
                    for (int i = l * l; i < (l + 1) * (l + 1); i++) {
                        double c = 0;
                        for (int p = 0; p < count; p++) {
                            double gradient = l * u[alpha][p] * y[i * stride + p] + grad[(3 * i + alpha) * stride + p];
                            c += w[p] * y[target * stride + p] * gradient;
                        }
                        if (Math.abs(c) <= ZERO) {
                            continue;
                        }
                        if (found == 2) {
                            throw new IllegalStateException("∂S_lm/∂d_α has more than two terms at l=" + l);
                        }
                        if (found++ == 0) {
                            first[t] = i;
                            firstCoefficient[t] = c;
                        } else {
                            second[t] = i;
                            secondCoefficient[t] = c;
                        }
                    }
                }
            }
        }
    }

    /** The nodes and weights of Gauss–Legendre quadrature on [−1, 1], as many as the arrays hold (Newton's method). */
    private static void gaussLegendre(double[] nodes, double[] weights) {
        int n = nodes.length;
        for (int i = 0; i < n; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 1;
            for (int iteration = 0; iteration < 100; iteration++) {
                double p0 = 1, p1 = x;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                derivative = n * (x * p1 - p0) / (x * x - 1);
                double step = p1 / derivative;
                x -= step;
                if (Math.abs(step) < 1e-16) {
                    break;
                }
            }
            nodes[i] = x;
            weights[i] = 2 / ((1 - x * x) * derivative * derivative);
        }
    }

    /**
     * Lowers a gradient with respect to the coefficients c_{lm,k} to the three sets
     * <pre>  E^α_{l−1 m',k} = Σ_m C^α_{lm,m'} dc_{lm,k},   l = 1…L,</pre>
     * (each the first term times its coefficient, plus the second's by fma), a vector of channels at a time.
     *
     * @param dc ∂ε/∂c_{lm,k} at (l² + l + m)·stride + k
     * @param stride the channel stride, a whole number of vectors
     * @param out E^α_{j',k} at (α·L² + j')·stride + k, j' = (l−1)² + (l−1) + m'
     */
    void lower(double[] dc, int stride, double[] out) {
        for (int t = 0; t < 3 * targets; t++) {
            DoubleVector c0 = DoubleVector.broadcast(LANES, firstCoefficient[t]);
            DoubleVector c1 = DoubleVector.broadcast(LANES, secondCoefficient[t]);
            int s0 = first[t] * stride, s1 = second[t] * stride;
            for (int k = 0; k < stride; k += V) {
                DoubleVector.fromArray(LANES, dc, s1 + k).fma(c1, DoubleVector.fromArray(LANES, dc, s0 + k).mul(c0))
                        .intoArray(out, t * stride + k);
            }
        }
    }
}
