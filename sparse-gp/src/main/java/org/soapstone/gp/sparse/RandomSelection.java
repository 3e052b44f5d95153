package org.soapstone.gp.sparse;

/**
 * M distinct environments drawn uniformly at random, exactly as gap_fit's {@code sparse_method=random}
 * ({@code fill_random_integer} in libAtoms' {@code linearalgebra.f95}): candidate ⌈u·n⌉ for deviates u of the Fortran
 * intrinsic {@code random_number} ({@link GfortranRandom}), a candidate already drawn (or u = 0) being drawn again.
 */
public record RandomSelection() implements SparsePointSelection {

    /** The chosen candidates, in the order drawn. */
    @Override
    public int[] indices(double[] descriptors, int dimension, int count, GapFitRandom random) {
        int n = IndexedSelection.candidates(descriptors, dimension, count);
        int[] chosen = new int[count];
        boolean[] taken = new boolean[n];
        for (int k = 0; k < count; k++) {
            int i;
            do {
                i = (int) Math.ceil(random.gfortran().uniform() * n) - 1;
            } while (i < 0 || taken[i]);
            taken[i] = true;
            chosen[k] = i;
        }
        return chosen;
    }
}
