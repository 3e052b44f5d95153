package org.soapstone.gp.sparse;

import java.util.Arrays;
import org.apache.commons.math3.random.Well19937c;
import org.soapstone.gp.SparsePoints;

/**
 * M distinct environments drawn uniformly at random (gap_fit's {@code sparse_method=random}), reproducible from the
 * seed: a partial Fisher–Yates shuffle driven by a WELL19937c generator.
 *
 * @param seed random seed
 */
public record RandomSelection(long seed) implements SparsePointSelection {

    /** The chosen row indices, increasing. */
    @Override
    public int[] indices(double[] descriptors, int dimension, int count) {
        int n = IndexedSelection.candidates(descriptors, dimension, count);
        Well19937c random = new Well19937c(seed);
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] chosen = Arrays.copyOf(order, count);
        Arrays.sort(chosen);
        return chosen;
    }
}
