package org.soapstone.engine.descriptor;

import java.util.Arrays;
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
 * Performance: the radial functions R_nl are tabulated ({@link RadialSpline}, error below 10⁻¹⁰ of max |R_nl|).
 * Deviations: a neighbour whose species is not in {@code species_Z} is an error here (QUIP silently leaves it
 * out); only QUIP's default {@code radial_basis=EQUISPACED_GAUSS}, full power spectrum ({@code nu_R=nu_S=2},
 * no mixing, no {@code diagonal_radial}) and per-atom ({@code average=F}) SOAP are supported, and the
 * (2l+1)^{−1/2} factor is always applied (QUIP omits it for models older than GAP version 1423143769) — the
 * parser rejects the rest.
 */
public final class SoapDescriptor implements Descriptor {
    private static final double SQRT2 = Math.sqrt(2);
    private final SoapParameters params;
    private final int[] speciesZ;
    private final SoapRadialBasis basis;
    private final RadialSpline radialSpline;
    private final CosineCutoff cutoffFunction;
    private final int nMax;
    private final int lMax;
    private final int nSpecies;
    private final int channels;
    private final int lm;
    private final int dimension;
    private final double[] invSqrt2lp1;
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

    /** Per-thread scratch. */
    private final class Workspace {
        final RealSphericalHarmonics harmonics = new RealSphericalHarmonics(lMax);
        final double[] radial = new double[(lMax + 1) * nMax];
        final double[] dradial = new double[(lMax + 1) * nMax];
        final double[] radialWork = new double[basis.workSize()];
        /** c_{lm,k} at lm·K + k. */
        final double[] coeff = new double[lm * channels];
        /** the coefficients transposed, c_{lm,k} at k·(l_max+1)² + lm. */
        final double[] ct = new double[lm * channels];
        /** raw power spectrum (without the σ0 component). */
        final double[] power = new double[dimension - 1];
        /** For one (neighbour, l): Σ_m c_{lm,k} Y_lm, Σ_m c_{lm,k} ∂Y_lm/∂r_j (x, y, z), f_c R_nl and
         *  d(f_c R_nl)/dr times √2 (2l+1)^{−1/2}/|p| spread over all K channels (zero outside the neighbour's
         *  species). */
        final double[] cy = new double[channels];
        final double[] cdx = new double[channels];
        final double[] cdy = new double[channels];
        final double[] cdz = new double[channels];
        final double[] rv = new double[channels];
        final double[] dv = new double[channels];
        /** Σ over neighbours of the normalised gradient (x, y, z), output order, for the centre. */
        final double[] sumx = new double[dimension - 1];
        final double[] sumy = new double[dimension - 1];
        final double[] sumz = new double[dimension - 1];
        /** one neighbour's gradient (x, y, z), output order, before it is copied to the output rows. */
        final double[] gx = new double[dimension - 1];
        final double[] gy = new double[dimension - 1];
        final double[] gz = new double[dimension - 1];
        /** per neighbour within the cutoff: Y_lm (lm), ∂Y_lm/∂d (3 rows of lm), f_c R_nl and d(f_c R_nl)/dr. */
        double[] ylm = new double[lm];
        double[] dylm = new double[0];
        double[] rad = new double[0];
        double[] drad = new double[0];
        double[] unit = new double[0];
        int[] channel = new int[0];

        /** Makes room for {@code neighbours} neighbours' data. */
        void ensure(int neighbours) {
            if (channel.length < neighbours) {
                int cap = Math.max(neighbours, 2 * channel.length);
                channel = new int[cap];
                ylm = new double[cap * lm];
                dylm = new double[cap * 3 * lm];
                rad = new double[cap * (lMax + 1) * nMax];
                drad = new double[cap * (lMax + 1) * nMax];
                unit = new double[3 * cap];
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
        double[] radial = w.radial, dradial = w.dradial;
        int nr = (lMax + 1) * nMax;
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
            int yo = nb * lm;
            w.harmonics.compute(dx, dy0, dz, w.ylm, yo, gradients ? w.dylm : null, 3 * yo);
            w.channel[nb] = s;
            int ro = nb * nr;
            for (int q = 0; q < nr; q++) {
                w.rad[ro + q] = fc * radial[q];
            }
            if (gradients) {
                e++;
                out.setEntry(e, j, dx, dy0, dz);
                double inv = 1 / r;
                w.unit[3 * nb] = dx * inv;
                w.unit[3 * nb + 1] = dy0 * inv;
                w.unit[3 * nb + 2] = dz * inv;
                for (int q = 0; q < nr; q++) {
                    w.drad[ro + q] = fc * dradial[q] + dfc * radial[q];
                }
            }
            nb++;
        }
        accumulate(w, nb);
    }

