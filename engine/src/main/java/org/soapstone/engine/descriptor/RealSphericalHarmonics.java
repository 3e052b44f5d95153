package org.soapstone.engine.descriptor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Orthonormal real spherical harmonics Y_lm(d̂), l = 0…L, m = −l…l, of the direction of a vector d, with their
 * gradients with respect to d (1/Å).
 *
 * <p>Y_l0 = N_l0 Q_l^0, Y_lm = √2 N_lm Q_l^m Re(x+iy)^m and Y_l,−m = √2 N_lm Q_l^m Im(x+iy)^m (m &gt; 0) on the
 * unit vector (x, y, z), with N_lm² = (2l+1)/(4π) (l−m)!/(l+m)! and Q_l^m the polynomial part of the associated
 * Legendre function, from the recurrences Q_m^m = (2m−1)!!, Q_{m+1}^m = (2m+1) z Q_m^m,
 * (l−m) Q_l^m = (2l−1) z Q_{l−1}^m − (l+m−1) r² Q_{l−2}^m (no Condon–Shortley phase). The gradient
 * ∇Y = (∇H(d̂) − l H(d̂) d̂)/|d| follows from the homogeneous polynomial H = r^l Y, differentiating the same
 * recurrences (Caro, PRB 100, 024112 (2019) uses the same idea). These differ from QUIP's complex Y_lm
 * ({@code SphericalYCartesian}) by a unitary transformation within each l, which leaves every power-spectrum
 * component unchanged.
 *
 * <p>Computed for a batch of directions, one per vector lane. Layout: Y_lm of direction d at
 * (l² + l + m)·stride + d, its gradient (x, y, z) at (3(l² + l + m) + k)·stride + d. One instance per thread: it
 * holds scratch.
 */
final class RealSphericalHarmonics {
    private static final VectorSpecies<Double> LANES = DoubleVector.SPECIES_PREFERRED;
    private static final int V = LANES.length();
    private final int lMax;
    private final double[] norm;
    /** Q_l^m, ∂Q/∂z and ∂Q/∂(r²) (m ≥ 0) of the current directions at (l² + l + m)·V + lane. */
    private final double[] q;
    private final double[] qz;
    private final double[] qr;
    /** Re and Im (x+iy)^m of the current directions at m·V + lane. */
    private final double[] c;
    private final double[] s;

    /** @param lMax the highest degree L ≥ 0 */
    RealSphericalHarmonics(int lMax) {
        this.lMax = lMax;
        int n = (lMax + 1) * (lMax + 1);
        norm = new double[n];
        for (int l = 0; l <= lMax; l++) {
            for (int m = 0; m <= l; m++) {
                double ratio = 1;
                for (int k = l - m + 1; k <= l + m; k++) {
                    ratio /= k;
                }
                double nlm = Math.sqrt((2 * l + 1) / (4 * Math.PI) * ratio);
                if (m > 0) {
                    nlm *= Math.sqrt(2);
                }
                norm[l * l + l + m] = nlm;
                norm[l * l + l - m] = nlm;
            }
        }
        q = new double[n * V];
        qz = new double[n * V];
        qr = new double[n * V];
        c = new double[(lMax + 1) * V];
        s = new double[(lMax + 1) * V];
    }

    /** @return {@code count} rounded up to a whole number of batches: the least valid stride */
    static int padded(int count) {
        return LANES.loopBound(count + V - 1);
    }

    /**
     * Computes Y_lm(d̂) and, if {@code grad} is not null, ∂Y_lm/∂d for directions 0 … count−1. The input arrays
     * are read, and the outputs written, up to {@link #padded padded(count)}; lanes past count hold whatever
     * directions are there (finite values, or zeros).
     *
     * @param ux x components of the unit vectors d̂
     * @param uy y components
     * @param uz z components
     * @param invR 1/|d| (1/Å), read only with gradients
     * @param count the number of directions
     * @param y output, (L+1)² rows of {@code stride}
     * @param grad output or null, 3 (L+1)² rows of {@code stride} (1/Å)
     * @param stride the row length, at least {@link #padded padded(count)}
     */
    void compute(double[] ux, double[] uy, double[] uz, double[] invR, int count, double[] y, double[] grad,
            int stride) {
        // The batch's vectors are loaded inside each helper: a vector passed to a method the JIT does not inline
        // is boxed on the Java heap, once per batch.
        for (int d = 0; d < count; d += V) {
            batch(ux, uy, uz, d, grad != null);
            for (int l = 0; l <= lMax; l++) {
                int base = l * l + l;
                for (int m = 0; m <= l; m++) {
                    DoubleVector nq = DoubleVector.fromArray(LANES, q, (base + m) * V).mul(norm[base + m]);
                    nq.mul(DoubleVector.fromArray(LANES, c, m * V)).intoArray(y, (base + m) * stride + d);
                    if (m > 0) {
                        nq.mul(DoubleVector.fromArray(LANES, s, m * V)).intoArray(y, (base - m) * stride + d);
                    }
                }
            }
            if (grad != null) {
                gradients(ux, uy, uz, invR, d, y, grad, stride);
            }
        }
    }

