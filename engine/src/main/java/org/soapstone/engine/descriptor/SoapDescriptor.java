package org.soapstone.engine.descriptor;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;

/**
 * The SOAP power spectrum (Bartók, Kondor &amp; Csányi, PRB 87, 184115 (2013); Deringer et al., Chem. Rev. 121,
 * 10073 (2021)) exactly as QUIP's {@code soap} descriptor computes it ({@code soap_calc} in GAP's
 * {@code descriptors.f95}, GAP 2023-06), with exact gradients. One instance per centre atom whose species is in
 * {@code Z}; cutoff weight 1.
 *
 * <p>Conventions (all QUIP's):
 * <ul>
 *   <li>Density of species channel s around centre i: Σ_j f_c(r_ij) exp(−α|r − r_ij|²) over neighbours j of that
 *       species with r_ij &lt; r_c, α = 1/(2σ²), f_c the cosine cutoff of width {@code cutoff_transition_width}
 *       (times QUIP's optional radial decay, 1 unless {@code cutoff_dexp} &gt; 0), plus
 *       {@code central_weight}·exp(−α r²) for the centre itself, not cut off, in the channel of the centre's
 *       own species (every channel if {@code central_reference_all_species}, which QUIP turns on by default for
 *       n_species = 1).</li>
 *   <li>Expansion c^s_nlm = Σ_j f_c R_nl(r_ij) Y_lm(r̂_ij) in the orthonormalised Gaussian radial basis of
 *       {@link SoapRadialBasis} (the 4π of the angular integral is dropped, for the centre too) and real
 *       spherical harmonics ({@link RealSphericalHarmonics}; QUIP's complex ones give the same spectrum).</li>
 *   <li>Channels k = s·n_max + n, species in {@code species_Z} order, radial index fastest.</li>
 *   <li>Power spectrum p_l(k, k') = (2l+1)^{−1/2} Σ_m c_klm c_k'lm for k' ≤ k, times √2 when k ≠ k'; component
 *       index l + (l_max+1)·(k(k+1)/2 + k'), i.e. l fastest, then k', then k.</li>
 *   <li>The vector of the (l_max+1)K(K+1)/2 components is divided by its norm ({@code normalise=T}); a last
 *       component {@code covariance_sigma0} (default 0) is appended, outside the norm, and has zero gradient.</li>
 *   <li>Gradient entries: the centre first, then each neighbour-list pair closer than r_c in list order (a
 *       periodic image of the centre is its own entry); the centre's gradient is minus the sum of the others.</li>
 * </ul>
 * Performance: the radial functions R_nl are tabulated ({@link RadialSpline}, error below 10⁻¹⁰ of max |R_nl|),
 * and the hot loops use the JDK's incubating Vector API (the JVM needs {@code --add-modules jdk.incubator.vector}).
 * Determinism: every vector lane computes its own component with lane-wise {@code mul}, {@code add} and {@code fma}
 * (IEEE-exact, whether the JIT has compiled the code or not) and no sum runs across lanes, so values and gradients
 * are the same bit for bit in any JVM and at any vector width.
 * Deviations: a neighbour whose species is not in {@code species_Z} is an error here (QUIP silently leaves it
 * out); only QUIP's default {@code radial_basis=EQUISPACED_GAUSS}, full power spectrum ({@code nu_R=nu_S=2},
 * no mixing, no {@code diagonal_radial}) and per-atom ({@code average=F}) SOAP are supported, and the
 * (2l+1)^{−1/2} factor is always applied (QUIP omits it for models older than GAP version 1423143769) — the
 * parser rejects the rest.
 */
