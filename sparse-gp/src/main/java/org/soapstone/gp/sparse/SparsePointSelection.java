package org.soapstone.gp.sparse;

import org.soapstone.gp.SparsePoints;

/**
 * A rule choosing M sparse points among candidate environments (descriptors {@code n × d} row-major,
 * dimensionless), as gap_fit's {@code sparse_method}s do. Deterministic: the same candidates, in the same order,
 * and the same generator state give the same points. A rule that draws random numbers draws them from the stream
 * of {@link GapFitRandom} that gap_fit draws from for it; the terms of a fit share one, in order, as gap_fit shares
 * its streams.
 */
public sealed interface SparsePointSelection permits CurSelection, RandomSelection, UniformSelection,
        IndexFileSelection {

    /**
     * @param descriptors the candidates, {@code n × dimension} row-major, in gap_fit's order
     * @param dimension the descriptor dimension
     * @param count M, the number of points to choose
     * @param random the fit's generators, advanced by the draws this rule makes
     * @return the indices of the {@code count} distinct candidates chosen, in the order the rule produced them
     */
    int[] indices(double[] descriptors, int dimension, int count, GapFitRandom random);

    /** The chosen candidates themselves, in the order of {@link #indices}. */
    default SparsePoints select(double[] descriptors, int dimension, int count, GapFitRandom random) {
        return SparsePoints.select(descriptors, dimension, indices(descriptors, dimension, count, random));
    }
}
