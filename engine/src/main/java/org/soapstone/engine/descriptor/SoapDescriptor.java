package org.soapstone.engine.descriptor;

import java.util.Arrays;
import org.soapstone.engine.calculator.ForceTally;
import org.soapstone.engine.neighbour.NeighbourList;
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
 * Structure (featomic's): the {@link SphericalExpansion} of each centre's density, then its {@link PowerSpectrum}
 * (or, with {@code Z_mix}, {@code R_mix}, {@code sym_mix}, {@code coupling=F} or {@code K}, the
 * {@link CompressedPowerSpectrum}); this class selects the centres and lays out the instances and gradient entries.
 * With {@code average=T} there is one instance per structure (QUIP's global SOAP: the spectrum of the centres'
 * summed coefficients), whose gradient entries are each centre's entries in turn.
 * Performance: the radial functions R_nl are tabulated ({@link RadialSpline}, error below 10⁻¹⁰ of max |R_nl|),
 * and the hot loops use the JDK's incubating Vector API (the JVM needs {@code --add-modules jdk.incubator.vector}).
 * Determinism: every vector lane computes its own component with lane-wise {@code mul}, {@code add} and {@code fma}
 * (IEEE-exact, whether the JIT has compiled the code or not) and no sum runs across lanes, so values and gradients
 * are the same bit for bit in any JVM and at any vector width.
 * Deviations: a neighbour whose species is not in {@code species_Z} is an error here (QUIP silently leaves it
 * out); only {@code nu_R=nu_S=2}, no {@code Z_map} and no {@code diagonal_radial} are supported, and the
 * (2l+1)^{−1/2} factor is always applied (QUIP omits it for models older than GAP version 1423143769) — the parser
 * rejects the rest.
 */
public final class SoapDescriptor implements Descriptor {
    /**
     * A {@link #compute} of at most this many instances keeps their expansions — coefficients and neighbour factors
     * — for the reverse mode ({@link #tallyGradients}); a larger one keeps nothing (they would outgrow the caches).
     */
    public static final int KEPT_INSTANCES = 64;
    private final SoapParameters params;
    private final SphericalExpansion expansion;
    private final SoapSpectrum spectrum;
    private final int dimension;
    private final boolean average;
    private final boolean anyCentre;
    private final boolean[] isCentre = new boolean[119];

    /** @param params the validated parameters */
    public SoapDescriptor(SoapParameters params) {
        this.params = params;
        expansion = new SphericalExpansion(params);
        spectrum = params.spectrum().compression().standard() ? new PowerSpectrum(params, expansion)
                : new CompressedPowerSpectrum(params, expansion);
        dimension = spectrum.dimension();
        average = params.spectrum().average();
        int[] centres = params.species().centres();
        anyCentre = centres.length == 1 && centres[0] == 0;
        for (int z : centres) {
            isCentre[z] = true;
        }
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
    public boolean perStructure() {
        return average;
    }

    @Override
    public DescriptorOutput newOutput() {
        return new DescriptorOutput(dimension, new Workspace());
    }

    /**
     * Per-thread scratch: the expansions of the last {@link #compute}'s first {@link #KEPT_INSTANCES} instances
     * (coefficients and neighbour factors, for the reverse mode), one more for the rest (all with one scratch), the
     * spectrum's evaluation, and the summed coefficients.
     */
    private final class Workspace {
        final SphericalExpansion.Neighbourhood neighbourhood = expansion.newNeighbourhood();
        final SoapSpectrum.Evaluation evaluation = spectrum.newEvaluation();
        final double[] total = new double[neighbourhood.coeff.length];
        /** ∂ε/∂c of one centre (the reverse mode). */
        final double[] dc = new double[neighbourhood.coeff.length];
        /** Instance i's expansion (i &lt; {@link #KEPT_INSTANCES}), made on first use, and its |p|. */
        SphericalExpansion.Neighbourhood[] kept = new SphericalExpansion.Neighbourhood[0];
        double[] keptNorm = new double[0];
        /** The structure, list and centres the last compute kept its instances for (null structure: none). */
        Structure keptStructure;
        NeighbourList keptList;
        int keptFrom;
        int keptTo;

        /** @return where instance i's expansion goes: its own if i is kept, else the shared one */
        SphericalExpansion.Neighbourhood expansionOf(int i) {
            if (i >= KEPT_INSTANCES) {
                return neighbourhood;
            }
            if (kept.length <= i) {
                int size = Math.min(KEPT_INSTANCES, Math.max(16, 2 * (i + 1)));
                kept = Arrays.copyOf(kept, size);
                keptNorm = Arrays.copyOf(keptNorm, size);
            }
            if (kept[i] == null) {
                kept[i] = expansion.newNeighbourhood(neighbourhood);
            }
            return kept[i];
        }

        /** @return whether the last compute kept the centres [from, to) of this structure and list */
        boolean keeps(Structure structure, NeighbourList list, int from, int to) {
            return keptStructure == structure && keptList == list && keptFrom <= from && to <= keptTo;
        }
    }

    @Override
    public void compute(Structure structure, NeighbourList neighbours, int fromAtom, int toAtom, boolean gradients,
            DescriptorOutput out) {
        Workspace w = workspace(out);
        checkList(neighbours, structure);
        out.reset(gradients);
        w.keptStructure = null;
        if (average) {
            computeAverage(structure, neighbours, fromAtom, toAtom, gradients, out, w);
            return;
        }
        int[] z = structure.numbers();
        for (int i = fromAtom; i < toAtom; i++) {
            if (!anyCentre && !isCentre[z[i]]) {
                continue;
            }
            int inst = out.count();
            SphericalExpansion.Neighbourhood n = w.expansionOf(inst);
            expansion.expand(structure, neighbours, i, gradients, n);
            out.add(i, 1 + n.count);
            w.evaluation.values(n, out.values(), inst * dimension);
            if (inst < KEPT_INSTANCES) {
                w.keptNorm[inst] = w.evaluation.norm();
            }
            if (gradients) {
                int e0 = out.gradientStart(inst);
                setEntries(out, e0, n);
                w.evaluation.gradients(n, out.gradients(), 3 * e0 * dimension);
            }
        }
        w.keptStructure = out.count() <= KEPT_INSTANCES ? structure : null;
        w.keptList = neighbours;
        w.keptFrom = fromAtom;
        w.keptTo = toAtom;
    }

    /**
     * {@inheritDoc} Reverse mode, centre by centre: ∂ε/∂x back through the spectrum to ∂ε/∂c_{lm,k}
     * ({@link SoapSpectrum.Evaluation#coefficientGradient}), then through each neighbour's expansion derivative
     * ({@link SphericalExpansion#tallyGradients}) — ∂x/∂r is never formed. The cutoff weight is 1. The centres'
     * expansions, vectors and norms come from {@code values} if its last computation kept them for these
     * centres, structure and list ({@link #KEPT_INSTANCES}), else they are computed again, centre by centre. With
     * {@code average=T}, the forward way.
     */
    @Override
    public int tallyGradients(Structure structure, NeighbourList neighbours, int fromAtom, int toAtom,
            double[] epsilon, int first, double[] dEpsilon, DescriptorOutput values, DescriptorOutput out,
            ForceTally tally) {
        if (average) {
            return Descriptor.tallyForward(this, structure, neighbours, fromAtom, toAtom, epsilon, first, dEpsilon,
                    out, tally);
        }
        checkList(neighbours, structure);
        Workspace kept = values == null ? null : workspace(values);
        if (kept != null && kept.keeps(structure, neighbours, fromAtom, toAtom)) {
            return reverse(fromAtom, toAtom, first, dEpsilon, values, kept, tally);
        }
        // nothing kept: each centre's values (without gradients) into out, then as above
        int count = 0;
        for (int i = fromAtom; i < toAtom; i++) {
            compute(structure, neighbours, i, i + 1, false, out);
            count += reverse(i, i + 1, first + count, dEpsilon, out, workspace(out), tally);
        }
        return count;
    }

    /** The reverse mode over the instances of {@code values} (kept in {@code kept}) whose centres lie in [from, to). */
    private int reverse(int fromAtom, int toAtom, int first, double[] dEpsilon, DescriptorOutput values,
            Workspace kept, ForceTally tally) {
        int i = 0;
        while (i < values.count() && values.centre(i) < fromAtom) {
            i++;
        }
        int count = 0;
        for (; i < values.count() && values.centre(i) < toAtom; i++, count++) {
            SphericalExpansion.Neighbourhood n = kept.kept[i];
            kept.evaluation.coefficientGradient(n.coeff, 0, values.values(), i * dimension, kept.keptNorm[i], dEpsilon,
                    (first + count) * dimension, kept.dc);
            expansion.tallyGradients(n, kept.dc, tally);
        }
        return count;
    }

    private static void setEntries(DescriptorOutput out, int e0, SphericalExpansion.Neighbourhood n) {
        out.setEntry(e0, n.centre, 0, 0, 0);
        for (int nb = 0; nb < n.count; nb++) {
            out.setEntry(e0 + 1 + nb, n.atom[nb], n.dx[nb], n.dy[nb], n.dz[nb]);
        }
    }

    /**
     * QUIP's global SOAP ({@code average=T}): one instance, the spectrum of the coefficients summed over the
     * centres in [fromAtom, toAtom) (in atom order), with the first centre as its centre. Its gradient entries are
     * each centre's (itself, then its neighbours within r_c), centre by centre: ∂x/∂r_j through centre i's
     * expansion, the centre's entry minus the sum of its neighbours'. No centre: no instance.
     */
    private void computeAverage(Structure structure, NeighbourList neighbours, int fromAtom, int toAtom,
            boolean gradients, DescriptorOutput out, Workspace w) {
        int[] z = structure.numbers();
        SphericalExpansion.Neighbourhood n = w.neighbourhood;
        Arrays.fill(w.total, 0);
        int first = -1;
        int entries = 0;
        for (int i = fromAtom; i < toAtom; i++) {
            if (!anyCentre && !isCentre[z[i]]) {
                continue;
            }
            expansion.expand(structure, neighbours, i, false, n);
            for (int k = 0; k < w.total.length; k++) {
                w.total[k] += n.coeff[k];
            }
            first = first < 0 ? i : first;
            entries += 1 + n.count;
        }
        if (first < 0) {
            return;
        }
        int inst = out.add(first, entries);
        System.arraycopy(w.total, 0, n.coeff, 0, w.total.length);
        w.evaluation.values(n, out.values(), inst * dimension);
        if (!gradients) {
            return;
        }
        int e = out.gradientStart(inst);
        for (int i = fromAtom; i < toAtom; i++) {
            if (!anyCentre && !isCentre[z[i]]) {
                continue;
            }
            expansion.expand(structure, neighbours, i, true, n);
            System.arraycopy(w.total, 0, n.coeff, 0, w.total.length);
            setEntries(out, e, n);
            w.evaluation.gradients(n, out.gradients(), 3 * e * dimension);
            e += 1 + n.count;
        }
    }

    private Workspace workspace(DescriptorOutput out) {
        if (!(out.workspace instanceof Workspace w) || out.dimension() != dimension) {
            throw new IllegalArgumentException("output was not made by this descriptor's newOutput()");
        }
        return w;
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
}
