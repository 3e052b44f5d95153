package org.soapstone.gp.sparse;

import org.soapstone.gp.SparsePoints;

/**
 * A rule choosing M sparse points for a set of candidate environments (descriptors {@code n × d} row-major,
 * dimensionless). Deterministic: the same inputs (and seed) give the same points.
 */
public sealed interface SparsePointSelection permits CurSelection, RandomSelection, UniformSelection, IndexFileSelection {

    /** The indices of the {@code count} distinct candidates chosen as sparse points (rows of the matrix). */
    int[] indices(double[] descriptors, int dimension, int count);

    /** The chosen candidates themselves. */
    default SparsePoints select(double[] descriptors, int dimension, int count) {
        return SparsePoints.select(descriptors, dimension, indices(descriptors, dimension, count));
    }
}
