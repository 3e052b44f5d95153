package org.soapstone.gp.sparse;

/**
 * Environments spread uniformly over the range of the descriptor, exactly as gap_fit's
 * {@code sparse_method=uniform} ({@code select_uniform} in GAP's {@code clustering.f95}, typically for
 * {@code distance_2b}): the bounding box of the candidates is divided into g = ⌈M^{1/d}⌉ bins per component, a
 * candidate falls in bin nint((x − min)/(max − min)·(g − 1)) of each component; the first candidate of each bin,
 * in candidate order, is chosen until M are; if fewer than M bins are occupied, the rest are drawn from libAtoms'
 * generator as gap_fit draws them (a bin ⌈u·g^d⌉, skipped if empty or used up, then candidates ⌈u·n⌉ until one of
 * that bin not yet chosen). The points are candidates (real environments), so their cutoff weights are known.
 */
public record UniformSelection() implements SparsePointSelection {

    /** The chosen candidates, in the order gap_fit picks them. */
    @Override
    public int[] indices(double[] descriptors, int dimension, int count, GapFitRandom random) {
        int n = IndexedSelection.candidates(descriptors, dimension, count);
        int grid = (int) Math.ceil(Math.pow(count, 1.0 / dimension));
        int maxDimension = (int) Math.floor(Math.log(Integer.MAX_VALUE) / Math.log(grid));
        if (dimension > maxDimension) {
            throw new IllegalArgumentException("uniform sparse points: descriptor dimension " + dimension
                    + " is too large for a grid of " + grid + " bins per component (at most " + maxDimension
                    + "); use another sparse_method");
        }
        double[] lower = new double[dimension];
        double[] range = new double[dimension];
        java.util.Arrays.fill(lower, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(range, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < dimension; c++) {
                lower[c] = Math.min(lower[c], descriptors[i * dimension + c]);
                range[c] = Math.max(range[c], descriptors[i * dimension + c]);
            }
        }
        for (int c = 0; c < dimension; c++) {
            range[c] -= lower[c];
            if (!(range[c] > 0)) {
                throw new IllegalArgumentException("uniform sparse points: component " + (c + 1)
                        + " has the same value in every candidate, so it cannot be binned; use another sparse_method");
            }
        }
        int bins = 1;
        for (int c = 0; c < dimension; c++) {
            bins *= grid;
        }
        int[] bin = new int[n];
        int[] histogram = new int[bins];
        for (int i = 0; i < n; i++) {
            int flat = 0;
            int stride = 1;
            for (int c = 0; c < dimension; c++) {
                double t = (descriptors[i * dimension + c] - lower[c]) / range[c] * (grid - 1);
                flat += (int) Math.round(t) * stride; // Fortran's nint: t ≥ 0, halves away from zero
                stride *= grid;
            }
            bin[i] = flat;
            histogram[flat]++;
        }
        int[] chosen = new int[count];
        int[] chosenPerBin = new int[bins];
        boolean[] taken = new boolean[n];
        int k = 0;
        for (int i = 0; i < n && k < count; i++) {
            if (chosenPerBin[bin[i]] == 0) {
                chosen[k++] = i;
                chosenPerBin[bin[i]]++;
                taken[i] = true;
            }
        }
        while (k < count) {
            int b = random.libAtoms().index(bins);
            if (histogram[b] == 0 || histogram[b] == chosenPerBin[b]) {
                continue;
            }
            while (true) {
                int i = random.libAtoms().index(n);
                if (bin[i] == b && !taken[i]) {
                    chosen[k++] = i;
                    chosenPerBin[b]++;
                    taken[i] = true;
                    break;
                }
            }
        }
        return chosen;
    }
}
