package org.soapstone.gp.sparse;

import org.soapstone.gp.SparsePoints;

/**
 * A uniform grid of M values spanning the range of a one-dimensional descriptor (gap_fit's
 * {@code sparse_method=uniform}, used for {@code distance_2b}): z_j = min + j (max − min)/(M − 1). The grid
 * points are not themselves candidates. With M = 1 the single point is the midpoint.
 */
public record UniformSelection() implements SparsePointSelection {

    @Override
    public SparsePoints select(double[] descriptors, int dimension, int count) {
        if (dimension != 1) {
            throw new IllegalArgumentException("uniform sparse points need a one-dimensional descriptor, got dimension " + dimension);
        }
        IndexedSelection.candidates(descriptors, dimension, 1);
        if (count < 1) {
            throw new IllegalArgumentException("need at least one sparse point, got " + count);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : descriptors) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double[] grid = new double[count];
        for (int j = 0; j < count; j++) {
            grid[j] = count == 1 ? 0.5 * (min + max) : min + j * (max - min) / (count - 1);
        }
        return new SparsePoints(1, grid);
    }
}
