package org.soapstone.gp;

/**
 * The sparse points of one kernel, row-major m × d (dimensionless descriptors), with a copy in native memory made
 * once: the products x·Zᵀ of many small batches (one atom's instances, or the gradient directions of its
 * neighbours) then read Z in place instead of copying it into BLAS's reach for every batch. Immutable.
 */
public final class SparseRows {
    private final double[] values;
    private final int count;
    private final int dimension;
    private final NativeDoubles nativeValues;

    /**
     * @param values the points, row-major {@code count × dimension}; copied
     * @param count m, the number of points
     * @param dimension d, the descriptor dimension
     * @throws IllegalArgumentException if the array does not hold m × d values
     */
    public SparseRows(double[] values, int count, int dimension) {
        if (count < 0 || dimension < 0 || values.length != (long) count * dimension) {
            throw new IllegalArgumentException("sparse rows need " + count + " × " + dimension + " values, got "
                    + values.length);
        }
        this.values = values.clone();
        this.count = count;
        this.dimension = dimension;
        this.nativeValues = NativeDoubles.of(this.values);
    }

    /** @return the points, row-major m × d (shared; do not modify) */
    public double[] values() {
        return values;
    }

    /** @return m */
    public int count() {
        return count;
    }

    /** @return d */
    public int dimension() {
        return dimension;
    }

    NativeDoubles nativeValues() {
        return nativeValues;
    }
}
