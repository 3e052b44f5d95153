package org.soapstone.engine.descriptor;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.soapstone.engine.calculator.ForceTally;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;

/**
 * The spherical expansion of a centre atom's neighbour density (featomic's {@code SphericalExpansion}, the
 * {@code fourier_so3} coefficients of QUIP's {@code soap_calc}; Bartók, Kondor &amp; Csányi, PRB 87, 184115 (2013),
 * Eq. 29): the coefficients of the density of species channel s around centre i,
 * <pre>  c_{lm,k} = Σ_j g_nl(r_ij) Y_lm(r̂_ij) + w R_n0(0) Y_00 δ_l0,   k = s·n_max + n,   g_nl = f·R_nl,</pre>
 * over the neighbours j of that species with r_ij &lt; r_c, f the smooth cutoff of
 * {@link SoapParameters.Cutoff}, R_nl the radial functions of {@link SoapRadialBasis} (tabulated,
 * {@link RadialSpline}), Y_lm the real spherical harmonics of {@link RealSphericalHarmonics}; the centre's own
 * Gaussian (weight w = {@code central_weight}, not cut off) goes into the channel of its species, or into every
 * channel with {@code central_reference_all_species}. Each coefficient's derivative with respect to neighbour j's
 * position, in factored form:
 * <pre>  ∂c_{lm,k}/∂r_j = g'_nl(r) Y_lm(r̂) r̂ + g_nl(r) ∇Y_lm(r̂)</pre>
 * (zero outside j's species channel; the centre's is minus the sum over its neighbours), whose factors the power
 * spectrum's forward gradients read; the reverse mode ({@link #tallyGradients}) needs g, g' and Y_lm only.
 *
 * <p>Layout of a {@link Neighbourhood} (all channel-indexed arrays have the stride {@link #stride()}, the channel
 * count rounded up to whole vectors, whose padding lanes stay zero): c_{lm,k} at lm·stride + k; per neighbour nb
 * (in neighbour-list order, those within r_c): g_nl and g'_nl at nb·(l_max+1)·stride + l·stride + k (zero outside
 * its species), r̂ and 1/r at nb, Y_lm at lm·ys + nb and, when asked for, ∂Y_lm/∂r_j (x, y, z) at
 * (3 lm + α)·ys + nb. Immutable and thread-safe; a {@link Neighbourhood} holds one centre's results, and the
 * neighbourhoods of one thread may share their scratch. A neighbour whose species is not a channel is an error (QUIP
 * leaves it out silently).
 */
final class SphericalExpansion {
    private static final VectorSpecies<Double> LANES = DoubleVector.SPECIES_PREFERRED;
    private static final int V = LANES.length();
    private final SoapParameters.Cutoff cutoff;
    private final SoapParameters.Density density;
    private final int[] speciesZ;
    private final SoapRadialBasis basis;
    private final RadialSpline radialSpline;
    private final CosineCutoff cosineCutoff;
    private final SolidHarmonicGradients solidGradients;
    private final int nMax;
    private final int lMax;
    private final int channels;
    private final int kp;
    private final int lm;
    /** species channel of each atomic number, −1 if absent. */
    private final int[] channelOf = new int[119];
    private final double decayNorm;

