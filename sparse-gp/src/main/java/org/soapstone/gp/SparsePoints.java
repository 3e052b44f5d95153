package org.soapstone.gp;

/**
 * The M representative environments (sparse or inducing points) of a sparse GP: descriptor vectors, row-major
 * {@code M × d}, dimensionless.
 *
 * @param dimension descriptor dimension d
 * @param points    {@code M × d} row-major
 */
public record SparsePoints(int dimension, double[] points) {

    public SparsePoints {
        if (dimension < 1 || points.length == 0 || points.length % dimension != 0) {
            throw new IllegalArgumentException("need at least one sparse point of dimension " + dimension
                    + " (got " + points.length + " numbers)");
        }
        points = points.clone();
    }

    /** The points picked by {@code indices} from the rows of {@code descriptors} ({@code n × d} row-major). */
    public static SparsePoints select(double[] descriptors, int dimension, int[] indices) {
        double[] p = new double[indices.length * dimension];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(descriptors, indices[i] * dimension, p, i * dimension, dimension);
        }
        return new SparsePoints(dimension, p);
    }

    /** Number of sparse points M. */
    public int size() {
        return points.length / dimension;
    }

    /** The points (a copy). */
    @Override
    public double[] points() {
        return points.clone();
    }

    /** The points without copying; callers must not modify them. */
    double[] raw() {
        return points;
    }
}
