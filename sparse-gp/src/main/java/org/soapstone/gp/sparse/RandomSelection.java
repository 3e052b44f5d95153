package org.soapstone.gp.sparse;

/**
 * M distinct environments drawn uniformly at random, as gap_fit's {@code sparse_method=random}
 * ({@code fill_random_integer} in libAtoms' {@code linearalgebra.f95}): candidate ⌈u·n⌉ for uniform deviates u,
 * a candidate already drawn being drawn again. gap_fit takes u from the Fortran compiler's intrinsic
 * {@code random_number}, not from libAtoms' generator; here u comes from {@link LibAtomsRandom}, so the points are
 * reproducible from the seed but are not gap_fit's.
 */
public record RandomSelection() implements SparsePointSelection {

    /** The chosen candidates, in the order drawn. */
    @Override
    public int[] indices(double[] descriptors, int dimension, int count, LibAtomsRandom random) {
        int n = IndexedSelection.candidates(descriptors, dimension, count);
        int[] chosen = new int[count];
        boolean[] taken = new boolean[n];
        for (int k = 0; k < count; k++) {
            int i;
            do {
                i = random.index(n);
            } while (taken[i]);
            taken[i] = true;
            chosen[k] = i;
        }
        return chosen;
    }
}