    /** @param p the validated SOAP parameters (cutoff, density, basis and species channels are read) */
    SphericalExpansion(SoapParameters p) {
        cutoff = p.cutoffFunction();
        density = p.density();
        nMax = p.basis().nMax();
        lMax = p.basis().lMax();
        speciesZ = p.species().channels();
        channels = nMax * speciesZ.length;
        kp = LANES.loopBound(channels + V - 1);
        lm = (lMax + 1) * (lMax + 1);
        double sigma = density.atomSigma();
        basis = new SoapRadialBasis(p.basis().radialBasis(), nMax, lMax, cutoff.radius(), sigma,
                p.basis().errorExponent());
        radialSpline = new RadialSpline(basis, (lMax + 1) * nMax, cutoff.radius(),
                RadialSpline.spacing(p.basis().radialBasis(), sigma));
        cosineCutoff = new CosineCutoff(cutoff.radius(), cutoff.transitionWidth());
        solidGradients = new SolidHarmonicGradients(lMax);
        Arrays.fill(channelOf, -1);
        if (speciesZ.length == 1 && speciesZ[0] == 0) {
            Arrays.fill(channelOf, 0);
        } else {
            for (int s = 0; s < speciesZ.length; s++) {
                channelOf[speciesZ[s]] = s;
            }
        }
        decayNorm = cutoff.decayExponent() > 0 && cutoff.decayRate() != 0
                ? cutoff.decayRate() / (1 + cutoff.decayRate()) : 1;
    }

    /** @return K = n_max·n_species, the number of channels */
    int channels() {
        return channels;
    }

    /** @return the stride of the channel-indexed arrays: K rounded up to whole vectors */
    int stride() {
        return kp;
    }

    /** @return a new per-thread result with its own scratch */
    Neighbourhood newNeighbourhood() {
        return new Neighbourhood(new Scratch());
    }

    /**
     * @param sharing an expansion of the same thread
     * @return a new result that shares {@code sharing}'s scratch (only one of them may be computed at a time)
     */
    Neighbourhood newNeighbourhood(Neighbourhood sharing) {
        return new Neighbourhood(sharing.scratch);
    }

    /** The working arrays of one expansion or reverse pass at a time, which its results need not keep. */
    private final class Scratch {
        final RealSphericalHarmonics harmonics = new RealSphericalHarmonics(lMax);
        final double[] radial = new double[radialSpline.outputLength()];
        final double[] dradial = new double[radialSpline.outputLength()];
        final double[] radialWork = new double[basis.workSize()];
        /** For two neighbours in {@link #tallyGradients}: per channel, the radial and the x, y, z parts of ∂ε/∂r_j,
         *  the first's at k, kp + k, 2kp + k, 3kp + k, the second's from 4kp. */
        final double[] channelParts = new double[8 * kp];
        /** E^α of {@link #tallyGradients}, at (α·l_max² + j')·stride + k. */
        final double[] lowered = new double[3 * lMax * lMax * kp];
    }

    /** One centre's expansion: the coefficients, the neighbours within the cutoff and their factors (class doc). */
    final class Neighbourhood {
        private final Scratch scratch;
        /** c_{lm,k} at lm·kp + k. */
        final double[] coeff = new double[lm * kp];
        /** The centre, and the number of neighbours within the cutoff. */
        int centre;
        int count;
        /** Per neighbour: its atom, the vector r_j − r_i (Å) to the image seen, its first species channel. */
        int[] atom = new int[0];
        int[] firstChannel = new int[0];
        double[] dx = new double[0];
        double[] dy = new double[0];
        double[] dz = new double[0];
        double[] rad = new double[0];
        double[] drad = new double[0];
        double[] ux = new double[0];
        double[] uy = new double[0];
        double[] uz = new double[0];
        double[] invR = new double[0];
        double[] ylm = new double[0];
        double[] dylm = new double[0];
        int ys;
        private int capacity;

        private Neighbourhood(Scratch scratch) {
            this.scratch = scratch;
        }

        /** Makes room for {@code neighbours} neighbours' data, with room for ∇Y_lm if {@code harmonicGradients}. */
        private void ensure(int neighbours, boolean harmonicGradients) {
            if (capacity < neighbours) {
                int cap = Math.max(neighbours, 2 * capacity);
                capacity = cap;
                ys = RealSphericalHarmonics.padded(cap);
                atom = new int[cap];
                firstChannel = new int[cap];
                dx = new double[cap];
                dy = new double[cap];
                dz = new double[cap];
                rad = new double[cap * (lMax + 1) * kp];
                drad = new double[cap * (lMax + 1) * kp];
                ux = new double[ys];
                uy = new double[ys];
                uz = new double[ys];
                invR = new double[ys];
                ylm = new double[lm * ys];
                dylm = new double[0];
            }
            if (harmonicGradients && dylm.length < 3 * lm * ys) {
                dylm = new double[3 * lm * ys];
            }
        }
    }