public final class SoapDescriptor implements Descriptor {
    private static final double SQRT2 = Math.sqrt(2);
    private static final VectorSpecies<Double> LANES = DoubleVector.SPECIES_PREFERRED;
    private static final int V = LANES.length();
    /** 0, 1, …, V−1. */
    private static final DoubleVector IOTA = DoubleVector.zero(LANES).addIndex(1);
    private final SoapParameters params;
    private final int[] speciesZ;
    private final SoapRadialBasis basis;
    private final RadialSpline radialSpline;
    private final CosineCutoff cutoffFunction;
    private final int nMax;
    private final int lMax;
    private final int nSpecies;
    private final int channels;
    /** channels rounded up to a whole number of vectors: the stride of every channel-indexed array. */
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
    /** species channel of each atomic number, −1 if absent. */
    private final int[] channelOf = new int[119];
    private final boolean anyCentre;
    private final boolean[] isCentre = new boolean[119];
    private final double decayNorm;

    /** @param params the validated parameters */
    public SoapDescriptor(SoapParameters params) {
        this.params = params;
        nMax = params.nMax();
        lMax = params.lMax();
        nSpecies = params.nSpecies();
        channels = nMax * nSpecies;
        kp = LANES.loopBound(channels + V - 1);
        lm = (lMax + 1) * (lMax + 1);
        dimension = params.dimension();
        basis = new SoapRadialBasis(nMax, lMax, params.cutoff(), params.atomSigma(), params.basisErrorExponent());
        radialSpline = new RadialSpline(basis, (lMax + 1) * nMax, params.cutoff(),
                RadialSpline.SPACING_IN_SIGMA * params.atomSigma());
        cutoffFunction = new CosineCutoff(params.cutoff(), params.cutoffTransitionWidth());
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
        Arrays.fill(channelOf, -1);
        speciesZ = params.speciesZ();
        int[] species = speciesZ;
        if (species.length == 1 && species[0] == 0) {
            Arrays.fill(channelOf, 0);
        } else {
            for (int s = 0; s < species.length; s++) {
                channelOf[species[s]] = s;
            }
        }
        int[] centres = params.centreZ();
        anyCentre = centres.length == 1 && centres[0] == 0;
        for (int z : centres) {
            isCentre[z] = true;
        }
        decayNorm = params.cutoffDexp() > 0 && params.cutoffRate() != 0
                ? params.cutoffRate() / (1 + params.cutoffRate()) : 1;
    }

