package org.soapstone.gp.sparse;

import java.util.Arrays;
import org.apache.commons.math3.random.Well19937c;

/**
 * Environments spread uniformly over the range of the descriptor (gap_fit's {@code sparse_method=uniform}, as
 * {@code select_uniform} in GAP's {@code clustering.f95}, typically for {@code distance_2b}): the bounding box of the
 * candidates is divided into g = ⌈M^{1/d}⌉ bins per component, each candidate falls in the bin of
 * round((x − min)/(max − min)·(g − 1)); the first candidate of each bin (in input order) is chosen, and if fewer
 * than M bins are occupied the rest are drawn at random (from the seed) among the unchosen candidates of randomly
 * drawn occupied bins. The points are candidates (real environments), so their cutoff weights are known.
 *
 * @param seed random seed for the filling step
 */
public record UniformSelection(long seed) implements SparsePointSelection {

    @Override
    public int[] indices(double[] descriptors, int dimension, int count) {
        int n = IndexedSelection.candidates(descriptors, dimension, count);
        int grid = (int) Math.ceil(Math.pow(count, 1.0 / dimension) - 1e-12);
        if (dimension * Math.log(Math.max(grid, 2)) > Math.log(Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("uniform sparse points: descriptor dimension " + dimension
                    + " is too large for a grid; use another sparse_method");
        }
        double[] lower = new double[dimension];
        double[] range = new double[dimension];
        Arrays.fill(lower, Double.POSITIVE_INFINITY);
        Arrays.fill(range, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < dimension; c++) {
                lower[c] = Math.min(lower[c], descriptors[i * dimension + c]);
                range[c] = Math.max(range[c], descriptors[i * dimension + c]);
            }
        }
        for (int c = 0; c < dimension; c++) {
            range[c] -= lower[c];
        }
        int[] bin = new int[n];
        for (int i = 0; i < n; i++) {
            int flat = 0;
            for (int c = dimension - 1; c >= 0; c--) {
                double t = range[c] > 0 ? (descriptors[i * dimension + c] - lower[c]) / range[c] : 0.0;
                flat = flat * grid + (int) Math.rint(t * (grid - 1));
            }
            bin[i] = flat;
        }
        int[] chosen = new int[count];
        boolean[] taken = new boolean[n];
        java.util.Set<Integer> binsUsed = new java.util.HashSet<>();
        int k = 0;
        for (int i = 0; i < n && k < count; i++) {
            if (binsUsed.add(bin[i])) {
                chosen[k++] = i;
                taken[i] = true;
            }
        }
        if (k < count) {
            int[] occupied = binsUsed.stream().mapToInt(Integer::intValue).sorted().toArray();
            int[] left = new int[occupied.length];
            for (int i = 0; i < n; i++) {
                if (!taken[i]) {
                    left[Arrays.binarySearch(occupied, bin[i])]++;
                }
            }
            Well19937c random = new Well19937c(seed);
            while (k < count) {
                int b = random.nextInt(occupied.length);
                if (left[b] == 0) {
                    continue;
                }
                int pick = random.nextInt(left[b]);
                for (int i = 0; i < n; i++) {
                    if (!taken[i] && bin[i] == occupied[b] && pick-- == 0) {
                        chosen[k++] = i;
                        taken[i] = true;
                        left[b]--;
                        break;
                    }
                }
            }
        }
        Arrays.sort(chosen);
        return chosen;
    }
}
