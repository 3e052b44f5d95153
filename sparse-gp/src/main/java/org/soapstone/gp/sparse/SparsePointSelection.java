package org.soapstone.gp.sparse;

import org.soapstone.gp.SparsePoints;

/**
 * A rule choosing M sparse points for a set of candidate environments (descriptors {@code n × d} row-major,
 * dimensionless). Deterministic: the same inputs (and seed) give the same points.
 */
public sealed interface SparsePointSelection permits CurSelection, RandomSelection, UniformSelection, IndexFileSelection {

    /** Chooses {@code count} sparse points from (or, for a grid, spanning) the candidates. */
    SparsePoints select(double[] descriptors, int dimension, int count);
}
