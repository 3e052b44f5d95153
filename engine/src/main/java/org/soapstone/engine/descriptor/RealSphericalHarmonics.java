package org.soapstone.engine.descriptor;

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
 * <p>Layout: index l² + l + m; gradients 3 per index (x, y, z). One instance per thread: it holds scratch.
 */
final class RealSphericalHarmonics {
    private final int lMax;
    private final double[] norm;
    private final double[] q;
    private final double[] qz;
    private final double[] qr;
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
        q = new double[n];
        qz = new double[n];
        qr = new double[n];
        c = new double[lMax + 1];
        s = new double[lMax + 1];
    }

    /** @return the number of (l, m) pairs, (L+1)² */
    int size() {
        return norm.length;
    }

    /**
     * Computes Y_lm(d̂) and, if {@code grad} is not null, ∂Y_lm/∂d.
     *
     * @param dx x component of d (Å)
     * @param dy y component of d (Å)
     * @param dz z component of d (Å)
     * @param y output, (L+1)² values from {@code yo}
     * @param yo offset of Y_00 in {@code y}
     * @param grad output or null, 3 (L+1)² values (1/Å) from {@code go}
     * @param go offset of ∂Y_00/∂x in {@code grad}
     */
    void compute(double dx, double dy, double dz, double[] y, int yo, double[] grad, int go) {
        double r = Math.sqrt(dx * dx + dy * dy + dz * dz);
        double inv = 1 / r;
        double x = dx * inv, yy = dy * inv, z = dz * inv;
        c[0] = 1;
        s[0] = 0;
        for (int m = 1; m <= lMax; m++) {
            c[m] = x * c[m - 1] - yy * s[m - 1];
            s[m] = x * s[m - 1] + yy * c[m - 1];
        }
        // Q_l^m, ∂Q/∂z and ∂Q/∂(r²) for m ≥ 0 at index l² + l + m
        double dfact = 1;
        for (int m = 0; m <= lMax; m++) {
            int mm = m * m + 2 * m;
            q[mm] = dfact;
            qz[mm] = 0;
            qr[mm] = 0;
            if (m < lMax) {
                int i1 = (m + 1) * (m + 1) + (m + 1) + m;
                q[i1] = (2 * m + 1) * z * dfact;
                qz[i1] = (2 * m + 1) * dfact;
                qr[i1] = 0;
            }
            for (int l = m + 2; l <= lMax; l++) {
                int i = l * l + l + m;
                int i1 = (l - 1) * (l - 1) + (l - 1) + m;
                int i2 = (l - 2) * (l - 2) + (l - 2) + m;
                double a = 2 * l - 1;
                double b = l + m - 1;
                double cinv = 1.0 / (l - m);
                q[i] = (a * z * q[i1] - b * q[i2]) * cinv;
                if (grad != null) {
                    qz[i] = (a * q[i1] + a * z * qz[i1] - b * qz[i2]) * cinv;
                    qr[i] = (a * z * qr[i1] - b * q[i2] - b * qr[i2]) * cinv;
                }
            }
            dfact *= 2 * m + 1;
        }
        for (int l = 0; l <= lMax; l++) {
            int base = l * l + l;
            y[yo + base] = norm[base] * q[base];
            for (int m = 1; m <= l; m++) {
                double nq = norm[base + m] * q[base + m];
                y[yo + base + m] = nq * c[m];
                y[yo + base - m] = nq * s[m];
            }
        }
        if (grad == null) {
            return;
        }
        for (int l = 0; l <= lMax; l++) {
            int base = l * l + l;
            for (int m = 0; m <= l; m++) {
                double nn = norm[base + m];
                double qq = q[base + m];
                double qzz = qz[base + m];
                double qrr = qr[base + m];
                double cm1 = m > 0 ? c[m - 1] : 0;
                double sm1 = m > 0 ? s[m - 1] : 0;
                // H = N Q C_m: gradient on the unit vector
                double hx = nn * (2 * x * qrr * c[m] + qq * m * cm1);
                double hy = nn * (2 * yy * qrr * c[m] - qq * m * sm1);
                double hz = nn * (qzz + 2 * z * qrr) * c[m];
                double h = y[yo + base + m];
                int g = 3 * (base + m);
                grad[go + g] = (hx - l * h * x) * inv;
                grad[go + g + 1] = (hy - l * h * yy) * inv;
                grad[go + g + 2] = (hz - l * h * z) * inv;
                if (m > 0) {
                    double sx = nn * (2 * x * qrr * s[m] + qq * m * sm1);
                    double sy = nn * (2 * yy * qrr * s[m] + qq * m * cm1);
                    double sz = nn * (qzz + 2 * z * qrr) * s[m];
                    double hs = y[yo + base - m];
                    int gs = 3 * (base - m);
                    grad[go + gs] = (sx - l * hs * x) * inv;
                    grad[go + gs + 1] = (sy - l * hs * yy) * inv;
                    grad[go + gs + 2] = (sz - l * hs * z) * inv;
                }
            }
        }
    }
}
