package org.soapstone.engine.descriptor;

import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Cell;
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
 * <p>Instances come in QUIP's order, whatever the order of the neighbour list: QUIP lists each cluster as its
 * centre followed by its neighbours sorted by (species, atom, image), then sorts the clusters of a structure by
 * (atom, image) of those atoms in turn (a heap sort of the integer table, {@code distance_Nb_calc_neighbour_loop}),
 * so centre by centre, then by (atom, image) of the first neighbour, of the second, …; images compare as integer
 * lattice translations, lexicographically. gap_fit numbers the candidates of its sparse points in this order.
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

    /** One thread's scratch: the centre's candidate neighbours, the chosen positions and the centre's clusters. */
    private static final class Workspace {
        final DistanceNbDescriptor owner;
        int[] candidates = new int[64];
        /** The centre's clusters as their order − 1 chosen pairs, cluster after cluster. */
        int[] clusters = new int[256];
        int clusterCount;
        /** Cluster indices in QUIP's order, and a merge sort's scratch. */
        int[] sorted = new int[64];
        int[] scratch = new int[64];
        final int[] chosen;
        final int[] remaining;
        /** The cluster's atoms, their images (3 each) and, per pair (a &lt; b), d_ab (3 each, Å) and r_ab (Å). */
        final int[] atoms;
        final int[] images;
        final double[] differences;
        final double[] distances;
        final double[] fc;
        final double[] dfc;

        Workspace(DistanceNbDescriptor owner) {
            this.owner = owner;
            chosen = new int[owner.order];
            remaining = new int[owner.order];
            atoms = new int[owner.order];
            images = new int[3 * owner.order];
            differences = new double[3 * owner.dimension];
            distances = new double[owner.dimension];
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
            w.clusterCount = 0;
            clusters(neighbours, n, 0, 0, w, any, z);
            // candidates whose (species, atom, image) order is their (atom, image) order (one species, say) give
            // their clusters in QUIP's order already
            boolean inOrder = inAtomOrder(neighbours, n, w);
            if (!inOrder) {
                sortClusters(neighbours, w);
            }
            for (int q = 0; q < w.clusterCount; q++) {
                System.arraycopy(w.clusters, (inOrder ? q : w.sorted[q]) * (order - 1), w.chosen, 1, order - 1);
                emit(structure, neighbours, c, gradients, out, w);
            }
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
            int at = n++;
            while (at > 0 && compareBySpecies(nl, z, w.candidates[at - 1], p) > 0) {
                w.candidates[at] = w.candidates[at - 1];
                at--;
            }
            w.candidates[at] = p;
        }
        return n;
    }

    /** @return whether the first n candidates are in (atom, image) order too */
    private static boolean inAtomOrder(NeighbourList nl, int n, Workspace w) {
        for (int q = 1; q < n; q++) {
            if (compare(nl, w.candidates[q - 1], w.candidates[q]) > 0) {
                return false;
            }
        }
        return true;
    }

    /** Orders pairs p and q of one centre by the species of their atoms, then {@link #compare}. */
    private static int compareBySpecies(NeighbourList nl, int[] z, int p, int q) {
        int c = Integer.compare(z[nl.neighbour[p]], z[nl.neighbour[q]]);
        return c != 0 ? c : compare(nl, p, q);
    }

    /** Orders pairs p and q of one centre by their atom, then their image (lexicographically). */
    private static int compare(NeighbourList nl, int p, int q) {
        int c = Integer.compare(nl.neighbour[p], nl.neighbour[q]);
        for (int k = 0; c == 0 && k < 3; k++) {
            c = Integer.compare(nl.image[3 * p + k], nl.image[3 * q + k]);
        }
        return c;
    }

    /** Orders clusters a and b by (atom, image) of their chosen pairs in turn. */
    private int compareClusters(NeighbourList nl, int[] clusters, int a, int b) {
        int m = order - 1;
        for (int k = 0; k < m; k++) {
            int c = compare(nl, clusters[a * m + k], clusters[b * m + k]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Puts the indices of the centre's clusters in QUIP's order into {@code w.sorted} (a stable merge sort). */
    private void sortClusters(NeighbourList nl, Workspace w) {
        int n = w.clusterCount;
        if (w.sorted.length < n) {
            w.sorted = new int[Math.max(n, 2 * w.sorted.length)];
            w.scratch = new int[w.sorted.length];
        }
        int[] a = w.sorted;
        int[] b = w.scratch;
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                for (int k = lo; k < hi; k++) {
                    b[k] = j >= hi || i < mid && compareClusters(nl, w.clusters, a[i], a[j]) <= 0 ? a[i++] : a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        w.sorted = a;
        w.scratch = b;
    }

    /**
     * Chooses position {@code level} (1-based within the cluster) among candidates from {@code from} on; a complete
     * choice is appended to the workspace's clusters.
     */
    private void clusters(NeighbourList nl, int n, int level, int from, Workspace w, boolean any, int[] z) {
        if (level == order - 1) {
            int m = order - 1;
            if ((w.clusterCount + 1) * m > w.clusters.length) {
                w.clusters = java.util.Arrays.copyOf(w.clusters, 2 * w.clusters.length);
            }
            System.arraycopy(w.chosen, 1, w.clusters, w.clusterCount * m, m);
            w.clusterCount++;
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
            clusters(nl, n, level + 1, q + 1, w, any, z);
            if (slot >= 0) {
                w.remaining[slot] = species[slot];
            }
        }
    }

    /**
     * Adds the cluster of centre c and the chosen pairs {@code w.chosen[1 .. order)}. Every distance is computed as
     * QUIP computes it, d_ab = (r_b − r_a) + L(n_b − n_a) with L n summed over the lattice vectors in order, so the
     * values are QUIP's to the bit (gap_fit's duplicate test on them then sets aside the same instances).
     */
    private void emit(Structure s, NeighbourList nl, int c, boolean gradients, DescriptorOutput out, Workspace w) {
        double[] pos = s.positions();
        Cell cell = s.cell();
        int[] atom = w.atoms;
        atom[0] = c;
        int[] img = w.images;
        img[0] = 0;
        img[1] = 0;
        img[2] = 0;
        for (int b = 1; b < order; b++) {
            int p = w.chosen[b];
            atom[b] = nl.neighbour[p];
            img[3 * b] = nl.image[3 * p];
            img[3 * b + 1] = nl.image[3 * p + 1];
            img[3 * b + 2] = nl.image[3 * p + 2];
        }
        double[] d = w.differences;
        double[] r = w.distances;
        for (int a = 0, k = 0; a < order; a++) {
            for (int b = a + 1; b < order; b++, k++) {
                int na = img[3 * b] - img[3 * a];
                int nb = img[3 * b + 1] - img[3 * a + 1];
                int nc = img[3 * b + 2] - img[3 * a + 2];
                for (int x = 0; x < 3; x++) {
                    double shift = cell.vector(0, x) * na + cell.vector(1, x) * nb + cell.vector(2, x) * nc;
                    d[3 * k + x] = pos[3 * atom[b] + x] - pos[3 * atom[a] + x] + shift;
                }
                r[k] = Math.sqrt(d[3 * k] * d[3 * k] + d[3 * k + 1] * d[3 * k + 1] + d[3 * k + 2] * d[3 * k + 2]);
            }
        }
        // the pairs of the centre come first: pair (0, b) is k = b − 1
        double weight = 1;
        for (int b = 1; b < order; b++) {
            w.fc[b] = cutoffFunction.value(r[b - 1]);
            w.dfc[b] = cutoffFunction.derivative(r[b - 1]);
            weight *= w.fc[b];
        }
        int inst = out.add(c, order);
        for (int b = 1; b < order; b++) {
            out.setEnergyAtom(inst, b, atom[b]);
        }
        out.setCutoffWeight(inst, weight);
        double[] v = out.values();
        System.arraycopy(r, 0, v, inst * dimension, dimension);
        if (!gradients) {
            return;
        }
        int e0 = out.gradientStart(inst);
        out.setEntry(e0, c, 0, 0, 0);
        for (int b = 1; b < order; b++) {
            int p = w.chosen[b];
            out.setEntry(e0 + b, atom[b], nl.vector[3 * p], nl.vector[3 * p + 1], nl.vector[3 * p + 2]);
        }
        double[] g = out.gradients();
        java.util.Arrays.fill(g, 3 * e0 * dimension, 3 * (e0 + order) * dimension, 0);
        for (int a = 0, k = 0; a < order; a++) {
            for (int b = a + 1; b < order; b++, k++) {
                for (int x = 0; x < 3; x++) {
                    double u = d[3 * k + x] / r[k];
                    g[(3 * (e0 + b) + x) * dimension + k] = u;
                    g[(3 * (e0 + a) + x) * dimension + k] = -u;
                }
            }
        }
        double[] wg = out.cutoffWeightGradients();
        for (int b = 1; b < order; b++) {
            double others = 1;
            for (int o = 1; o < order; o++) {
                if (o != b) {
                    others *= w.fc[o];
                }
            }
            int k = b - 1;
            for (int x = 0; x < 3; x++) {
                double dw = w.dfc[b] * (d[3 * k + x] / r[k]) * others;
                wg[3 * (e0 + b) + x] = dw;
                wg[3 * e0 + x] -= dw;
            }
        }
    }
}