    /**
     * Adds Σ_j f_c R_nl(r_ij) Y_lm(r̂_ij) over the stored neighbours to the coefficients, two neighbours of the
     * same species at a time (half the loads and stores of the coefficients).
     */
    private void accumulate(Workspace w, int count) {
        double[] coeff = w.coeff, ylm = w.ylm, rad = w.rad;
        int[] channel = w.channel;
        int nr = (lMax + 1) * nMax;
        int nb = 0;
        while (nb < count) {
            int cs = channel[nb] * nMax;
            int ya = nb * lm, ra = nb * nr;
            if (nb + 1 < count && channel[nb + 1] == channel[nb]) {
                int yb = ya + lm, rb = ra + nr;
                for (int l = 0; l <= lMax; l++) {
                    int rl = l * nMax;
                    for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                        double y0 = ylm[ya + m], y1 = ylm[yb + m];
                        int base = m * channels + cs;
                        for (int n = 0; n < nMax; n++) {
                            coeff[base + n] += rad[ra + rl + n] * y0 + rad[rb + rl + n] * y1;
                        }
                    }
                }
                nb += 2;
            } else {
                for (int l = 0; l <= lMax; l++) {
                    int rl = l * nMax;
                    for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                        double y0 = ylm[ya + m];
                        int base = m * channels + cs;
                        for (int n = 0; n < nMax; n++) {
                            coeff[base + n] += rad[ra + rl + n] * y0;
                        }
                    }
                }
                nb++;
            }
        }
    }

    /** Power spectrum of the current coefficients into {@code w.power} and the output's values. */
    private void powerSpectrum(Workspace w, DescriptorOutput out, int inst) {
        double[] c = w.coeff;
        double[] pw = w.power;
        int stride = lMax + 1;
        for (int l = 0; l <= lMax; l++) {
            double t = invSqrt2lp1[l];
            int m0 = l * l, m1 = (l + 1) * (l + 1);
            int pair = 0;
            for (int a = 0; a < channels; a++) {
                for (int b = 0; b <= a; b++) {
                    double sum = 0;
                    for (int m = m0; m < m1; m++) {
                        sum += c[m * channels + a] * c[m * channels + b];
                    }
                    pw[l + stride * pair] = a == b ? t * sum : SQRT2 * t * sum;
                    pair++;
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
     * Gradients of the (normalised) power spectrum with respect to every neighbour and the centre. With
     * D_{lm,n}(j) = ∂(f_c R_nl Y_lm)/∂r_j = d(f_c R_nl)/dr Y_lm r̂ + f_c R_nl ∇Y_lm, the sum over m in
     * ∂p_l(a, b) = Σ_m (D_{lm,a} c_{lm,b} + c_{lm,a} D_{lm,b}) factorises into Σ_m c_{lm,b} Y_lm and
     * Σ_m c_{lm,b} ∇Y_lm, computed once per (neighbour, l) as short dot products over m held in registers, two
     * channels at a time (from the transposed coefficients); the radial-derivative term, common to x, y and z
     * up to the factor r̂, is formed once per (a, b), with √2 (2l+1)^{−1/2}/|p| folded into the radial factors.
     * The gradient of one neighbour, divided by |p|, is written into scratch rows while its dot product with p
     * (needed by the normalisation) is accumulated, normalised there by vectorisable loops and copied to the
     * output rows; the centre's rows are minus the sum of the neighbours' (the normalisation is linear in the
     * raw gradient).
     */
    private void gradients(Workspace w, DescriptorOutput out, int inst, int count) {
        double[] c = w.coeff;
        double[] pw = w.power;
        double[] cy = w.cy, cdx = w.cdx, cdy = w.cdy, cdz = w.cdz, rv = w.rv, dv = w.dv;
        double[] grad = out.gradients();
        double[] ylm = w.ylm, dylm = w.dylm, rad = w.rad, drad = w.drad, unit = w.unit;
        int[] channel = w.channel;
        int n = dimension - 1;
        int stride = lMax + 1;
        int nr = (lMax + 1) * nMax;
        boolean normalise = params.normalise();
        double inv = normalise ? 1 / norm(pw, n) : 1;
        double inv2 = inv * inv;
        int e0 = out.gradientStart(inst);
        double[] sx = w.sumx, sy = w.sumy, sz = w.sumz;
        double[] gxs = w.gx, gys = w.gy, gzs = w.gz;
        Arrays.fill(sx, 0);
        Arrays.fill(sy, 0);
        Arrays.fill(sz, 0);
        double[] ct = w.ct;
        for (int m = 0; m < lm; m++) {
            for (int a = 0; a < channels; a++) {
                ct[a * lm + m] = c[m * channels + a];
            }
        }
        for (int nb = 0; nb < count; nb++) {
            int cs = channel[nb] * nMax;
            double ux = unit[3 * nb], uy = unit[3 * nb + 1], uz = unit[3 * nb + 2];
            int yo = nb * lm;
            int go = 3 * nb * lm;
            int rowx = 3 * (e0 + 1 + nb) * dimension, rowy = rowx + dimension, rowz = rowy + dimension;
            double fx = 0, fy = 0, fz = 0;
            for (int l = 0; l <= lMax; l++) {
                int m0 = l * l, m1 = (l + 1) * (l + 1);
                int k = 0;
                for (; k + 1 < channels; k += 2) {
                    int ca = k * lm, cb = ca + lm;
                    double y0 = 0, x0 = 0, yy0 = 0, z0 = 0, y1 = 0, x1 = 0, yy1 = 0, z1 = 0;
                    for (int m = m0; m < m1; m++) {
                        double ym = ylm[yo + m];
                        double dx = dylm[go + 3 * m], dy = dylm[go + 3 * m + 1], dz = dylm[go + 3 * m + 2];
                        double c0 = ct[ca + m], c1 = ct[cb + m];
                        y0 += c0 * ym;
                        x0 += c0 * dx;
                        yy0 += c0 * dy;
                        z0 += c0 * dz;
                        y1 += c1 * ym;
                        x1 += c1 * dx;
                        yy1 += c1 * dy;
                        z1 += c1 * dz;
                    }
                    cy[k] = y0;
                    cdx[k] = x0;
                    cdy[k] = yy0;
                    cdz[k] = z0;
                    cy[k + 1] = y1;
                    cdx[k + 1] = x1;
                    cdy[k + 1] = yy1;
                    cdz[k + 1] = z1;
                }
                if (k < channels) {
                    int ca = k * lm;
                    double y0 = 0, x0 = 0, yy0 = 0, z0 = 0;
                    for (int m = m0; m < m1; m++) {
                        double c0 = ct[ca + m];
                        y0 += c0 * ylm[yo + m];
                        x0 += c0 * dylm[go + 3 * m];
                        yy0 += c0 * dylm[go + 3 * m + 1];
                        z0 += c0 * dylm[go + 3 * m + 2];
                    }
                    cy[k] = y0;
                    cdx[k] = x0;
                    cdy[k] = yy0;
                    cdz[k] = z0;
                }
                int rl = nb * nr + l * nMax;
                double scale = SQRT2 * invSqrt2lp1[l] * inv;
                for (int q = 0; q < nMax; q++) {
                    rv[cs + q] = scale * rad[rl + q];
                    dv[cs + q] = scale * drad[rl + q];
                }
                int o = l;
                for (int a = 0; a < channels; a++) {
                    double ra = rv[a], da = dv[a];
                    double cya = cy[a], cxa = cdx[a], cyya = cdy[a], cza = cdz[a];
                    for (int b = 0; b < a; b++) {
                        double u = da * cy[b] + dv[b] * cya;
                        double rb = rv[b];
                        double gx = ux * u + ra * cdx[b] + rb * cxa;
                        double gy = uy * u + ra * cdy[b] + rb * cyya;
                        double gz = uz * u + ra * cdz[b] + rb * cza;
                        gxs[o] = gx;
                        gys[o] = gy;
                        gzs[o] = gz;
                        double po = pw[o];
                        fx += po * gx;
                        fy += po * gy;
                        fz += po * gz;
                        o += stride;
                    }
                    double u = SQRT2 * da * cya;
                    double r2 = SQRT2 * ra;
                    double gx = ux * u + r2 * cxa;
                    double gy = uy * u + r2 * cyya;
                    double gz = uz * u + r2 * cza;
                    gxs[o] = gx;
                    gys[o] = gy;
                    gzs[o] = gz;
                    double po = pw[o];
                    fx += po * gx;
                    fy += po * gy;
                    fz += po * gz;
                    o += stride;
                }
                Arrays.fill(rv, cs, cs + nMax, 0);
                Arrays.fill(dv, cs, cs + nMax, 0);
            }
            normalise(gxs, pw, normalise ? fx * inv2 : 0, sx, n);
            normalise(gys, pw, normalise ? fy * inv2 : 0, sy, n);
            normalise(gzs, pw, normalise ? fz * inv2 : 0, sz, n);
            System.arraycopy(gxs, 0, grad, rowx, n);
            System.arraycopy(gys, 0, grad, rowy, n);
            System.arraycopy(gzs, 0, grad, rowz, n);
            grad[rowx + n] = 0;
            grad[rowy + n] = 0;
            grad[rowz + n] = 0;
        }
        int centre = 3 * e0 * dimension;
        for (int k = 0; k < 3; k++) {
            double[] sk = k == 0 ? sx : k == 1 ? sy : sz;
            int row = centre + k * dimension;
            for (int q = 0; q < n; q++) {
                grad[row + q] = -sk[q];
            }
            grad[row + n] = 0;
        }
    }

    /**
     * Normalises one direction's gradient in place: given g' = g/|p| (the raw gradient g already divided by |p|)
     * and f = (p·g')/|p|², forms g/|p| − p (p·g)/|p|³ = g' − p f, and adds the result to {@code sum}. Every
     * array is indexed from 0 with the same index, which lets the JIT vectorise the loop (it does not when one
     * array is offset: they might alias).
     */
    private static void normalise(double[] g, double[] p, double f, double[] sum, int n) {
        for (int q = 0; q < n; q++) {
            double v = g[q] - p[q] * f;
            g[q] = v;
            sum[q] += v;
        }
    }
}