    /** (x+iy)^m and the Q polynomials (with their derivatives if asked) of the batch at d into the scratch. */
    private void batch(double[] ux, double[] uy, double[] uz, int d, boolean derivatives) {
        DoubleVector x = DoubleVector.fromArray(LANES, ux, d);
        DoubleVector yy = DoubleVector.fromArray(LANES, uy, d);
        DoubleVector z = DoubleVector.fromArray(LANES, uz, d);
        DoubleVector cm = DoubleVector.broadcast(LANES, 1), sm = DoubleVector.zero(LANES);
        cm.intoArray(c, 0);
        sm.intoArray(s, 0);
        for (int m = 1; m <= lMax; m++) {
            DoubleVector cn = x.mul(cm).sub(yy.mul(sm));
            sm = x.mul(sm).add(yy.mul(cm));
            cm = cn;
            cm.intoArray(c, m * V);
            sm.intoArray(s, m * V);
        }
        DoubleVector zero = DoubleVector.zero(LANES);
        double dfact = 1;
        for (int m = 0; m <= lMax; m++) {
            int mm = (m * m + 2 * m) * V;
            DoubleVector q2 = DoubleVector.broadcast(LANES, dfact), qz2 = zero, qr2 = zero;
            q2.intoArray(q, mm);
            zero.intoArray(qz, mm);
            zero.intoArray(qr, mm);
            if (m < lMax) {
                int i1 = ((m + 1) * (m + 1) + (m + 1) + m) * V;
                DoubleVector q1 = z.mul((2 * m + 1) * dfact), qz1 = DoubleVector.broadcast(LANES, (2 * m + 1) * dfact);
                DoubleVector qr1 = zero;
                q1.intoArray(q, i1);
                qz1.intoArray(qz, i1);
                zero.intoArray(qr, i1);
                for (int l = m + 2; l <= lMax; l++) {
                    double a = 2 * l - 1;
                    double b = l + m - 1;
                    double cinv = 1.0 / (l - m);
                    DoubleVector az = z.mul(a);
                    DoubleVector q0 = az.mul(q1).sub(q2.mul(b)).mul(cinv);
                    int i = (l * l + l + m) * V;
                    q0.intoArray(q, i);
                    if (derivatives) {
                        DoubleVector qz0 = q1.mul(a).add(az.mul(qz1)).sub(qz2.mul(b)).mul(cinv);
                        DoubleVector qr0 = az.mul(qr1).sub(q2.mul(b)).sub(qr2.mul(b)).mul(cinv);
                        qz0.intoArray(qz, i);
                        qr0.intoArray(qr, i);
                        qz2 = qz1;
                        qr2 = qr1;
                        qz1 = qz0;
                        qr1 = qr0;
                    }
                    q2 = q1;
                    q1 = q0;
                }
            }
            dfact *= 2 * m + 1;
        }
    }

    /**
     * ∇Y = (∇H(d̂) − l H(d̂) d̂)/|d| of one batch from H = N Q_l^m Re/Im (x+iy)^m, using the batch's scratch and
     * its values already in {@code y}.
     */
    private void gradients(double[] ux, double[] uy, double[] uz, double[] invR, int d, double[] y, double[] grad,
            int stride) {
        DoubleVector x = DoubleVector.fromArray(LANES, ux, d);
        DoubleVector yy = DoubleVector.fromArray(LANES, uy, d);
        DoubleVector z = DoubleVector.fromArray(LANES, uz, d);
        DoubleVector inv = DoubleVector.fromArray(LANES, invR, d);
        for (int l = 0; l <= lMax; l++) {
            int base = l * l + l;
            DoubleVector lx = x.mul(l), ly = yy.mul(l), lz = z.mul(l);
            for (int m = 0; m <= l; m++) {
                int at = (base + m) * V;
                double nn = norm[base + m];
                DoubleVector qq = DoubleVector.fromArray(LANES, q, at).mul(nn * m);
                DoubleVector twoQr = DoubleVector.fromArray(LANES, qr, at).mul(2 * nn);
                DoubleVector zPart = DoubleVector.fromArray(LANES, qz, at).mul(nn).add(z.mul(twoQr));
                DoubleVector rx = x.mul(twoQr), ry = yy.mul(twoQr);
                DoubleVector cm = DoubleVector.fromArray(LANES, c, m * V);
                DoubleVector cm1 = m > 0 ? DoubleVector.fromArray(LANES, c, (m - 1) * V) : DoubleVector.zero(LANES);
                DoubleVector sm1 = m > 0 ? DoubleVector.fromArray(LANES, s, (m - 1) * V) : DoubleVector.zero(LANES);
                DoubleVector h = DoubleVector.fromArray(LANES, y, (base + m) * stride + d);
                int g = 3 * (base + m) * stride + d;
                rx.mul(cm).add(qq.mul(cm1)).sub(h.mul(lx)).mul(inv).intoArray(grad, g);
                ry.mul(cm).sub(qq.mul(sm1)).sub(h.mul(ly)).mul(inv).intoArray(grad, g + stride);
                zPart.mul(cm).sub(h.mul(lz)).mul(inv).intoArray(grad, g + 2 * stride);
                if (m > 0) {
                    DoubleVector sm = DoubleVector.fromArray(LANES, s, m * V);
                    DoubleVector hs = DoubleVector.fromArray(LANES, y, (base - m) * stride + d);
                    int gs = 3 * (base - m) * stride + d;
                    rx.mul(sm).add(qq.mul(sm1)).sub(hs.mul(lx)).mul(inv).intoArray(grad, gs);
                    ry.mul(sm).add(qq.mul(cm1)).sub(hs.mul(ly)).mul(inv).intoArray(grad, gs + stride);
                    zPart.mul(sm).sub(hs.mul(lz)).mul(inv).intoArray(grad, gs + 2 * stride);
                }
            }
        }
    }
}
