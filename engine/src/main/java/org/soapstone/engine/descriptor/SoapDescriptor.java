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
        /** raw power spectrum (without the σ0 component). */
        final double[] power = new double[dimension - 1];
        /** Y_lm and ∂Y_lm/∂d (x, y, z interleaved) of the current neighbour. */
        final double[] y1 = new double[lm];
        final double[] dy1 = new double[3 * lm];
        /** Σ over neighbours of the normalised gradient (x, y, z), output order, for the centre. */
        final double[] sumx = new double[dimension - 1];
        final double[] sumy = new double[dimension - 1];
        final double[] sumz = new double[dimension - 1];
        /**
         * Structure of arrays over the neighbours within the cutoff (index nb, the fastest, stride {@code cap}):
         * Y_lm and ∂Y_lm/∂d at [lm·cap + nb]; f_c R_nl and d(f_c R_nl)/dr spread over the K channels (zero
         * outside the neighbour's species) at [(l·K + k)·cap + nb]; r̂ at [nb] per direction; for the current l,
         * Σ_m c_{lm,k} Y_lm and Σ_m c_{lm,k} ∂Y_lm/∂d at [k·cap + nb]; the raw gradient of component q in
         * direction x, y, z at [(dir·(D−1) + q)·cap + nb]; the normalisation factor (p·g)/|p|³ at [dir·cap + nb].
         */
        int cap;
        double[] ys = new double[0], dxs = new double[0], dys = new double[0], dzs = new double[0];
        double[] rad = new double[0], drad = new double[0];
        double[] ux = new double[0], uy = new double[0], uz = new double[0];
        double[] cy = new double[0], cdx = new double[0], cdy = new double[0], cdz = new double[0];
        double[] g = new double[0];
        double[] f = new double[0];

        /** Makes room for {@code neighbours} neighbours' data. */
        void ensure(int neighbours) {
            if (cap < neighbours) {
                cap = Math.max(neighbours, 2 * cap);
                ys = new double[cap * lm];
                dxs = new double[cap * lm];
                dys = new double[cap * lm];
                dzs = new double[cap * lm];
                rad = new double[cap * (lMax + 1) * channels];
                drad = new double[cap * (lMax + 1) * channels];
                ux = new double[cap];
                uy = new double[cap];
                uz = new double[cap];
                cy = new double[cap * channels];
                cdx = new double[cap * channels];
                cdy = new double[cap * channels];
                cdz = new double[cap * channels];
                g = new double[cap * 3 * (dimension - 1)];
                f = new double[cap * 3];
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
        if (gradients && nSpecies > 1) {
            Arrays.fill(w.rad, 0);
            Arrays.fill(w.drad, 0);
        }
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
            double[] y = w.y1, dy = w.dy1;
            w.harmonics.compute(dx, dy0, dz, y, 0, gradients ? dy : null, 0);
            int cs = s * nMax;
            for (int l = 0; l <= lMax; l++) {
                int rl = l * nMax;
                for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                    double ym = fc * y[m];
                    int base = m * channels + cs;
                    for (int n = 0; n < nMax; n++) {
                        coeff[base + n] += radial[rl + n] * ym;
                    }
                }
            }
            if (gradients) {
                e++;
                out.setEntry(e, j, dx, dy0, dz);
                int cap = w.cap;
                double inv = 1 / r;
                w.ux[nb] = dx * inv;
                w.uy[nb] = dy0 * inv;
                w.uz[nb] = dz * inv;
                for (int m = 0; m < lm; m++) {
                    w.ys[m * cap + nb] = y[m];
                    w.dxs[m * cap + nb] = dy[3 * m];
                    w.dys[m * cap + nb] = dy[3 * m + 1];
                    w.dzs[m * cap + nb] = dy[3 * m + 2];
                }
                for (int l = 0; l <= lMax; l++) {
                    int o = (l * channels + cs) * cap + nb;
                    for (int n = 0; n < nMax; n++) {
                        w.rad[o + n * cap] = fc * radial[l * nMax + n];
                        w.drad[o + n * cap] = fc * dradial[l * nMax + n] + dfc * radial[l * nMax + n];
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
     * Σ_m c_{lm,b} ∇Y_lm (small matrix products per l over all neighbours at once); the radial-derivative term,
     * common to x, y and z up to the factor r̂, is formed once per (a, b). Every loop but the final transposition
     * into the output rows runs over the neighbours, contiguous (structure of arrays), so the JIT vectorises it.
     * The centre's rows are minus the sum of the neighbours' (the normalisation is linear in the raw gradient).
     */
    private void gradients(Workspace w, DescriptorOutput out, int inst, int count) {
        double[] c = w.coeff;
        double[] pw = w.power;
        double[] cy = w.cy, cdx = w.cdx, cdy = w.cdy, cdz = w.cdz;
        double[] ys = w.ys, dxs = w.dxs, dys = w.dys, dzs = w.dzs, rad = w.rad, drad = w.drad;
        double[] ux = w.ux, uy = w.uy, uz = w.uz;
        double[] g = w.g;
        double[] grad = out.gradients();
        int cap = w.cap;
        int n = dimension - 1;
        int stride = lMax + 1;
        int gy0 = n * cap, gz0 = 2 * n * cap;
        for (int l = 0; l <= lMax; l++) {
            Arrays.fill(cy, 0, channels * cap, 0);
            Arrays.fill(cdx, 0, channels * cap, 0);
            Arrays.fill(cdy, 0, channels * cap, 0);
            Arrays.fill(cdz, 0, channels * cap, 0);
            for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                int mo = m * cap;
                for (int a = 0; a < channels; a++) {
                    double ca = c[m * channels + a];
                    int ao = a * cap;
                    for (int nb = 0; nb < count; nb++) {
                        cy[ao + nb] += ca * ys[mo + nb];
                        cdx[ao + nb] += ca * dxs[mo + nb];
                        cdy[ao + nb] += ca * dys[mo + nb];
                        cdz[ao + nb] += ca * dzs[mo + nb];
                    }
                }
            }
            double t2 = 2 * invSqrt2lp1[l];
            double ts = SQRT2 * invSqrt2lp1[l];
            int pair = 0;
            for (int a = 0; a < channels; a++) {
                int ra = (l * channels + a) * cap, ao = a * cap;
                for (int b = 0; b < a; b++, pair++) {
                    int rb = (l * channels + b) * cap, bo = b * cap;
                    int go = (pair * stride + l) * cap;
                    for (int nb = 0; nb < count; nb++) {
                        double u = drad[ra + nb] * cy[bo + nb] + drad[rb + nb] * cy[ao + nb];
                        double rA = rad[ra + nb], rB = rad[rb + nb];
                        g[go + nb] = ts * (ux[nb] * u + rA * cdx[bo + nb] + rB * cdx[ao + nb]);
                        g[gy0 + go + nb] = ts * (uy[nb] * u + rA * cdy[bo + nb] + rB * cdy[ao + nb]);
                        g[gz0 + go + nb] = ts * (uz[nb] * u + rA * cdz[bo + nb] + rB * cdz[ao + nb]);
                    }
                }
                int go = (pair * stride + l) * cap;
                for (int nb = 0; nb < count; nb++) {
                    double u = t2 * drad[ra + nb] * cy[ao + nb];
                    double rA = t2 * rad[ra + nb];
                    g[go + nb] = ux[nb] * u + rA * cdx[ao + nb];
                    g[gy0 + go + nb] = uy[nb] * u + rA * cdy[ao + nb];
                    g[gz0 + go + nb] = uz[nb] * u + rA * cdz[ao + nb];
                }
                pair++;
            }
        }
        normalise(w, out, inst, count);
    }

    /**
     * Writes the normalised gradients g/|p| − p (p·g)/|p|³ of every neighbour from the structure-of-arrays
     * scratch into the output rows, and the centre's as minus their sum.
     */
    private void normalise(Workspace w, DescriptorOutput out, int inst, int count) {
        double[] pw = w.power;
        double[] g = w.g, f = w.f;
        double[] grad = out.gradients();
        int cap = w.cap;
        int n = dimension - 1;
        boolean normalise = params.normalise();
        double inv = normalise ? 1 / norm(pw, n) : 1;
        double inv3 = inv * inv * inv;
        int e0 = out.gradientStart(inst);
        Arrays.fill(f, 0, 3 * cap, 0);
        if (normalise) {
            for (int dir = 0; dir < 3; dir++) {
                int fo = dir * cap;
                for (int q = 0; q < n; q++) {
                    double p = pw[q] * inv3;
                    int go = (dir * n + q) * cap;
                    for (int nb = 0; nb < count; nb++) {
                        f[fo + nb] += p * g[go + nb];
                    }
                }
            }
        }
        int first = 3 * (e0 + 1) * dimension;
        int rowStride = 3 * dimension;
        for (int dir = 0; dir < 3; dir++) {
            int fo = dir * cap;
            int row0 = first + dir * dimension;
            for (int q = 0; q < n; q++) {
                double p = pw[q];
                int go = (dir * n + q) * cap;
                int o = row0 + q;
                for (int nb = 0; nb < count; nb++, o += rowStride) {
                    grad[o] = g[go + nb] * inv - p * f[fo + nb];
                }
            }
        }
        double[] sx = w.sumx, sy = w.sumy, sz = w.sumz;
        Arrays.fill(sx, 0);
        Arrays.fill(sy, 0);
        Arrays.fill(sz, 0);
        for (int nb = 0; nb < count; nb++) {
            int row = first + nb * rowStride;
            accumulate(sx, grad, row, n);
            accumulate(sy, grad, row + dimension, n);
            accumulate(sz, grad, row + 2 * dimension, n);
            grad[row + n] = 0;
            grad[row + dimension + n] = 0;
            grad[row + 2 * dimension + n] = 0;
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

    /** sum[q] += x[xo + q], q &lt; n. */
    private static void accumulate(double[] sum, double[] x, int xo, int n) {
        for (int q = 0; q < n; q++) {
            sum[q] += x[xo + q];
        }
    }
}
