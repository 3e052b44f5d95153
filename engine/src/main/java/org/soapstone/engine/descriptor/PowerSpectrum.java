package org.soapstone.engine.descriptor;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SOAP power spectrum of a {@link SphericalExpansion} (featomic's {@code SoapPowerSpectrum}; QUIP's
 * {@code soap_calc}, GAP 2023-06): p_l(a, b) = s_ab (2l+1)^{−1/2} Σ_m c_{lm,a} c_{lm,b} for channels b ≤ a, with
 * s_ab = √2 for a ≠ b and 1 on the diagonal; component index l + (l_max+1)·(a(a+1)/2 + b), l fastest, then b,
 * then a.
 * The vector x = p/|p| ({@code normalise=T}, or x = p) is followed by one component {@code covariance_sigma0},
 * outside the norm, with zero gradient. Two operations on one centre's expansion: {@link #values}, x, and
 * {@link #gradients}, ∂x/∂r_j for every neighbour and the centre. Every vector lane computes its own result with
 * lane-wise {@code mul}, {@code add} and {@code fma}, and the one sum across channels runs in channel order, so the
 * results are the same bit for bit in any JVM and at any vector width. Immutable and thread-safe; a {@link Scratch}
 * per thread.
 */
final class PowerSpectrum implements SoapSpectrum {
    private static final double SQRT2 = Math.sqrt(2);
    private static final VectorSpecies<Double> LANES = DoubleVector.SPECIES_PREFERRED;
    private static final int V = LANES.length();
    /** 0, 1, …, V−1. */
    private static final DoubleVector IOTA = DoubleVector.zero(LANES).addIndex(1);
    private final SoapParameters.Spectrum options;
    private final int lMax;
    private final int channels;
    private final int kp;
    private final int lm;
    private final int dimension;
    private final double[] invSqrt2lp1;
    /**
     * The factor of the gradient of component (a, b, l) that is not in its formula: 1 off the diagonal, 1/√2 on
     * it; the components of channel a's block (b ≤ a, l fastest) read it from index (K − a)(l_max+1).
     */
    private final double[] diagonalWeight;
    /** k·(l_max+1) for k = 0 … V−1: where the lanes of a channel vector go in the l-fastest layouts. */
    private final int[] channelRows = new int[V];

    /**
     * @param p the validated SOAP parameters (basis, species count and spectrum options are read)
     * @param expansion the expansion it reads
     */
    PowerSpectrum(SoapParameters p, SphericalExpansion expansion) {
        options = p.spectrum();
        lMax = p.basis().lMax();
        channels = expansion.channels();
        kp = expansion.stride();
        lm = (lMax + 1) * (lMax + 1);
        dimension = p.dimension();
        invSqrt2lp1 = new double[lMax + 1];
        for (int l = 0; l <= lMax; l++) {
            invSqrt2lp1[l] = 1 / Math.sqrt(2 * l + 1);
        }
        int stride = lMax + 1;
        for (int k = 0; k < V; k++) {
            channelRows[k] = k * stride;
        }
        diagonalWeight = new double[(channels + 1) * stride + V];
        Arrays.fill(diagonalWeight, 0, channels * stride, 1);
        Arrays.fill(diagonalWeight, channels * stride, (channels + 1) * stride, 1 / SQRT2);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Evaluation newEvaluation() {
        Values v = new Values();
        Scratch w = new Scratch();
        return new Evaluation() {
            @Override
            public void values(SphericalExpansion.Neighbourhood n, double[] out, int offset) {
                PowerSpectrum.this.values(n, v, out, offset);
            }

            @Override
            public void gradients(SphericalExpansion.Neighbourhood n, double[] grad, int row0) {
                PowerSpectrum.this.gradients(n, v, w, grad, row0);
            }

            @Override
            public double norm() {
                return v.norm;
            }

            @Override
            public void coefficientGradient(double[] coeff, int coeffOffset, double[] x, int xOffset, double norm,
                    double[] dEpsilon, int offset, double[] dc) {
                SoapSpectrum.normalisationGradient(x, xOffset, norm, options.normalise(), dEpsilon, offset,
                        w.adjoint, dimension - 1);
                weightedCoefficients(coeff, coeffOffset, w.adjoint, w.matrix, dc);
            }
        };
    }

    /** One centre's raw power spectrum p (without σ0) and |p|, which the gradients need. */
    final class Values {
        /** p, padded for whole-vector loads. */
        final double[] power = new double[dimension - 1 + V * (lMax + 1)];
        /** p_l(a, b) at (l·K + a)·kp + b, as {@link #power} forms it. */
        final double[] byChannel = new double[(lMax + 1) * channels * kp];
        /** |p|. */
        double norm;
    }

    /** Per-thread scratch; the per-neighbour arrays read by whole vectors in {@link #gradients} are padded by V. */
    final class Scratch {
        /** q_{lm,a} (see {@link #weightedCoefficients}) at lm·kp + a. */
        final double[] q = new double[lm * kp];
        /** ∂ε/∂p in the layout of p ({@link #coefficientGradient}). */
        final double[] adjoint = new double[dimension - 1];
        /** the matrix of one l in {@link #weightedCoefficients}, column b at b·kp. */
        final double[] matrix = new double[channels * kp];
        /** For one neighbour, at V + k·(l_max+1) + l: Σ_m c Y_lm, Σ_m c ∂Y_lm/∂r_j (x, y, z), and g_nl and g'_nl
         *  times √2 (2l+1)^{−1/2}/|p| (zero outside the neighbour's species). */
        final double[] cy = new double[kp * (lMax + 1) + 2 * V];
        final double[] cdx = new double[kp * (lMax + 1) + 2 * V];
        final double[] cdy = new double[kp * (lMax + 1) + 2 * V];
        final double[] cdz = new double[kp * (lMax + 1) + 2 * V];
        final double[] rv = new double[kp * (lMax + 1) + 2 * V];
        final double[] dv = new double[kp * (lMax + 1) + 2 * V];
        /** For one neighbour: the parts of p·∂p/∂r_j divided by |p| (see {@link #projections}). */
        double fr, fdx, fdy, fdz;
        /** For one neighbour, per channel: the terms of fr, fdx, fdy, fdz summed over l, at k, kp + k, 2kp + k,
         *  3kp + k. */
        final double[] channelParts = new double[4 * kp];
    }

    /**
     * The vector x of the expansion (normalised if asked, then σ0) into {@code out} from {@code offset}; the raw
     * p and |p| go to {@code v} for {@link #gradients}.
     */
    private void values(SphericalExpansion.Neighbourhood n, Values v, double[] out, int offset) {
        power(n, v);
        double[] pw = v.power;
        int d = dimension - 1;
        if (options.normalise()) {
            for (int k = 0; k < d; k++) {
                out[offset + k] = pw[k] / v.norm;
            }
        } else {
            System.arraycopy(pw, 0, out, offset, d);
        }
        out[offset + d] = options.covarianceSigma0();
    }

    /**
     * The raw power spectrum p of the expansion and |p| into {@code v}: p_l(a, ·) a vector of channels b at a time,
     * four channels a together (four independent fma chains over m, each lane's in order of m), stored channel-fastest
     * and then copied to the l-fastest layout of p.
     */
    private void power(SphericalExpansion.Neighbourhood n, Values v) {
        double[] c = n.coeff;
        double[] pw = v.power;
        double[] byChannel = v.byChannel;
        int last = channels - 1;
        for (int l = 0; l <= lMax; l++) {
            int m0 = l * l, m1 = (l + 1) * (l + 1);
            double t = invSqrt2lp1[l];
            DoubleVector offDiagonal = DoubleVector.broadcast(LANES, SQRT2 * t);
            for (int a = 0; a < channels; a += 4) {
                // past the last channel, the clamped chains repeat it: stored again, the same values
                int a1 = Math.min(a + 1, last), a2 = Math.min(a + 2, last), a3 = Math.min(a + 3, last);
                for (int b = 0; b <= a3; b += V) {
                    DoubleVector s0 = DoubleVector.zero(LANES), s1 = s0, s2 = s0, s3 = s0;
                    for (int m = m0; m < m1; m++) {
                        int row = m * kp;
                        DoubleVector cb = DoubleVector.fromArray(LANES, c, row + b);
                        s0 = cb.fma(DoubleVector.broadcast(LANES, c[row + a]), s0);
                        s1 = cb.fma(DoubleVector.broadcast(LANES, c[row + a1]), s1);
                        s2 = cb.fma(DoubleVector.broadcast(LANES, c[row + a2]), s2);
                        s3 = cb.fma(DoubleVector.broadcast(LANES, c[row + a3]), s3);
                    }
                    int to = (l * channels + a) * kp + b;
                    s0.mul(offDiagonal.blend(t, IOTA.compare(VectorOperators.EQ, a - b))).intoArray(byChannel, to);
                    s1.mul(offDiagonal.blend(t, IOTA.compare(VectorOperators.EQ, a1 - b)))
                            .intoArray(byChannel, to + (a1 - a) * kp);
                    s2.mul(offDiagonal.blend(t, IOTA.compare(VectorOperators.EQ, a2 - b)))
                            .intoArray(byChannel, to + (a2 - a) * kp);
                    s3.mul(offDiagonal.blend(t, IOTA.compare(VectorOperators.EQ, a3 - b)))
                            .intoArray(byChannel, to + (a3 - a) * kp);
                }
            }
        }
        int stride = lMax + 1;
        for (int a = 0, at = 0; a < channels; a++) {
            for (int b = 0; b <= a; b++) {
                for (int l = 0; l <= lMax; l++) {
                    pw[at++] = byChannel[(l * channels + a) * kp + b];
                }
            }
        }
        v.norm = Math.sqrt(SoapSpectrum.dot(pw, 0, pw, 0, dimension - 1));
    }

    /**
     * ∂x/∂r of the vector {@link #values} gave, with respect to every neighbour and the centre,
     * written in one pass in output order: the centre's three rows (x, y, z; D each) at {@code row0}, then each
     * neighbour's. With D_{lm,k}(j) = ∂c_{lm,k}/∂r_j = g'_nl Y_lm r̂ + g_nl ∇Y_lm (the expansion's factored
     * derivative), the sum over m in ∂p_l(a, b) = Σ_m (D_{lm,a} c_{lm,b} + c_{lm,a} D_{lm,b}) factorises into
     * Σ_m c_{lm,b} Y_lm and Σ_m c_{lm,b} ∇Y_lm, computed once per (neighbour, channel, l) ({@link #projections}),
     * with √2 (2l+1)^{−1/2}/|p| folded into the radial factors. The normalisation g/|p| − p (p·g)/|p|³ needs
     * p·g before the first component is written: it is Σ_{lm,a} D_{lm,a} q_{lm,a} with q formed once per centre
     * ({@link #weightedCoefficients}), one more set of short dot products per neighbour. Channel a's components
     * (b ≤ a, l fastest) are contiguous in the output: they are formed a vector at a time, reading the b-indexed
     * factors as they lie and the a-indexed ones as windows that wrap around channel a's l_max+1 values. The
     * centre's rows are minus the sum of the neighbours'.
     *
     * @param n the expansion, computed with derivatives
     * @param v its power spectrum
     * @param w scratch
     * @param grad where the rows go
     * @param row0 the index of the centre's first row
     */
    private void gradients(SphericalExpansion.Neighbourhood n, Values v, Scratch w, double[] grad, int row0) {
        double[] pw = v.power;
        double[] cy = w.cy, cdx = w.cdx, cdy = w.cdy, cdz = w.cdz, rv = w.rv, dv = w.dv;
        double[] diag = diagonalWeight;
        int count = n.count;
        int d = dimension - 1;
        int stride = lMax + 1;
        boolean normalise = options.normalise();
        double inv = normalise ? 1 / v.norm : 1;
        double inv2 = normalise ? inv * inv : 0;
        weightedCoefficients(n.coeff, 0, v.power, w.matrix, w.q);
        for (int nb = 0; nb < count; nb++) {
            projections(n, w, nb, inv);
            double ux = n.ux[nb], uy = n.uy[nb], uz = n.uz[nb];
            DoubleVector fx = DoubleVector.broadcast(LANES, -(ux * w.fr + w.fdx) * inv2);
            DoubleVector fy = DoubleVector.broadcast(LANES, -(uy * w.fr + w.fdy) * inv2);
            DoubleVector fz = DoubleVector.broadcast(LANES, -(uz * w.fr + w.fdz) * inv2);
            int rowx = row0 + 3 * (1 + nb) * dimension, rowy = rowx + dimension, rowz = rowy + dimension;
            int o = 0;
            for (int a = 0; a < channels; a++) {
                int len = (a + 1) * stride;
                int row = V + a * stride;
                int dw = (channels - a) * stride;
                int s = 0;
                for (int j = 0; j < len; j += V) {
                    DoubleVector dva = DoubleVector.fromArray(LANES, dv, row + s);
                    DoubleVector cya = DoubleVector.fromArray(LANES, cy, row + s);
                    DoubleVector rva = DoubleVector.fromArray(LANES, rv, row + s);
                    DoubleVector cxa = DoubleVector.fromArray(LANES, cdx, row + s);
                    DoubleVector cyya = DoubleVector.fromArray(LANES, cdy, row + s);
                    DoubleVector cza = DoubleVector.fromArray(LANES, cdz, row + s);
                    for (int k = stride - s; k < V; k += stride) {
                        VectorMask<Double> wrapped = IOTA.compare(VectorOperators.GE, k);
                        dva = dva.blend(DoubleVector.fromArray(LANES, dv, row - k), wrapped);
                        cya = cya.blend(DoubleVector.fromArray(LANES, cy, row - k), wrapped);
                        rva = rva.blend(DoubleVector.fromArray(LANES, rv, row - k), wrapped);
                        cxa = cxa.blend(DoubleVector.fromArray(LANES, cdx, row - k), wrapped);
                        cyya = cyya.blend(DoubleVector.fromArray(LANES, cdy, row - k), wrapped);
                        cza = cza.blend(DoubleVector.fromArray(LANES, cdz, row - k), wrapped);
                    }
                    int b = V + j;
                    DoubleVector dvb = DoubleVector.fromArray(LANES, dv, b);
                    DoubleVector rvb = DoubleVector.fromArray(LANES, rv, b);
                    DoubleVector u = dvb.fma(cya, dva.mul(DoubleVector.fromArray(LANES, cy, b)));
                    DoubleVector weight = DoubleVector.fromArray(LANES, diag, dw + j);
                    DoubleVector p = DoubleVector.fromArray(LANES, pw, o + j);
                    VectorMask<Double> inside = LANES.indexInRange(j, len);
                    DoubleVector vx = rvb.fma(cxa, rva.fma(DoubleVector.fromArray(LANES, cdx, b), u.mul(ux)))
                            .fma(weight, p.mul(fx));
                    DoubleVector vy = rvb.fma(cyya, rva.fma(DoubleVector.fromArray(LANES, cdy, b), u.mul(uy)))
                            .fma(weight, p.mul(fy));
                    DoubleVector vz = rvb.fma(cza, rva.fma(DoubleVector.fromArray(LANES, cdz, b), u.mul(uz)))
                            .fma(weight, p.mul(fz));
                    vx.intoArray(grad, rowx + o + j, inside);
                    vy.intoArray(grad, rowy + o + j, inside);
                    vz.intoArray(grad, rowz + o + j, inside);
                    s = (s + V) % stride;
                }
                o += len;
            }
            grad[rowx + d] = 0;
            grad[rowy + d] = 0;
            grad[rowz + d] = 0;
        }
        for (int row = row0; row < row0 + 3 * dimension; row += dimension) {
            for (int q = 0; q < d; q += V) {
                VectorMask<Double> inside = LANES.indexInRange(q, d);
                DoubleVector sum = DoubleVector.zero(LANES);
                for (int nb = 1; nb <= count; nb++) {
                    sum = sum.add(DoubleVector.fromArray(LANES, grad, row + 3 * nb * dimension + q, inside));
                }
                sum.neg().intoArray(grad, row + q, inside);
            }
            grad[row + d] = 0;
        }
    }

    /**
     * q_{lm,a} = √2 (2l+1)^{−1/2} Σ_b M_l(a, b) c_{lm,b}, with M_l(a, b) = u_l(max(a, b), min(a, b)) off the
     * diagonal and √2 u_l(a, a) on it, for u in the layout of the power spectrum: with u = p the raw power spectrum,
     * p·∂p/∂r_j = Σ_{lm,a} D_{lm,a}(j) q_{lm,a} for every neighbour j (D as in {@link #gradients}, unscaled); with
     * u = ∂ε/∂p (the reverse mode, after {@link SoapSpectrum#normalisationGradient}), q = ∂ε/∂c, O(K²(l_max+1)²)
     * per centre whatever its number of neighbours. Each lane sums its channel over b in order.
     *
     * @param c the coefficients c_{lm,b} at c0 + lm·kp + b
     * @param u the weights, l + (l_max+1)·(a(a+1)/2 + b)
     * @param mat scratch, K·kp
     * @param q where q goes, at lm·kp + a
     */
    private void weightedCoefficients(double[] c, int c0, double[] u, double[] mat, double[] q) {
        int stride = lMax + 1;
        for (int l = 0; l <= lMax; l++) {
            double t = SQRT2 * invSqrt2lp1[l];
            for (int a = 0; a < channels; a++) {
                for (int b = 0; b <= a; b++) {
                    double p = t * u[l + stride * (a * (a + 1) / 2 + b)];
                    mat[b * kp + a] = a == b ? SQRT2 * p : p;
                    mat[a * kp + b] = mat[b * kp + a];
                }
            }
            int end = (l + 1) * (l + 1);
            for (int m = l * l; m < end; m += 4) {
                // four m at a time, four independent chains; past the last m of l the clamped chains repeat it
                int m1 = Math.min(m + 1, end - 1), m2 = Math.min(m + 2, end - 1), m3 = Math.min(m + 3, end - 1);
                for (int k = 0; k < kp; k += V) {
                    DoubleVector q0 = DoubleVector.zero(LANES), q1 = q0, q2 = q0, q3 = q0;
                    for (int b = 0; b < channels; b++) {
                        DoubleVector column = DoubleVector.fromArray(LANES, mat, b * kp + k);
                        q0 = column.fma(DoubleVector.broadcast(LANES, c[c0 + m * kp + b]), q0);
                        q1 = column.fma(DoubleVector.broadcast(LANES, c[c0 + m1 * kp + b]), q1);
                        q2 = column.fma(DoubleVector.broadcast(LANES, c[c0 + m2 * kp + b]), q2);
                        q3 = column.fma(DoubleVector.broadcast(LANES, c[c0 + m3 * kp + b]), q3);
                    }
                    q3.intoArray(q, m3 * kp + k);
                    q2.intoArray(q, m2 * kp + k);
                    q1.intoArray(q, m1 * kp + k);
                    q0.intoArray(q, m * kp + k);
                }
            }
        }
    }

    /**
     * For neighbour nb: Σ_m c_{lm,b} Y_lm and Σ_m c_{lm,b} ∇Y_lm at V + b·(l_max+1) + l for every channel b; the
     * radial factors g_nl and g'_nl times √2 (2l+1)^{−1/2} · {@code inv} at the same places (zero outside the
     * neighbour's species); and, times {@code inv}, the two parts of p·∂p/∂r_j = r̂ fr + fd:
     * fr = Σ_{lm,a} g'_nl Y_lm q_{lm,a} and fd = Σ_{lm,a} g_nl ∇Y_lm q_{lm,a}.
     */
    private void projections(SphericalExpansion.Neighbourhood n, Scratch w, int nb, double inv) {
        double[] coeff = n.coeff, q = w.q, ylm = n.ylm, dylm = n.dylm, rad = n.rad, drad = n.drad;
        double[] cy = w.cy, cdx = w.cdx, cdy = w.cdy, cdz = w.cdz, rv = w.rv, dv = w.dv;
        int stride = lMax + 1;
        int ys = n.ys;
        int ro = nb * (lMax + 1) * kp;
        double[] parts = w.channelParts;
        for (int k = 0; k < kp; k += V) {
            DoubleVector fr = DoubleVector.zero(LANES), fdx = fr, fdy = fr, fdz = fr;
            for (int l = 0; l <= lMax; l++) {
                DoubleVector ay = DoubleVector.zero(LANES), ax = ay, ayy = ay, az = ay;
                DoubleVector qy = ay, qx = ay, qyy = ay, qz = ay;
                for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                    DoubleVector c = DoubleVector.fromArray(LANES, coeff, m * kp + k);
                    DoubleVector cq = DoubleVector.fromArray(LANES, q, m * kp + k);
                    DoubleVector y = DoubleVector.broadcast(LANES, ylm[m * ys + nb]);
                    DoubleVector gx = DoubleVector.broadcast(LANES, dylm[3 * m * ys + nb]);
                    DoubleVector gy = DoubleVector.broadcast(LANES, dylm[(3 * m + 1) * ys + nb]);
                    DoubleVector gz = DoubleVector.broadcast(LANES, dylm[(3 * m + 2) * ys + nb]);
                    ay = c.fma(y, ay);
                    ax = c.fma(gx, ax);
                    ayy = c.fma(gy, ayy);
                    az = c.fma(gz, az);
                    qy = cq.fma(y, qy);
                    qx = cq.fma(gx, qx);
                    qyy = cq.fma(gy, qyy);
                    qz = cq.fma(gz, qz);
                }
                int to = V + k * stride + l;
                ay.intoArray(cy, to, channelRows, 0);
                ax.intoArray(cdx, to, channelRows, 0);
                ayy.intoArray(cdy, to, channelRows, 0);
                az.intoArray(cdz, to, channelRows, 0);
                DoubleVector r = DoubleVector.fromArray(LANES, rad, ro + l * kp + k);
                DoubleVector d = DoubleVector.fromArray(LANES, drad, ro + l * kp + k);
                fr = d.fma(qy, fr);
                fdx = r.fma(qx, fdx);
                fdy = r.fma(qyy, fdy);
                fdz = r.fma(qz, fdz);
                double scale = SQRT2 * invSqrt2lp1[l] * inv;
                r.mul(scale).intoArray(rv, to, channelRows, 0);
                d.mul(scale).intoArray(dv, to, channelRows, 0);
            }
            fr.intoArray(parts, k);
            fdx.intoArray(parts, kp + k);
            fdy.intoArray(parts, 2 * kp + k);
            fdz.intoArray(parts, 3 * kp + k);
        }
        // the channels' terms summed in channel order: the same sums whatever the vector width or the JIT
        double sr = 0, sx = 0, sy = 0, sz = 0;
        for (int a = 0; a < channels; a++) {
            sr += parts[a];
            sx += parts[kp + a];
            sy += parts[2 * kp + a];
            sz += parts[3 * kp + a];
        }
        w.fr = sr * inv;
        w.fdx = sx * inv;
        w.fdy = sy * inv;
        w.fdz = sz * inv;
    }
}
