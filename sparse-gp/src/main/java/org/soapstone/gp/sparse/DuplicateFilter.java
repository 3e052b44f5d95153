package org.soapstone.gp.sparse;

/**
 * gap_fit's removal of duplicate candidates before sparse points are chosen ({@code exclude_duplicates} in GAP's
 * {@code gp_fit.f95}): each row's hash is its 1-norm (summed in order), the hashes are heap-sorted
 * ({@link HeapSort}), and of two neighbours in that order whose hashes differ by less than
 * {@code unique_hash_tolerance} and whose components all differ by less than {@code unique_descriptor_tolerance},
 * the first is dropped. Only neighbours in hash order are compared, as in gap_fit, so which copy of a repeated
 * environment survives, and the numbering of the survivors, are gap_fit's.
 *
 * @param hashTolerance {@code unique_hash_tolerance} (gap_fit's default 10⁻¹⁰), ≥ 0
 * @param descriptorTolerance {@code unique_descriptor_tolerance} (gap_fit's default 10⁻¹⁰), ≥ 0
 */
public record DuplicateFilter(double hashTolerance, double descriptorTolerance) {
    /** gap_fit's default tolerances. */
    public static final DuplicateFilter GAP_FIT = new DuplicateFilter(1e-10, 1e-10);

    /** Validates the tolerances. */
    public DuplicateFilter {
        if (!(hashTolerance >= 0) || !(descriptorTolerance >= 0)) {
            throw new IllegalArgumentException("unique_hash_tolerance=" + hashTolerance
                    + " and unique_descriptor_tolerance=" + descriptorTolerance + " must be finite and ≥ 0");
        }
    }

    /**
     * @param descriptors the candidates, {@code n × dimension} row-major
     * @param dimension the descriptor dimension
     * @return the indices of the candidates kept, increasing
     */
    public int[] kept(double[] descriptors, int dimension) {
        int n = descriptors.length / dimension;
        double[] hash = new double[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < dimension; c++) {
                s += Math.abs(descriptors[i * dimension + c]);
            }
            hash[i] = s;
            order[i] = i;
        }
        HeapSort.sort(hash, order);
        boolean[] dropped = new boolean[n];
        int count = n;
        for (int j = 1; j < n; j++) {
            if (Math.abs(hash[j - 1] - hash[j]) < hashTolerance
                    && maxDifference(descriptors, dimension, order[j], order[j - 1]) < descriptorTolerance) {
                dropped[order[j - 1]] = true;
                count--;
            }
        }
        int[] kept = new int[count];
        for (int i = 0, k = 0; i < n; i++) {
            if (!dropped[i]) {
                kept[k++] = i;
            }
        }
        return kept;
    }

    private static double maxDifference(double[] x, int d, int a, int b) {
        double max = 0;
        for (int c = 0; c < d; c++) {
            max = Math.max(max, Math.abs(x[a * d + c] - x[b * d + c]));
        }
        return max;
    }
}