    /**
     * Expands the density around atom {@code centre}: the coefficients and, per neighbour within the cutoff, the
     * factors of their derivatives — g_nl, g'_nl and Y_lm, which the reverse mode ({@link #tallyGradients}) reads,
     * and ∇Y_lm if {@code harmonicGradients} (the forward derivatives).
     *
     * @param structure the atoms
     * @param nl a full neighbour list of the structure with cutoff ≥ r_c
     * @param centre the centre atom
     * @param harmonicGradients whether to compute ∇Y_lm
     * @param n where the results go
     * @throws IllegalArgumentException if a neighbour's species is not a channel
     */
    void expand(Structure structure, NeighbourList nl, int centre, boolean harmonicGradients, Neighbourhood n) {
        int[] z = structure.numbers();
        double rc = cutoff.radius();
        int p0 = nl.first[centre], p1 = nl.first[centre + 1];
        int inside = 0;
        for (int p = p0; p < p1; p++) {
            if (nl.distance[p] < rc) {
                inside++;
            }
        }
        n.ensure(Math.max(inside, 1), harmonicGradients);
        n.centre = centre;
        n.count = inside;
        double[] coeff = n.coeff;
        Arrays.fill(coeff, 0);
        for (int q = 0; q < nMax; q++) {
            double central = basis.centralCoefficient(q);
            if (central == 0) {
                continue;
            }
            central = density.centralWeight() * central * Math.sqrt(1 / (4 * Math.PI));
            for (int s = 0; s < speciesZ.length; s++) {
                int zs = speciesZ[s];
                if (density.centralReferenceAllSpecies() || zs == z[centre] || zs == 0) {
                    coeff[s * nMax + q] += central;
                }
            }
        }
        double[] radial = n.scratch.radial, dradial = n.scratch.dradial, rad = n.rad, drad = n.drad;
        int nrp = (lMax + 1) * kp;
        int nb = 0;
        for (int p = p0; p < p1; p++) {
            double r = nl.distance[p];
            if (r >= rc) {
                continue;
            }
            int j = nl.neighbour[p];
            int s = channelOf[z[j]];
            if (s < 0) {
                throw new IllegalArgumentException("atom " + j + " (" + Element.of(z[j]).symbol() + ", Z=" + z[j]
                        + "), a neighbour of atom " + centre + ", is not in species_Z="
                        + SoapParameters.braces(speciesZ) + " of the SOAP descriptor");
            }
            double vx = nl.vector[3 * p], vy = nl.vector[3 * p + 1], vz = nl.vector[3 * p + 2];
            double fc = cosineCutoff.value(r);
            double dfc = cosineCutoff.derivative(r);
            if (cutoff.decayExponent() > 0) {
                double rate = cutoff.decayRate();
                double t = Math.pow(r / cutoff.decayScale(), cutoff.decayExponent());
                double decay = decayNorm * (1 + rate) / (rate + t);
                double ddecay = -decayNorm * cutoff.decayExponent() * (1 + rate) * t / (r * (rate + t) * (rate + t));
                dfc = dfc * decay + fc * ddecay;
                fc *= decay;
            }
            double inv = 1 / r;
            n.atom[nb] = j;
            n.dx[nb] = vx;
            n.dy[nb] = vy;
            n.dz[nb] = vz;
            n.ux[nb] = vx * inv;
            n.uy[nb] = vy * inv;
            n.uz[nb] = vz * inv;
            n.invR[nb] = inv;
            int ro = nb * nrp;
            int cs = s * nMax;
            n.firstChannel[nb] = cs;
            if (kp == nMax && radialSpline.tabulated(r)) {
                // one species, whole vectors: the table's layout is the neighbour's, so interpolate in place
                radialSpline.interpolate(r, rad, drad, ro);
                if (fc != 1 || dfc != 0) {
                    for (int q = ro; q < ro + nrp; q += V) {
                        DoubleVector value = DoubleVector.fromArray(LANES, rad, q);
                        value.mul(fc).intoArray(rad, q);
                        DoubleVector.fromArray(LANES, drad, q).mul(fc).add(value.mul(dfc)).intoArray(drad, q);
                    }
                }
                nb++;
                continue;
            }
            radialSpline.radial(r, n.scratch.radialWork, radial, dradial);
            if (kp > nMax) {
                Arrays.fill(rad, ro, ro + nrp, 0);
                Arrays.fill(drad, ro, ro + nrp, 0);
            }
            for (int l = 0; l <= lMax; l++) {
                for (int q = 0; q < nMax; q += V) {
                    VectorMask<Double> in = LANES.indexInRange(q, nMax);
                    int to = ro + l * kp + cs + q;
                    DoubleVector value = DoubleVector.fromArray(LANES, radial, l * nMax + q, in);
                    value.mul(fc).intoArray(rad, to, in);
                    DoubleVector.fromArray(LANES, dradial, l * nMax + q, in).mul(fc).add(value.mul(dfc))
                            .intoArray(drad, to, in);
                }
            }
            nb++;
        }
        n.scratch.harmonics.compute(n.ux, n.uy, n.uz, n.invR, nb, n.ylm, harmonicGradients ? n.dylm : null, n.ys);
        accumulate(n);
    }

