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
 * channel with {@code central_reference_all_species}. With derivatives, each coefficient's derivative with respect
 * to neighbour j's position, in factored form:
 * <pre>  ∂c_{lm,k}/∂r_j = g'_nl(r) Y_lm(r̂) r̂ + g_nl(r) ∇Y_lm(r̂)</pre>
 * (zero outside j's species channel; the centre's is minus the sum over its neighbours), whose factors the power
 * spectrum's gradients read.
 *
 * <p>Layout of a {@link Neighbourhood} (all channel-indexed arrays have the stride {@link #stride()}, the channel
 * count rounded up to whole vectors, whose padding lanes stay zero): c_{lm,k} at lm·stride + k; per neighbour nb
 * (in neighbour-list order, those within r_c): g_nl and g'_nl at nb·(l_max+1)·stride + l·stride + k (zero outside
 * its species), r̂ and 1/r at nb, Y_lm and ∂Y_lm/∂r_j (x, y, z) at lm·ys + nb and (3 lm + α)·ys + nb. Immutable
 * and thread-safe; a {@link Neighbourhood} per thread holds the results and the scratch. A neighbour whose species
 * is not a channel is an error (QUIP leaves it out silently).
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

    /** @return a new per-thread result and scratch */
    Neighbourhood newNeighbourhood() {
        return new Neighbourhood();
    }

    /** One centre's expansion: the coefficients, the neighbours within the cutoff and their factors (class doc). */
    final class Neighbourhood {
        final RealSphericalHarmonics harmonics = new RealSphericalHarmonics(lMax);
        final double[] radial = new double[(lMax + 1) * nMax];
        final double[] dradial = new double[(lMax + 1) * nMax];
        final double[] radialWork = new double[basis.workSize()];
        /** c_{lm,k} at lm·kp + k. */
        final double[] coeff = new double[lm * kp];
        /** For one neighbour in {@link #tallyGradients}: per channel, the radial and the x, y, z parts of ∂ε/∂r_j at
         *  k, kp + k, 2kp + k, 3kp + k. */
        final double[] channelParts = new double[4 * kp];
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

        /** Makes room for {@code neighbours} neighbours' data. */
        private void ensure(int neighbours) {
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
                dylm = new double[3 * lm * ys];
            }
        }
    }

    /**
     * Expands the density around atom {@code centre}: the coefficients and, per neighbour within the cutoff, the
     * factors of their derivatives if {@code derivatives}.
     *
     * @param structure the atoms
     * @param nl a full neighbour list of the structure with cutoff ≥ r_c
     * @param centre the centre atom
     * @param derivatives whether to compute g'_nl and ∇Y_lm
     * @param n where the results go
     * @throws IllegalArgumentException if a neighbour's species is not a channel
     */
    void expand(Structure structure, NeighbourList nl, int centre, boolean derivatives, Neighbourhood n) {
        expand(structure, nl, centre, derivatives, n, null, 0);
    }

    /**
     * {@link #expand(Structure, NeighbourList, int, boolean, Neighbourhood)}, or, with {@code kept}, the neighbour
     * factors only, the coefficients copied from {@code kept} (what an expansion of the same centre in the same
     * positions gave) instead of summed again.
     *
     * @param kept null, or c_{lm,k} at {@code keptOffset} + lm·stride + k
     */
    void expand(Structure structure, NeighbourList nl, int centre, boolean derivatives, Neighbourhood n,
            double[] kept, int keptOffset) {
        int[] z = structure.numbers();
        double rc = cutoff.radius();
        int p0 = nl.first[centre], p1 = nl.first[centre + 1];
        int inside = 0;
        for (int p = p0; p < p1; p++) {
            if (nl.distance[p] < rc) {
                inside++;
            }
        }
        n.ensure(Math.max(inside, 1));
        n.centre = centre;
        n.count = inside;
        double[] coeff = n.coeff;
        Arrays.fill(coeff, 0);
        for (int q = 0; q < nMax && kept == null; q++) {
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
        double[] radial = n.radial, dradial = n.dradial, rad = n.rad, drad = n.drad;
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
            double dfc = derivatives ? cosineCutoff.derivative(r) : 0;
            if (cutoff.decayExponent() > 0) {
                double rate = cutoff.decayRate();
                double t = Math.pow(r / cutoff.decayScale(), cutoff.decayExponent());
                double decay = decayNorm * (1 + rate) / (rate + t);
                double ddecay = -decayNorm * cutoff.decayExponent() * (1 + rate) * t / (r * (rate + t) * (rate + t));
                dfc = dfc * decay + fc * ddecay;
                fc *= decay;
            }
            radialSpline.radial(r, n.radialWork, radial, derivatives ? dradial : null);
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
                    if (derivatives) {
                        DoubleVector.fromArray(LANES, dradial, l * nMax + q, in).mul(fc).add(value.mul(dfc))
                                .intoArray(drad, to, in);
                    }
                }
            }
            nb++;
        }
        n.harmonics.compute(n.ux, n.uy, n.uz, n.invR, nb, n.ylm, derivatives ? n.dylm : null, n.ys);
        if (kept != null) {
            System.arraycopy(kept, keptOffset, coeff, 0, coeff.length);
        } else {
            accumulate(n);
        }
    }

    /**
     * Adds Σ_j g_nl Y_lm over the stored neighbours to the coefficients, a vector of channels at a time, each
     * c_{lm} vector held in a register while the neighbours are summed (in neighbour order, by lane-wise fma).
     */
    private void accumulate(Neighbourhood n) {
        double[] coeff = n.coeff, ylm = n.ylm, rad = n.rad;
        int nrp = (lMax + 1) * kp;
        int ys = n.ys;
        int count = n.count;
        for (int k = 0; k < kp; k += V) {
            for (int l = 0; l <= lMax; l++) {
                for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                    DoubleVector c = DoubleVector.fromArray(LANES, coeff, m * kp + k);
                    for (int nb = 0; nb < count; nb++) {
                        c = DoubleVector.fromArray(LANES, rad, nb * nrp + l * kp + k)
                                .fma(DoubleVector.broadcast(LANES, ylm[m * ys + nb]), c);
                    }
                    c.intoArray(coeff, m * kp + k);
                }
            }
        }
    }

    /**
     * The reverse mode of the expansion: tallies ∂ε/∂r of a function ε of the coefficients from its gradient
     * dc = ∂ε/∂c_{lm,k} (at lm·stride + k, padding lanes zero) — each neighbour j, at r_j − r_i, receives
     * <pre>  ∂ε/∂r_j = Σ_{l,k} (g'_nl(r) r̂ Σ_m dc_{lm,k} Y_lm + g_nl(r) Σ_m dc_{lm,k} ∇Y_lm),</pre>
     * and the centre, at 0, minus their sum (in neighbour order). O(n_max(l_max+1)²) per neighbour: only the
     * vectors of channels that hold the neighbour's species (g is zero in the others). Each vector lane sums its own
     * channel over l and m by lane-wise fma, then the species' channels are summed in order: the same bits at any
     * vector width and JIT level.
     *
     * @param n the expansion, computed with derivatives
     * @param dc ∂ε/∂c (eV per coefficient unit, or any unit)
     * @param tally where ∂ε/∂r goes (ε's unit per Å)
     */
    void tallyGradients(Neighbourhood n, double[] dc, ForceTally tally) {
        double[] ylm = n.ylm, dylm = n.dylm, rad = n.rad, drad = n.drad, parts = n.channelParts;
        int ys = n.ys;
        int nrp = (lMax + 1) * kp;
        double cx = 0, cy = 0, cz = 0;
        for (int nb = 0; nb < n.count; nb++) {
            int ro = nb * nrp;
            int c0 = n.firstChannel[nb], c1 = c0 + nMax;
            for (int k = c0 - c0 % V; k < c1; k += V) {
                DoubleVector fr = DoubleVector.zero(LANES), fx = fr, fy = fr, fz = fr;
                for (int l = 0; l <= lMax; l++) {
                    DoubleVector qy = DoubleVector.zero(LANES), qx = qy, qyy = qy, qz = qy;
                    for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                        DoubleVector c = DoubleVector.fromArray(LANES, dc, m * kp + k);
                        qy = c.fma(DoubleVector.broadcast(LANES, ylm[m * ys + nb]), qy);
                        qx = c.fma(DoubleVector.broadcast(LANES, dylm[3 * m * ys + nb]), qx);
                        qyy = c.fma(DoubleVector.broadcast(LANES, dylm[(3 * m + 1) * ys + nb]), qyy);
                        qz = c.fma(DoubleVector.broadcast(LANES, dylm[(3 * m + 2) * ys + nb]), qz);
                    }
                    DoubleVector r = DoubleVector.fromArray(LANES, rad, ro + l * kp + k);
                    fr = DoubleVector.fromArray(LANES, drad, ro + l * kp + k).fma(qy, fr);
                    fx = r.fma(qx, fx);
                    fy = r.fma(qyy, fy);
                    fz = r.fma(qz, fz);
                }
                fr.intoArray(parts, k);
                fx.intoArray(parts, kp + k);
                fy.intoArray(parts, 2 * kp + k);
                fz.intoArray(parts, 3 * kp + k);
            }
            double sr = 0, sx = 0, sy = 0, sz = 0;
            for (int a = c0; a < c1; a++) {
                sr += parts[a];
                sx += parts[kp + a];
                sy += parts[2 * kp + a];
                sz += parts[3 * kp + a];
            }
            double gx = n.ux[nb] * sr + sx, gy = n.uy[nb] * sr + sy, gz = n.uz[nb] * sr + sz;
            tally.gradient(n.atom[nb], n.dx[nb], n.dy[nb], n.dz[nb], gx, gy, gz);
            cx += gx;
            cy += gy;
            cz += gz;
        }
        tally.gradient(n.centre, 0, 0, 0, -cx, -cy, -cz);
    }
}
