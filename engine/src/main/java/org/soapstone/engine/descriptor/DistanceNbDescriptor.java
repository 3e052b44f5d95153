package org.soapstone.engine.descriptor;

import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Structure;

/**
 * QUIP's {@code distance_Nb} descriptor with compact clusters ({@code distance_Nb_calc} and
 * {@code distance_Nb_calc_neighbour_loop} in GAP's {@code descriptors.f95}, {@code compact_clusters=T}, the default
 * since GAP 2020): one instance per centre atom c and set of order − 1 distinct neighbour entries of c (atom and
 * image) no farther than r_c, whose species are those of {@code Z} (unless {@code Z} holds a 0). Each cluster is
 * listed once, from its centre. The cluster's atoms are the centre, then the neighbours ordered by (species, atom,
 * image); the vector is the distances of every pair (a &lt; b) of them in that order, (r_12, r_13, …, r_23, …) in
 * Å — for order 3: (r_cj, r_ck, r_jk). The cutoff weight is Π_b f_c(r_cb) over the neighbours (the cosine cutoff of
 * width {@code cutoff_transition_width}), and the energy is shared equally between the cluster's order atoms (QUIP's
 * {@code ci}). Gradient entries: the centre, then each neighbour with its offset r_b − r_c; ∂r_ab/∂r_b = u_ab,
 * ∂r_ab/∂r_a = −u_ab. The kernel is made invariant to relabelling equal species by {@link
 * DistanceNbParameters#permutations()}.
 *
 * <p>Instances come centre by centre, then in the order of their neighbour sets over the centre's neighbours sorted
 * by (species, atom, image); QUIP sorts the clusters of a structure by (atom, image) of their atoms, which is the
 * same order for a single species.
 */
public final class DistanceNbDescriptor implements Descriptor {
    private final DistanceNbParameters params;
    private final int order;
    private final int dimension;
    private final int[] species;
    private final CosineCutoff cutoffFunction;

    /** @param params the validated parameters */
    public DistanceNbDescriptor(DistanceNbParameters params) {
        this.params = params;
        this.order = params.order();
        this.dimension = params.dimension();
        this.species = params.species();
        this.cutoffFunction = new CosineCutoff(params.cutoff(), params.cutoffTransitionWidth());
    }