    /**
     * Adds Σ_j g_nl Y_lm over the stored neighbours to the coefficients, a vector of channels and four m at a time,
     * each c_{lm} vector held in a register while the neighbours are summed (in neighbour order, by lane-wise fma;
     * four chains in flight).
     */
    private void accumulate(Neighbourhood n) {
        double[] coeff = n.coeff, ylm = n.ylm, rad = n.rad;
        int nrp = (lMax + 1) * kp;
        int ys = n.ys;
        int count = n.count;
        for (int k = 0; k < kp; k += V) {
            for (int l = 0; l <= lMax; l++) {
                int end = (l + 1) * (l + 1);
                for (int m = l * l; m < end; m += 4) {
                    int m1 = Math.min(m + 1, end - 1), m2 = Math.min(m + 2, end - 1), m3 = Math.min(m + 3, end - 1);
                    DoubleVector c0 = DoubleVector.fromArray(LANES, coeff, m * kp + k);
                    DoubleVector c1 = DoubleVector.fromArray(LANES, coeff, m1 * kp + k);
                    DoubleVector c2 = DoubleVector.fromArray(LANES, coeff, m2 * kp + k);
                    DoubleVector c3 = DoubleVector.fromArray(LANES, coeff, m3 * kp + k);
                    for (int nb = 0; nb < count; nb++) {
                        DoubleVector g = DoubleVector.fromArray(LANES, rad, nb * nrp + l * kp + k);
                        c0 = g.fma(DoubleVector.broadcast(LANES, ylm[m * ys + nb]), c0);
                        c1 = g.fma(DoubleVector.broadcast(LANES, ylm[m1 * ys + nb]), c1);
                        c2 = g.fma(DoubleVector.broadcast(LANES, ylm[m2 * ys + nb]), c2);
                        c3 = g.fma(DoubleVector.broadcast(LANES, ylm[m3 * ys + nb]), c3);
                    }
                    // past the last m of l, the clamped chains repeat the last one: stored in order, the same value
                    c3.intoArray(coeff, m3 * kp + k);
                    c2.intoArray(coeff, m2 * kp + k);
                    c1.intoArray(coeff, m1 * kp + k);
                    c0.intoArray(coeff, m * kp + k);
                }
            }
        }
    }

