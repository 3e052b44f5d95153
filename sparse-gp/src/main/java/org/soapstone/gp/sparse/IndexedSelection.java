package org.soapstone.gp.sparse;

/** Shared argument checks of selections that pick rows of the candidate matrix. */
final class IndexedSelection {

    private IndexedSelection() {
    }

    /** Number of candidates, after checking the matrix shape and that {@code count} of them can be chosen. */
    static int candidates(double[] descriptors, int dimension, int count) {
        if (dimension < 1 || descriptors.length % dimension != 0) {
            throw new IllegalArgumentException("descriptor matrix of " + descriptors.length
                    + " numbers is not n x " + dimension);
        }
        int n = descriptors.length / dimension;
        if (count < 1 || count > n) {
            throw new IllegalArgumentException("cannot choose " + count + " sparse points from " + n + " environments");
        }
        return n;
    }
}