    /** @return the parameters */
    public DistanceNbParameters parameters() {
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

    /** One thread's scratch: the centre's candidate neighbours and the chosen positions. */
    private static final class Workspace {
        final DistanceNbDescriptor owner;
        int[] candidates = new int[64];
        final int[] chosen;
        final int[] remaining;
        final double[] offsets;
        final double[] fc;
        final double[] dfc;

        Workspace(DistanceNbDescriptor owner) {
            this.owner = owner;
            chosen = new int[owner.order];
            remaining = new int[owner.order];
            offsets = new double[3 * owner.order];
            fc = new double[owner.order];
            dfc = new double[owner.order];
        }
    }

    @Override
    public DescriptorOutput newOutput() {
        return new DescriptorOutput(dimension, order, new Workspace(this));
    }

    @Override
    public void compute(Structure structure, NeighbourList neighbours, int fromAtom, int toAtom, boolean gradients,
            DescriptorOutput out) {
        if (out.dimension() != dimension || !(out.workspace instanceof Workspace w) || w.owner != this) {
            throw new IllegalArgumentException("output was not made by this descriptor's newOutput()");
        }
        FullList.require("distance_Nb", neighbours, params.cutoff());
        out.reset(gradients);
        int[] z = structure.numbers();
        double rc = params.cutoff();
        boolean any = params.anySpecies();
        for (int c = fromAtom; c < toAtom; c++) {
            if (!any && !take(z[c], w.remaining, true)) {
                continue;
            }
            int n = candidates(neighbours, c, rc, z, w);
            if (!any) {
                take(z[c], w.remaining, false);
            }
            clusters(structure, neighbours, c, n, 0, 0, gradients, out, w, any, z);
        }
    }

    /**
     * Resets {@code remaining} to the species of {@code Z} with one of species zc removed.
     *
     * @param check only report whether zc is among them, leaving {@code remaining} as it was
     * @return whether zc is among the species
     */
    private boolean take(int zc, int[] remaining, boolean check) {
        for (int a = 0; a < order; a++) {
            if (species[a] == zc) {
                if (!check) {
                    System.arraycopy(species, 0, remaining, 0, order);
                    remaining[a] = -1;
                }
                return true;
            }
        }
        return false;
    }

    /** Fills the workspace with the pairs of centre c no farther than r_c, sorted by (species, atom, image). */
    private static int candidates(NeighbourList nl, int c, double rc, int[] z, Workspace w) {
        int n = 0;
        for (int p = nl.first[c]; p < nl.first[c + 1]; p++) {
            if (nl.distance[p] > rc) {
                continue;
            }
            if (n == w.candidates.length) {
                w.candidates = java.util.Arrays.copyOf(w.candidates, 2 * n);
            }
            // insertion by species keeps the list's (atom, image) order within a species
            int zp = z[nl.neighbour[p]];
            int at = n++;
            while (at > 0 && z[nl.neighbour[w.candidates[at - 1]]] > zp) {
                w.candidates[at] = w.candidates[at - 1];
                at--;
            }
            w.candidates[at] = p;
        }
        return n;
    }

    /** Chooses position {@code level} (1-based within the cluster) among candidates from {@code from} on. */
    private void clusters(Structure s, NeighbourList nl, int c, int n, int level, int from, boolean gradients,
            DescriptorOutput out, Workspace w, boolean any, int[] z) {
        if (level == order - 1) {
            emit(s, nl, c, gradients, out, w);
            return;
        }
        for (int q = from; q < n; q++) {
            int p = w.candidates[q];
            int slot = -1;
            if (!any) {
                int zq = z[nl.neighbour[p]];
                for (int a = 0; a < order; a++) {
                    if (w.remaining[a] == zq) {
                        slot = a;
                        break;
                    }
                }
                if (slot < 0) {
                    continue;
                }
                w.remaining[slot] = -1;
            }
            w.chosen[level + 1] = p;
            clusters(s, nl, c, n, level + 1, q + 1, gradients, out, w, any, z);
            if (slot >= 0) {
                w.remaining[slot] = species[slot];
            }
        }
    }

    /** Adds the cluster of centre c and the chosen pairs {@code w.chosen[1 .. order)}. */
    private void emit(Structure s, NeighbourList nl, int c, boolean gradients, DescriptorOutput out, Workspace w) {
        double[] off = w.offsets;
        off[0] = 0;
        off[1] = 0;
        off[2] = 0;
        double weight = 1;
        for (int b = 1; b < order; b++) {
            int p = w.chosen[b];
            off[3 * b] = nl.vector[3 * p];
            off[3 * b + 1] = nl.vector[3 * p + 1];
            off[3 * b + 2] = nl.vector[3 * p + 2];
            double r = nl.distance[p];
            w.fc[b] = cutoffFunction.value(r);
            w.dfc[b] = cutoffFunction.derivative(r);
            weight *= w.fc[b];
        }
        int inst = out.add(c, order);
        for (int b = 1; b < order; b++) {
            out.setEnergyAtom(inst, b, nl.neighbour[w.chosen[b]]);
        }
        out.setCutoffWeight(inst, weight);
        double[] v = out.values();
        int e0 = gradients ? out.gradientStart(inst) : 0;
        if (gradients) {
            out.setEntry(e0, c, 0, 0, 0);
            for (int b = 1; b < order; b++) {
                out.setEntry(e0 + b, nl.neighbour[w.chosen[b]], off[3 * b], off[3 * b + 1], off[3 * b + 2]);
            }
            double[] g = out.gradients();
            java.util.Arrays.fill(g, 3 * e0 * dimension, 3 * (e0 + order) * dimension, 0);
        }
        int k = 0;
        for (int a = 0; a < order; a++) {
            for (int b = a + 1; b < order; b++, k++) {
                double d0 = off[3 * b] - off[3 * a];
                double d1 = off[3 * b + 1] - off[3 * a + 1];
                double d2 = off[3 * b + 2] - off[3 * a + 2];
                double r = a == 0 ? nl.distance[w.chosen[b]] : Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2);
                v[inst * dimension + k] = r;
                if (!gradients) {
                    continue;
                }
                double[] g = out.gradients();
                for (int x = 0; x < 3; x++) {
                    double u = (x == 0 ? d0 : x == 1 ? d1 : d2) / r;
                    g[(3 * (e0 + b) + x) * dimension + k] = u;
                    g[(3 * (e0 + a) + x) * dimension + k] = -u;
                }
            }
        }
        if (!gradients) {
            return;
        }
        double[] wg = out.cutoffWeightGradients();
        for (int b = 1; b < order; b++) {
            double others = 1;
            for (int o = 1; o < order; o++) {
                if (o != b) {
                    others *= w.fc[o];
                }
            }
            double r = nl.distance[w.chosen[b]];
            for (int x = 0; x < 3; x++) {
                double dw = w.dfc[b] * (off[3 * b + x] / r) * others;
                wg[3 * (e0 + b) + x] = dw;
                wg[3 * e0 + x] -= dw;
            }
        }
    }
}
