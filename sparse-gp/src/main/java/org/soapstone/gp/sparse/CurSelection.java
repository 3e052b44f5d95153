package org.soapstone.gp.sparse;

import java.util.Arrays;
import org.apache.commons.math3.random.Well19937c;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.soapstone.gp.SparsePoints;

/**
 * CUR row selection on the descriptor matrix X (n environments × d), as gap_fit's {@code sparse_method=cur_points}:
 * statistical leverage scores π_i = (1/k) Σ_{l&lt;k} U_il² over the top k = min(M, rank X) left singular vectors, then M
 * distinct rows drawn with probability ∝ π (sequentially, without replacement), reproducible from the seed. Rows
 * in the dominant subspace carry the leverage, so they are the ones chosen.
 *
 * <p>U is obtained from the d×d Gram matrix XᵀX = V Σ² Vᵀ as U = X V Σ⁻¹ (memory O(d² + n), not O(n²));
 * singular values below 10⁻¹⁰ of the largest are dropped.
 *
 * <p>Reference: Mahoney &amp; Drineas, PNAS 106, 697 (2009); Bartók et al., Phys. Rev. X 8, 041048 (2018)
 * (sparse-point selection in GAP).
 *
 * @param seed random seed
 */
public record CurSelection(long seed) implements SparsePointSelection {

    private static final double RELATIVE_RANK_CUTOFF = 1e-10;

    /** Leverage scores π_i (summing to 1) of the rows of X for the top {@code k} singular vectors. */
    public static double[] leverage(double[] descriptors, int dimension, int k) {
        int n = descriptors.length / dimension;
        DMatrixRMaj x = DMatrixRMaj.wrap(n, dimension, descriptors);
        DMatrixRMaj gram = new DMatrixRMaj(dimension, dimension);
        CommonOps_DDRM.multTransA(x, x, gram);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(dimension, true, true);
        if (!eig.decompose(gram)) {
            throw new IllegalStateException("eigen-decomposition of the descriptor Gram matrix failed");
        }
        Integer[] order = new Integer[dimension];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).real, eig.getEigenvalue(a).real));
        double largest = Math.max(0.0, eig.getEigenvalue(order[0]).real);
        double[] score = new double[n];
        int used = 0;
        for (int l = 0; l < Math.min(k, dimension); l++) {
            double lambda = eig.getEigenvalue(order[l]).real;
            if (!(lambda > RELATIVE_RANK_CUTOFF * RELATIVE_RANK_CUTOFF * largest)) {
                break;
            }
            DMatrixRMaj v = eig.getEigenVector(order[l]);
            for (int i = 0; i < n; i++) {
                double u = 0.0;
                for (int c = 0; c < dimension; c++) {
                    u += descriptors[i * dimension + c] * v.data[c];
                }
                score[i] += u * u / lambda;
            }
            used++;
        }
        if (used == 0) {
            throw new IllegalArgumentException("descriptor matrix is zero: no leverage to select sparse points by");
        }
        for (int i = 0; i < n; i++) {
            score[i] /= used;
        }
        return score;
    }

    /** The chosen row indices, increasing. */
    @Override
    public int[] indices(double[] descriptors, int dimension, int count) {
        int n = IndexedSelection.candidates(descriptors, dimension, count);
        double[] weight = leverage(descriptors, dimension, count);
        Well19937c random = new Well19937c(seed);
        boolean[] taken = new boolean[n];
        int[] chosen = new int[count];
        double total = 0.0;
        for (double w : weight) {
            total += w;
        }
        for (int c = 0; c < count; c++) {
            int pick = -1;
            if (total > 0.0) {
                double target = random.nextDouble() * total;
                double running = 0.0;
                for (int i = 0; i < n; i++) {
                    if (!taken[i] && weight[i] > 0.0) {
                        running += weight[i];
                        pick = i;
                        if (running > target) {
                            break;
                        }
                    }
                }
            }
            if (pick < 0) {
                // leverage exhausted (more points than the rank): fill with the lowest untaken indices
                for (int i = 0; i < n && pick < 0; i++) {
                    if (!taken[i]) {
                        pick = i;
                    }
                }
            }
            taken[pick] = true;
            total -= weight[pick];
            chosen[c] = pick;
        }
        Arrays.sort(chosen);
        return chosen;
    }
}