    /**
     * The reverse mode of the expansion: tallies ∂ε/∂r of a function ε of the coefficients from its gradient
     * dc = ∂ε/∂c_{lm,k} (at lm·stride + k, padding lanes zero). With the solid harmonics' gradients
     * ({@link SolidHarmonicGradients}: ∂(r^l Y_lm)/∂r_α = Σ_m' C^α_{lm,m'} r^{l−1} Y_{l−1,m'}), each neighbour j at
     * r_j − r_i = r r̂ receives
     * <pre>  ∂ε/∂r_j = r̂ Σ_{l,k} (g'_nl − l g_nl/r) Σ_m dc_{lm,k} Y_lm + (1/r) Σ_{l≥1,k} g_nl Σ_m' E_{l−1 m',k} Y_{l−1,m'},
     *  E^α_{l−1 m',k} = Σ_m C^α_{lm,m'} dc_{lm,k}</pre>
     * (E once per centre), and the centre, at 0, minus their sum (in neighbour order). O(n_max(l_max+1)²) per
     * neighbour, from Y_lm alone: only the vectors of channels that hold the neighbour's species (g is zero in the
     * others). Each vector lane sums its own channel over l and m by lane-wise fma, then the species' channels are
     * summed in order: the same bits at any vector width and JIT level.
     *
     * @param n the expansion (∇Y_lm not needed)
     * @param dc ∂ε/∂c (eV per coefficient unit, or any unit)
     * @param tally where ∂ε/∂r goes (ε's unit per Å)
     */
    void tallyGradients(Neighbourhood n, double[] dc, ForceTally tally) {
        solidGradients.lower(dc, kp, n.scratch.lowered);
        double cx = 0, cy = 0, cz = 0;
        for (int c = 0; c < channels; c += nMax) {
            // the neighbours of one species, two at a time (each vector of dc and E loaded once for both)
            int a = -1;
            for (int nb = 0; nb <= n.count; nb++) {
                if (nb < n.count && n.firstChannel[nb] != c) {
                    continue;
                }
                if (nb < n.count && a < 0) {
                    a = nb;
                    continue;
                }
                if (a < 0) {
                    break;
                }
                int b = nb < n.count ? nb : a;
                neighbourPair(n, dc, a, b);
                double[] parts = n.scratch.channelParts;
                for (int j = 0; j < (b == a ? 1 : 2); j++) {
                    int at = j == 0 ? a : b, o = 4 * j * kp;
                    double sr = 0, sx = 0, sy = 0, sz = 0;
                    for (int k = c; k < c + nMax; k++) {
                        sr += parts[o + k];
                        sx += parts[o + kp + k];
                        sy += parts[o + 2 * kp + k];
                        sz += parts[o + 3 * kp + k];
                    }
                    double inv = n.invR[at];
                    double gx = n.ux[at] * sr + inv * sx, gy = n.uy[at] * sr + inv * sy, gz = n.uz[at] * sr + inv * sz;
                    tally.gradient(n.atom[at], n.dx[at], n.dy[at], n.dz[at], gx, gy, gz);
                    cx += gx;
                    cy += gy;
                    cz += gz;
                }
                a = -1;
            }
        }
        tally.gradient(n.centre, 0, 0, 0, -cx, -cy, -cz);
    }

