package org.soapstone.engine.evaluator;

/**
 * The two dense kernels of the evaluator's inner loop, written so that the JIT keeps many independent
 * floating-point chains in flight: dot products of a block of up to {@link #BLOCK} vectors with every row of a
 * matrix (a small matrix product, each matrix row loaded once per block), and the transposed product that
 * accumulates weighted rows. Units are the caller's.
 */
final class BlockedProducts {
    /** The largest number of vectors handled together. */
    static final int BLOCK = 4;

    private BlockedProducts() {
    }

    /**
     * out[b·rows + s] = x_b · z_s for the {@code nb} ≤ {@link #BLOCK} vectors x_b = x[xOff + b·len ..] and the
     * {@code rows} rows z_s = z[s·len ..] of length {@code len}.
     */
    static void dots(double[] x, int xOff, int nb, int len, double[] z, int rows, double[] out) {
        if (nb == BLOCK) {
            int x0 = xOff, x1 = x0 + len, x2 = x1 + len, x3 = x2 + len;
            int s = 0;
            for (; s + 2 <= rows; s += 2) {
                int r0 = s * len, r1 = r0 + len;
                double a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;
                for (int j = 0; j < len; j++) {
                    double z0 = z[r0 + j];
                    double z1 = z[r1 + j];
                    double v0 = x[x0 + j], v1 = x[x1 + j], v2 = x[x2 + j], v3 = x[x3 + j];
                    a00 += v0 * z0;
                    a01 += v0 * z1;
                    a10 += v1 * z0;
                    a11 += v1 * z1;
                    a20 += v2 * z0;
                    a21 += v2 * z1;
                    a30 += v3 * z0;
                    a31 += v3 * z1;
                }
                out[s] = a00;
                out[s + 1] = a01;
                out[rows + s] = a10;
                out[rows + s + 1] = a11;
                out[2 * rows + s] = a20;
                out[2 * rows + s + 1] = a21;
                out[3 * rows + s] = a30;
                out[3 * rows + s + 1] = a31;
            }
            for (; s < rows; s++) {
                for (int b = 0; b < BLOCK; b++) {
                    out[b * rows + s] = dot(x, xOff + b * len, z, s * len, len);
                }
            }
            return;
        }
        for (int b = 0; b < nb; b++) {
            int xb = xOff + b * len;
            int s = 0;
            for (; s + 4 <= rows; s += 4) {
                int r0 = s * len, r1 = r0 + len, r2 = r1 + len, r3 = r2 + len;
                double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                for (int j = 0; j < len; j++) {
                    double v = x[xb + j];
                    a0 += v * z[r0 + j];
                    a1 += v * z[r1 + j];
                    a2 += v * z[r2 + j];
                    a3 += v * z[r3 + j];
                }
                out[b * rows + s] = a0;
                out[b * rows + s + 1] = a1;
                out[b * rows + s + 2] = a2;
                out[b * rows + s + 3] = a3;
            }
            for (; s < rows; s++) {
                out[b * rows + s] = dot(x, xb, z, s * len, len);
            }
        }
    }

    /**
     * g_b = Σ_s c[b·rows + s] z_s for b &lt; nb (g_b = g[b·len ..], overwritten): four rows at a time, so each g
     * element is loaded and stored once per four rows.
     */
    static void combine(double[] c, int nb, int rows, double[] z, int len, double[] g) {
        java.util.Arrays.fill(g, 0, nb * len, 0);
        int s = 0;
        for (; s + 4 <= rows; s += 4) {
            int r0 = s * len, r1 = r0 + len, r2 = r1 + len, r3 = r2 + len;
            for (int b = 0; b < nb; b++) {
                int cb = b * rows + s;
                double c0 = c[cb], c1 = c[cb + 1], c2 = c[cb + 2], c3 = c[cb + 3];
                int gb = b * len;
                for (int j = 0; j < len; j++) {
                    g[gb + j] += c0 * z[r0 + j] + c1 * z[r1 + j] + c2 * z[r2 + j] + c3 * z[r3 + j];
                }
            }
        }
        for (; s < rows; s++) {
            int r = s * len;
            for (int b = 0; b < nb; b++) {
                double cs = c[b * rows + s];
                int gb = b * len;
                for (int j = 0; j < len; j++) {
                    g[gb + j] += cs * z[r + j];
                }
            }
        }
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

    /** x[xOff ..]·y[yOff ..] over len elements, in four chains. */
    static double dot(double[] x, int xOff, double[] y, int yOff, int len) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        int j = 0;
        for (; j + 4 <= len; j += 4) {
            a0 += x[xOff + j] * y[yOff + j];
            a1 += x[xOff + j + 1] * y[yOff + j + 1];
            a2 += x[xOff + j + 2] * y[yOff + j + 2];
            a3 += x[xOff + j + 3] * y[yOff + j + 3];
        }
        for (; j < len; j++) {
            a0 += x[xOff + j] * y[yOff + j];
        }
        return (a0 + a1) + (a2 + a3);
    }
}
