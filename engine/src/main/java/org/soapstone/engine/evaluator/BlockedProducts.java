package org.soapstone.engine.evaluator;

/**
 * The small dense loop of the evaluator that BLAS does not cover — squared distances of vectors to every row of a
 * matrix (ard_se kernels) — written with independent floating-point chains so the JIT keeps several in flight.
 * Units are the caller's.
 */
final class BlockedProducts {
    private BlockedProducts() {
    }

    /**
     * out[b·rows + s] = |x_b − z_s|² for the {@code nb} vectors x_b = x[xOff + b·len ..] and the rows z_s (direct
     * differences, no cancellation), four rows at a time.
     */
    static void squaredDistances(double[] x, int xOff, int nb, int len, double[] z, int rows, double[] out) {
        for (int b = 0; b < nb; b++) {
            int xb = xOff + b * len;
            int s = 0;
            for (; s + 4 <= rows; s += 4) {
                int r0 = s * len, r1 = r0 + len, r2 = r1 + len, r3 = r2 + len;
                double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                for (int j = 0; j < len; j++) {
                    double v = x[xb + j];
                    double u0 = z[r0 + j] - v, u1 = z[r1 + j] - v, u2 = z[r2 + j] - v, u3 = z[r3 + j] - v;
                    a0 += u0 * u0;
                    a1 += u1 * u1;
                    a2 += u2 * u2;
                    a3 += u3 * u3;
                }
                out[b * rows + s] = a0;
                out[b * rows + s + 1] = a1;
                out[b * rows + s + 2] = a2;
                out[b * rows + s + 3] = a3;
            }
            for (; s < rows; s++) {
                double a = 0;
                int r = s * len;
                for (int j = 0; j < len; j++) {
                    double u = z[r + j] - x[xb + j];
                    a += u * u;
                }
                out[b * rows + s] = a;
            }
        }
    }
}