    /**
     * The per-channel parts of {@link #tallyGradients} for neighbours a and b of the same species (b = a for one):
     * Σ_l (g'_nl − l g_nl/r) Σ_m dc Y_lm and Σ_{l≥1} g_nl Σ_m' E^α Y_{l−1,m'} of a at k, kp + k, 2kp + k, 3kp + k
     * of the channel parts, of b from 4kp.
     */
    private void neighbourPair(Neighbourhood n, double[] dc, int a, int b) {
        double[] ylm = n.ylm, rad = n.rad, drad = n.drad, parts = n.scratch.channelParts, e = n.scratch.lowered;
        int ys = n.ys;
        int nrp = (lMax + 1) * kp;
        int ey = lMax * lMax * kp, ez = 2 * ey;
        int ra = a * nrp, rb = b * nrp;
        double invA = n.invR[a], invB = n.invR[b];
        int c0 = n.firstChannel[a], c1 = c0 + nMax;
        for (int k = c0 - c0 % V; k < c1; k += V) {
            DoubleVector zero = DoubleVector.zero(LANES);
            DoubleVector frA = zero, fxA = zero, fyA = zero, fzA = zero, frB = zero, fxB = zero, fyB = zero,
                    fzB = zero;
            DoubleVector pxA = zero, pyA = zero, pzA = zero, pxB = zero, pyB = zero, pzB = zero;
            for (int l = 0; l <= lMax; l++) {
                DoubleVector qA = zero, qxA = zero, qyA = zero, qzA = zero, qB = zero, qxB = zero, qyB = zero,
                        qzB = zero;
                int end = (l + 1) * (l + 1);
                if (l < lMax) {
                    for (int m = l * l; m < end; m++) {
                        DoubleVector yA = DoubleVector.broadcast(LANES, ylm[m * ys + a]);
                        DoubleVector yB = DoubleVector.broadcast(LANES, ylm[m * ys + b]);
                        int at = m * kp + k;
                        DoubleVector d = DoubleVector.fromArray(LANES, dc, at);
                        qA = d.fma(yA, qA);
                        qB = d.fma(yB, qB);
                        DoubleVector x = DoubleVector.fromArray(LANES, e, at);
                        qxA = x.fma(yA, qxA);
                        qxB = x.fma(yB, qxB);
                        DoubleVector y = DoubleVector.fromArray(LANES, e, ey + at);
                        qyA = y.fma(yA, qyA);
                        qyB = y.fma(yB, qyB);
                        DoubleVector z = DoubleVector.fromArray(LANES, e, ez + at);
                        qzA = z.fma(yA, qzA);
                        qzB = z.fma(yB, qzB);
                    }
                } else {
                    for (int m = l * l; m < end; m++) {
                        DoubleVector d = DoubleVector.fromArray(LANES, dc, m * kp + k);
                        qA = d.fma(DoubleVector.broadcast(LANES, ylm[m * ys + a]), qA);
                        qB = d.fma(DoubleVector.broadcast(LANES, ylm[m * ys + b]), qB);
                    }
                }
                DoubleVector gA = DoubleVector.fromArray(LANES, rad, ra + l * kp + k);
                DoubleVector gB = DoubleVector.fromArray(LANES, rad, rb + l * kp + k);
                frA = DoubleVector.fromArray(LANES, drad, ra + l * kp + k).sub(gA.mul(l * invA)).fma(qA, frA);
                frB = DoubleVector.fromArray(LANES, drad, rb + l * kp + k).sub(gB.mul(l * invB)).fma(qB, frB);
                if (l > 0) {
                    fxA = gA.fma(pxA, fxA);
                    fyA = gA.fma(pyA, fyA);
                    fzA = gA.fma(pzA, fzA);
                    fxB = gB.fma(pxB, fxB);
                    fyB = gB.fma(pyB, fyB);
                    fzB = gB.fma(pzB, fzB);
                }
                pxA = qxA;
                pyA = qyA;
                pzA = qzA;
                pxB = qxB;
                pyB = qyB;
                pzB = qzB;
            }
            frA.intoArray(parts, k);
            fxA.intoArray(parts, kp + k);
            fyA.intoArray(parts, 2 * kp + k);
            fzA.intoArray(parts, 3 * kp + k);
            frB.intoArray(parts, 4 * kp + k);
            fxB.intoArray(parts, 5 * kp + k);
            fyB.intoArray(parts, 6 * kp + k);
            fzB.intoArray(parts, 7 * kp + k);
        }
    }

}
