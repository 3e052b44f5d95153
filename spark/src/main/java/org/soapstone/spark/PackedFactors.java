package org.soapstone.spark;

import java.io.Serializable;
import org.soapstone.gp.QrAccumulator;

/**
 * The accumulators of one node of the reduction tree, for the wire: per part the upper triangle of R̃ packed column
 * by column ((M+1)(M+2)/2 numbers, half the square) and the accumulator's sums.
 *
 * @param index the node's index at its level of the tree
 * @param sparseCount M
 * @param triangles per part, R̃'s upper triangle, column-major packed
 * @param rows per part, observation rows folded in
 * @param logSigmaSums per part, Σ ln σ of those rows
 * @param priors per part, prior blocks folded in
 */
record PackedFactors(int index, int sparseCount, double[][] triangles, long[] rows, double[] logSigmaSums,
        int[] priors) implements Serializable {

    /** Packs the accumulators (they are left unchanged). */
    static PackedFactors pack(int index, QrAccumulator[] parts) {
        int m = parts[0].sparseCount();
        int n = m + 1;
        double[][] t = new double[parts.length][];
        long[] rows = new long[parts.length];
        double[] logSigma = new double[parts.length];
        int[] priors = new int[parts.length];
        for (int p = 0; p < parts.length; p++) {
            double[] full = parts[p].augmentedFactor();
            double[] packed = new double[n * (n + 1) / 2];
            int k = 0;
            for (int j = 0; j < n; j++) {
                System.arraycopy(full, j * n, packed, k, j + 1);
                k += j + 1;
            }
            t[p] = packed;
            rows[p] = parts[p].rows();
            logSigma[p] = parts[p].logSigmaSum();
            priors[p] = parts[p].priorCount();
        }
        return new PackedFactors(index, m, t, rows, logSigma, priors);
    }

    /** @return the accumulators, restored */
    QrAccumulator[] unpack() {
        int n = sparseCount + 1;
        QrAccumulator[] out = new QrAccumulator[triangles.length];
        for (int p = 0; p < out.length; p++) {
            double[] full = new double[n * n];
            int k = 0;
            for (int j = 0; j < n; j++) {
                System.arraycopy(triangles[p], k, full, j * n, j + 1);
                k += j + 1;
            }
            out[p] = QrAccumulator.restore(sparseCount, full, rows[p], logSigmaSums[p], priors[p]);
        }
        return out;
    }

    /** Bytes of R̃ for M sparse points, as a task holds it while folding (the full square). */
    static long factorBytes(int sparseCount) {
        long n = sparseCount + 1L;
        return 8 * n * n;
    }
}