    /** @return the parameters */
    public SoapParameters parameters() {
        return params;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public double cutoff() {
        return params.cutoff();
    }

    @Override
    public boolean supportsGradients() {
        return true;
    }

    @Override
    public DescriptorOutput newOutput() {
        return new DescriptorOutput(dimension, new Workspace());
    }

    /**
     * Per-thread scratch. Channel-indexed arrays have stride {@code kp} (the padding lanes stay zero); the
     * per-neighbour arrays read by whole vectors in {@link #gradients} are padded by V on both sides.
     */
    private final class Workspace {
        final RealSphericalHarmonics harmonics = new RealSphericalHarmonics(lMax);
        final double[] radial = new double[(lMax + 1) * nMax];
        final double[] dradial = new double[(lMax + 1) * nMax];
        final double[] radialWork = new double[basis.workSize()];
        /** c_{lm,k} at lm·kp + k. */
        final double[] coeff = new double[lm * kp];
        /** q_{lm,a} (see {@link #weightedCoefficients}) at lm·kp + a. */
        final double[] q = new double[lm * kp];
        /** the matrix of one l in {@link #weightedCoefficients}, column b at b·kp. */
        final double[] matrix = new double[channels * kp];
        /** raw power spectrum (without the σ0 component), padded for whole-vector loads and scatters. */
        final double[] power = new double[dimension - 1 + V * (lMax + 1)];
        /** For one neighbour, at V + k·(l_max+1) + l: Σ_m c Y_lm, Σ_m c ∂Y_lm/∂r_j (x, y, z), and f_c R_nl and
         *  d(f_c R_nl)/dr times √2 (2l+1)^{−1/2}/|p| (zero outside the neighbour's species). */
        final double[] cy = new double[kp * (lMax + 1) + 2 * V];
        final double[] cdx = new double[kp * (lMax + 1) + 2 * V];
        final double[] cdy = new double[kp * (lMax + 1) + 2 * V];
        final double[] cdz = new double[kp * (lMax + 1) + 2 * V];
        final double[] rv = new double[kp * (lMax + 1) + 2 * V];
        final double[] dv = new double[kp * (lMax + 1) + 2 * V];
        /** For one neighbour: the parts of p·∂p/∂r_j divided by |p| (see {@link #projections}). */
        double fr, fdx, fdy, fdz;
        /** For one neighbour, per channel: the terms of fr, fdx, fdy, fdz summed over l, at k, kp + k, 2kp + k, 3kp + k. */
        final double[] channelParts = new double[4 * kp];
        /** Per neighbour nb within the cutoff: f_c R_nl and d(f_c R_nl)/dr at nb·(l_max+1)·kp + l·kp + k (zero
         *  outside the neighbour's species); r̂ (x, y, z) and 1/r at nb; Y_lm and ∂Y_lm/∂r_j (x, y, z) at
         *  lm·ys + nb and (3 lm + k)·ys + nb, ys = {@link RealSphericalHarmonics#padded} of the capacity. */
        double[] rad = new double[0];
        double[] drad = new double[0];
        double[] ux = new double[0];
        double[] uy = new double[0];
        double[] uz = new double[0];
        double[] invR = new double[0];
        double[] ylm = new double[0];
        double[] dylm = new double[0];
        int ys;
        int capacity;

        /** Makes room for {@code neighbours} neighbours' data. */
        void ensure(int neighbours) {
            if (capacity < neighbours) {
                int cap = Math.max(neighbours, 2 * capacity);
                capacity = cap;
                ys = RealSphericalHarmonics.padded(cap);
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

    @Override
    public void compute(Structure structure, NeighbourList neighbours, int fromAtom, int toAtom, boolean gradients,
            DescriptorOutput out) {
        if (!(out.workspace instanceof Workspace w) || out.dimension() != dimension) {
            throw new IllegalArgumentException("output was not made by this descriptor's newOutput()");
        }
        checkList(neighbours, structure);
        out.reset(gradients);
        int[] z = structure.numbers();
        double rc = params.cutoff();
        for (int i = fromAtom; i < toAtom; i++) {
            if (!anyCentre && !isCentre[z[i]]) {
                continue;
            }
            int p0 = neighbours.first[i], p1 = neighbours.first[i + 1];
            int inside = 0;
            for (int p = p0; p < p1; p++) {
                if (neighbours.distance[p] < rc) {
                    inside++;
                }
            }
            int inst = out.add(i, 1 + inside);
            w.ensure(Math.max(inside, 1));
            expand(structure, neighbours, i, gradients, w, out);
            powerSpectrum(w, out, inst);
            if (gradients) {
                gradients(w, out, inst, inside);
            }
        }
    }

    private void checkList(NeighbourList neighbours, Structure structure) {
        if (!neighbours.full()) {
            throw new IllegalArgumentException("SOAP needs a full neighbour list, got a half list");
        }
        if (neighbours.cutoff() < params.cutoff()) {
            throw new IllegalArgumentException("neighbour list cutoff " + neighbours.cutoff()
                    + " Å is shorter than the SOAP cutoff " + params.cutoff() + " Å");
        }
        if (neighbours.atoms() != structure.size()) {
            throw new IllegalArgumentException("neighbour list has " + neighbours.atoms() + " atoms, structure "
                    + structure.size());
        }
    }

    /** Density expansion coefficients of centre i, and per-neighbour derivatives if asked. */
    private void expand(Structure structure, NeighbourList nl, int i, boolean gradients, Workspace w,
            DescriptorOutput out) {
        double[] coeff = w.coeff;
        Arrays.fill(coeff, 0);
        int[] z = structure.numbers();
        double central = params.centralWeight() * basis.centralCoefficient(0) * Math.sqrt(1 / (4 * Math.PI));
        for (int s = 0; s < nSpecies; s++) {
            int zs = speciesZ[s];
            if (params.centralReferenceAllSpecies() || zs == z[i] || zs == 0) {
                coeff[s * nMax] += central;
            }
        }
        double rc = params.cutoff();
        int e = out.gradientStart(out.count() - 1);
        if (gradients) {
            out.setEntry(e, i, 0, 0, 0);
        }
        int nb = 0;
        double[] radial = w.radial, dradial = w.dradial, rad = w.rad, drad = w.drad;
        int nrp = (lMax + 1) * kp;
        for (int p = nl.first[i]; p < nl.first[i + 1]; p++) {
            double r = nl.distance[p];
            if (r >= rc) {
                continue;
            }
            int j = nl.neighbour[p];
            int s = channelOf[z[j]];
            if (s < 0) {
                throw new IllegalArgumentException("atom " + j + " (" + Element.of(z[j]).symbol() + ", Z=" + z[j]
                        + "), a neighbour of atom " + i + ", is not in species_Z=" + SoapParameters.braces(speciesZ)
                        + " of the SOAP descriptor");
            }
            double dx = nl.vector[3 * p], dy0 = nl.vector[3 * p + 1], dz = nl.vector[3 * p + 2];
            double fc = cutoffFunction.value(r);
            double dfc = gradients ? cutoffFunction.derivative(r) : 0;
            if (params.cutoffDexp() > 0) {
                double rate = params.cutoffRate();
                double t = Math.pow(r / params.cutoffScale(), params.cutoffDexp());
                double decay = decayNorm * (1 + rate) / (rate + t);
                double ddecay = -decayNorm * params.cutoffDexp() * (1 + rate) * t / (r * (rate + t) * (rate + t));
                dfc = dfc * decay + fc * ddecay;
                fc *= decay;
            }
            radialSpline.radial(r, w.radialWork, radial, gradients ? dradial : null);
            double inv = 1 / r;
            w.ux[nb] = dx * inv;
            w.uy[nb] = dy0 * inv;
            w.uz[nb] = dz * inv;
            w.invR[nb] = inv;
            int ro = nb * nrp;
            int cs = s * nMax;
            if (kp > nMax) {
                Arrays.fill(rad, ro, ro + nrp, 0);
                Arrays.fill(drad, ro, ro + nrp, 0);
            }
            for (int l = 0; l <= lMax; l++) {
                for (int n = 0; n < nMax; n += V) {
                    VectorMask<Double> in = LANES.indexInRange(n, nMax);
                    int to = ro + l * kp + cs + n;
                    DoubleVector value = DoubleVector.fromArray(LANES, radial, l * nMax + n, in);
                    value.mul(fc).intoArray(rad, to, in);
                    if (gradients) {
                        DoubleVector.fromArray(LANES, dradial, l * nMax + n, in).mul(fc).add(value.mul(dfc))
                                .intoArray(drad, to, in);
                    }
                }
            }
            if (gradients) {
                e++;
                out.setEntry(e, j, dx, dy0, dz);
            }
            nb++;
        }
        w.harmonics.compute(w.ux, w.uy, w.uz, w.invR, nb, w.ylm, gradients ? w.dylm : null, w.ys);
        accumulate(w, nb);
    }

    /**
     * Adds Σ_j f_c R_nl(r_ij) Y_lm(r̂_ij) over the stored neighbours to the coefficients, a vector of channels at
     * a time, each c_{lm} vector held in a register while the neighbours are summed.
     */
    private void accumulate(Workspace w, int count) {
        double[] coeff = w.coeff, ylm = w.ylm, rad = w.rad;
        int nrp = (lMax + 1) * kp;
        int ys = w.ys;
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
     * Power spectrum of the current coefficients into {@code w.power} and the output's values: p_l(a, ·) a vector
     * of channels b at a time, scattered to its l-fastest places.
     */
    private void powerSpectrum(Workspace w, DescriptorOutput out, int inst) {
        double[] c = w.coeff;
        double[] pw = w.power;
        int stride = lMax + 1;
        for (int l = 0; l <= lMax; l++) {
            double t = invSqrt2lp1[l];
            DoubleVector offDiagonal = DoubleVector.broadcast(LANES, SQRT2 * t);
            for (int a = 0; a < channels; a++) {
                for (int b = 0; b <= a; b += V) {
                    DoubleVector sum = DoubleVector.zero(LANES);
                    for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                        sum = DoubleVector.fromArray(LANES, c, m * kp + b)
                                .fma(DoubleVector.broadcast(LANES, c[m * kp + a]), sum);
                    }
                    DoubleVector scale = offDiagonal.blend(t, IOTA.compare(VectorOperators.EQ, a - b));
                    sum.mul(scale).intoArray(pw, l + stride * (a * (a + 1) / 2 + b), channelRows, 0,
                            LANES.indexInRange(b, a + 1));
                }
            }
        }
        double[] v = out.values();
        int off = inst * dimension;
        int n = dimension - 1;
        if (params.normalise()) {
            double norm = norm(pw, n);
            for (int k = 0; k < n; k++) {
                v[off + k] = pw[k] / norm;
            }
        } else {
            System.arraycopy(pw, 0, v, off, n);
        }
        v[off + n] = params.covarianceSigma0();
    }

    private static double norm(double[] x, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            s += x[k] * x[k];
        }
        return Math.sqrt(s);
    }

    /**
     * Gradients of the (normalised) power spectrum with respect to every neighbour and the centre, written in one
     * pass in output order. With D_{lm,n}(j) = ∂(f_c R_nl Y_lm)/∂r_j = d(f_c R_nl)/dr Y_lm r̂ + f_c R_nl ∇Y_lm,
     * the sum over m in ∂p_l(a, b) = Σ_m (D_{lm,a} c_{lm,b} + c_{lm,a} D_{lm,b}) factorises into
     * Σ_m c_{lm,b} Y_lm and Σ_m c_{lm,b} ∇Y_lm, computed once per (neighbour, channel, l)
     * ({@link #projections}), with √2 (2l+1)^{−1/2}/|p| folded into the radial factors. The normalisation
     * g/|p| − p (p·g)/|p|³ needs p·g before the first component is written: it is Σ_{lm,a} D_{lm,a} q_{lm,a}
     * with q formed once per centre ({@link #weightedCoefficients}), one more set of short dot products per
     * neighbour. Channel a's components (b ≤ a, l fastest) are contiguous in the output: they are formed a
     * vector at a time, reading the b-indexed factors as they lie and the a-indexed ones as windows that wrap
     * around channel a's l_max+1 values. The centre's rows are minus the sum of the neighbours'.
     */
    private void gradients(Workspace w, DescriptorOutput out, int inst, int count) {
        double[] pw = w.power;
        double[] grad = out.gradients();
        double[] cy = w.cy, cdx = w.cdx, cdy = w.cdy, cdz = w.cdz, rv = w.rv, dv = w.dv;
        double[] diag = diagonalWeight;
        int n = dimension - 1;
        int stride = lMax + 1;
        boolean normalise = params.normalise();
        double inv = normalise ? 1 / norm(pw, n) : 1;
        double inv2 = normalise ? inv * inv : 0;
        int e0 = out.gradientStart(inst);
        weightedCoefficients(w);
        for (int nb = 0; nb < count; nb++) {
            projections(w, nb, inv);
            double ux = w.ux[nb], uy = w.uy[nb], uz = w.uz[nb];
            DoubleVector fx = DoubleVector.broadcast(LANES, -(ux * w.fr + w.fdx) * inv2);
            DoubleVector fy = DoubleVector.broadcast(LANES, -(uy * w.fr + w.fdy) * inv2);
            DoubleVector fz = DoubleVector.broadcast(LANES, -(uz * w.fr + w.fdz) * inv2);
            int rowx = 3 * (e0 + 1 + nb) * dimension, rowy = rowx + dimension, rowz = rowy + dimension;
            int o = 0;
            for (int a = 0; a < channels; a++) {
                int len = (a + 1) * stride;
                int row = V + a * stride;
                int d = (channels - a) * stride;
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
                    DoubleVector weight = DoubleVector.fromArray(LANES, diag, d + j);
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
            grad[rowx + n] = 0;
            grad[rowy + n] = 0;
            grad[rowz + n] = 0;
        }
        for (int row = 3 * e0 * dimension; row < 3 * (e0 + 1) * dimension; row += dimension) {
            for (int q = 0; q < n; q += V) {
                VectorMask<Double> inside = LANES.indexInRange(q, n);
                DoubleVector sum = DoubleVector.zero(LANES);
                for (int nb = 1; nb <= count; nb++) {
                    sum = sum.add(DoubleVector.fromArray(LANES, grad, row + 3 * nb * dimension + q, inside));
                }
                sum.neg().intoArray(grad, row + q, inside);
            }
            grad[row + n] = 0;
        }
    }

    /**
     * q_{lm,a} = √2 (2l+1)^{−1/2} Σ_b M_l(a, b) c_{lm,b}, with M_l(a, b) = p_l(max(a, b), min(a, b)) off the
     * diagonal and √2 p_l(a, a) on it (p the raw power spectrum), so that p·∂p/∂r_j = Σ_{lm,a} D_{lm,a}(j)
     * q_{lm,a} for every neighbour j (D as in {@link #gradients}, unscaled).
     */
    private void weightedCoefficients(Workspace w) {
        double[] c = w.coeff, q = w.q, pw = w.power, mat = w.matrix;
        int stride = lMax + 1;
        for (int l = 0; l <= lMax; l++) {
            double t = SQRT2 * invSqrt2lp1[l];
            for (int a = 0; a < channels; a++) {
                for (int b = 0; b <= a; b++) {
                    double p = t * pw[l + stride * (a * (a + 1) / 2 + b)];
                    mat[b * kp + a] = a == b ? SQRT2 * p : p;
                    mat[a * kp + b] = mat[b * kp + a];
                }
            }
            for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                for (int k = 0; k < kp; k += V) {
                    DoubleVector acc = DoubleVector.zero(LANES);
                    for (int b = 0; b < channels; b++) {
                        acc = DoubleVector.fromArray(LANES, mat, b * kp + k)
                                .fma(DoubleVector.broadcast(LANES, c[m * kp + b]), acc);
                    }
                    acc.intoArray(q, m * kp + k);
                }
            }
        }
    }

    /**
     * For neighbour nb: Σ_m c_{lm,b} Y_lm and Σ_m c_{lm,b} ∇Y_lm at V + b·(l_max+1) + l for every channel b; the
     * radial factors f_c R_nl and d(f_c R_nl)/dr times √2 (2l+1)^{−1/2} · {@code inv} at the same places (zero
     * outside the neighbour's species); and, times {@code inv}, the two parts of p·∂p/∂r_j = r̂ fr + fd:
     * fr = Σ_{lm,a} d(f_c R_nl)/dr Y_lm q_{lm,a} and fd = Σ_{lm,a} f_c R_nl ∇Y_lm q_{lm,a}.
     */
    private void projections(Workspace w, int nb, double inv) {
        double[] coeff = w.coeff, q = w.q, ylm = w.ylm, dylm = w.dylm, rad = w.rad, drad = w.drad;
        double[] cy = w.cy, cdx = w.cdx, cdy = w.cdy, cdz = w.cdz, rv = w.rv, dv = w.dv;
        int stride = lMax + 1;
        int ys = w.ys;
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
