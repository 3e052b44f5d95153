package org.soapstone.engine.descriptor;

import java.util.Arrays;

/**
 * The parameters of QUIP's {@code distance_Nb} descriptor ({@code distance_Nb_initialise} in GAP's
 * {@code descriptors.f95}) with compact clusters, validated. Lengths in Å.
 *
 * @param cutoff r_c, {@code cutoff} (Å), &gt; 0
 * @param cutoffTransitionWidth w, {@code cutoff_transition_width} (Å), 0 &lt; w ≤ r_c; QUIP's default 0.5
 * @param order {@code order}, the number of atoms of a cluster (the centre and order − 1 of its neighbours), ≥ 2
 * @param species {@code Z}, the species of the cluster's atoms, {@code order} values sorted ascending (QUIP sorts
 *     them); 0 for any species — a cluster must hold exactly these species unless one is 0, which lifts the
 *     condition altogether (as QUIP's {@code distance_Nb_calc_neighbour_loop})
 */
public record DistanceNbParameters(double cutoff, double cutoffTransitionWidth, int order, int[] species)
        implements DescriptorParameters {

    /** Validates every field and sorts {@code species}; throws {@link IllegalArgumentException} naming the key. */
    public DistanceNbParameters {
        Species.checkCutoff("distance_Nb", cutoff, cutoffTransitionWidth);
        if (order < 2 || order > 6) {
            throw new IllegalArgumentException("distance_Nb: order=" + order + " is not supported; must be 2..6");
        }
        if (species.length != order) {
            throw new IllegalArgumentException("distance_Nb: Z has " + species.length + " values but order=" + order);
        }
        species = species.clone();
        for (int z : species) {
            Species.check("distance_Nb", "Z", z);
        }
        Arrays.sort(species);
    }

    /** @return a copy of the sorted species */
    @Override
    public int[] species() {
        return species.clone();
    }

    /** @return whether a species is 0 (any), which lifts the species condition */
    public boolean anySpecies() {
        return species[0] == 0;
    }

    /** @return D = order(order − 1)/2, one distance per pair of the cluster's atoms */
    public int dimension() {
        return order * (order - 1) / 2;
    }

    /**
     * The permutations of the descriptor's components that leave the kernel invariant ({@code distance_Nb_permutations}
     * and {@code descriptor_permutations} in GAP's {@code descriptors.f95}): every permutation of the cluster positions
     * within each group of equal species of the sorted {@code Z} (in lexicographic order, identity first), mapped to
     * the pair distances: row p, entry k is the component that permutation p puts at component k (1-based in QUIP,
     * 0-based here).
     *
     * @return n_p × D, row-major
     */
    public int[][] permutations() {
        int n = order;
        int[] pairIndex = new int[n * n];
        for (int i = 0, k = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++, k++) {
                pairIndex[i * n + j] = k;
                pairIndex[j * n + i] = k;
            }
        }
        java.util.List<int[]> atoms = new java.util.ArrayList<>();
        permute(new int[n], new boolean[n], 0, atoms);
        int[][] out = new int[atoms.size()][];
        for (int p = 0; p < out.length; p++) {
            int[] a = atoms.get(p);
            int[] perm = new int[dimension()];
            for (int i = 0, k = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++, k++) {
                    perm[k] = pairIndex[a[j] * n + a[i]];
                }
            }
            out[p] = perm;
        }
        return out;
    }

    /** Position {@code at} takes, in turn, every unused position of its own species group, ascending. */
    private void permute(int[] current, boolean[] used, int at, java.util.List<int[]> out) {
        if (at == order) {
            out.add(current.clone());
            return;
        }
        for (int j = 0; j < order; j++) {
            if (!used[j] && species[j] == species[at]) {
                used[j] = true;
                current[at] = j;
                permute(current, used, at + 1, out);
                used[j] = false;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistanceNbParameters p && cutoff == p.cutoff
                && cutoffTransitionWidth == p.cutoffTransitionWidth && order == p.order
                && Arrays.equals(species, p.species);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(cutoff) * 31 + order * 7 + Arrays.hashCode(species);
    }

    @Override
    public String toString() {
        return "distance_Nb cutoff=" + cutoff + " cutoff_transition_width=" + cutoffTransitionWidth + " order="
                + order + " Z=" + Arrays.toString(species);
    }
}
