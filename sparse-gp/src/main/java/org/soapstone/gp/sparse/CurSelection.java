package org.soapstone.gp.sparse;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * CUR row selection on the descriptor matrix X (n environments × d), exactly as gap_fit's
 * {@code sparse_method=cur_points} ({@code cur_decomposition} in GAP's {@code clustering.f95}, after Mahoney &amp;
 * Drineas): with the thin SVD X = U S Vᵀ and k = ⌊(number of singular values above 10⁻¹³)/2⌋, each row gets the
 * inclusion probability p_i = min(1, M/k · Σ_{l&lt;k} U_il²); one uniform deviate r_i per row is drawn from
 * libAtoms' generator, in row order, and the M rows with the smallest r_i − p_i, ordered by libAtoms' heap sort,
 * are chosen. With the candidates in gap_fit's order and the generator in gap_fit's state this is gap_fit's choice.
 *
 * <p>The singular values come from the SVD of X itself (EJML); only the top k columns of U are formed, as
 * U_l = X v_l / s_l (memory O(n·d)).
 *
 * <p>Reference: Mahoney &amp; Drineas, PNAS 106, 697 (2009); Bartók et al., Phys. Rev. X 8, 041048 (2018)
 * (sparse-point selection in GAP).
 */
public record CurSelection() implements SparsePointSelection {

    /** gap_fit's TOL_SVD: singular values at or below it do not count towards the rank. */
    private static final double SINGULAR_VALUE_TOLERANCE = 1e-13;

    /**
     * gap_fit's inclusion probabilities p_i = min(1, count/k · Σ_{l&lt;k} U_il²) of the rows of X.
     *
     * @param count M, the number of rows to be chosen
     */
    public static double[] probabilities(double[] descriptors, int dimension, int count) {
        int n = descriptors.length / dimension;
        DMatrixRMaj x = new DMatrixRMaj(n, dimension, true, descriptors);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, dimension, false, true, true);
        if (!svd.decompose(x)) {
            throw new IllegalArgumentException("SVD of the " + n + " x " + dimension + " descriptor matrix failed");
        }
        double[] singular = svd.getSingularValues();
        DMatrixRMaj v = svd.getV(null, false);
        Integer[] order = new Integer[svd.numberOfSingularValues()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(singular[b], singular[a]));
        int rank = 0;
        for (Integer l : order) {
            if (singular[l] > SINGULAR_VALUE_TOLERANCE) {
                rank++;
            }
        }
        int k = rank / 2;
        if (k == 0) {
            throw new IllegalArgumentException("descriptor matrix has rank " + rank
                    + ": too little variation to select sparse points by CUR");
        }
        double[] p = new double[n];
        for (int l = 0; l < k; l++) {
            int col = order[l];
            double inv = 1.0 / singular[col];
            for (int i = 0; i < n; i++) {
                double u = 0.0;
                for (int c = 0; c < dimension; c++) {
                    u += descriptors[i * dimension + c] * v.get(c, col);
                }
                u *= inv;
                p[i] += u * u;
            }
        }
        for (int i = 0; i < n; i++) {
            p[i] = Math.min(1.0, p[i] * count / k);
        }
        return p;
    }

    /** The chosen rows, in the order of their keys r_i − p_i. */
    @Override
    public int[] indices(double[] descriptors, int dimension, int count, GapFitRandom random) {
        int n = IndexedSelection.candidates(descriptors, dimension, count);
        double[] p = probabilities(descriptors, dimension, count);
        double[] key = new double[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            key[i] = random.libAtoms().uniform() - p[i];
            order[i] = i;
        }
        HeapSort.sort(key, order);
        return Arrays.copyOf(order, count);
    }
}
