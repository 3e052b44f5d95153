package org.soapstone.gp;

/**
 * Fits the projected-process (DTC) sparse GP as gap_fit does, but by a streamed QR: minimise
 * ||Λ^{-1/2}(y − K_NM α)||² + αᵀ(K_MM + jitter·I)α by the QR factorisation of [Λ^{-1/2}K_NM ; U], built and reduced
 * block by block, so peak memory is O(M² + block·M) and neither K_NN, K_MM⁻¹ nor K_MN Λ⁻¹ K_NM is ever formed.
 * OpenBLAS threads the matrix products and the QR over all cores.
 *
 * <p>Reference: Deringer et al., Chem. Rev. 121, 10073 (2021) (sparse GP regression and its QR solution);
 * Foster et al., J. Mach. Learn. Res. 10, 857 (2009) (stable projected-process solves).
 */
public final class SparseGaussianProcess {

    private SparseGaussianProcess() {
    }

    /**
     * U with Uᵀ U = K_MM + jitter·I, column-major M×M upper triangular (eV).
     *
     * @param jitter added to the diagonal of K_MM, eV² (≥ 0); regularises duplicate or nearly dependent points
     */
    public static double[] sparseCholesky(Kernel kernel, SparsePoints sparse, double jitter) {
        if (!(jitter >= 0) || !Double.isFinite(jitter)) {
            throw new IllegalArgumentException("jitter must be >= 0 and finite, got " + jitter);
        }
        int m = sparse.size();
        double[] kmm = new double[m * m];
        kernel.matrix(sparse.raw(), m, sparse.raw(), m, sparse.dimension(), kmm);
        for (int i = 0; i < m; i++) {
            kmm[i + i * m] += jitter;
        }
        NativeLinearAlgebra.choleskyUpper(kmm, m);
        return kmm;
    }

    /** Folds the observations' design blocks into a fresh accumulator with no prior (one map task). */
    public static QrAccumulator accumulate(Kernel kernel, SparsePoints sparse, Iterable<ObservationBlock> blocks) {
        QrAccumulator acc = QrAccumulator.empty(sparse.size());
        for (ObservationBlock block : blocks) {
            acc.add(DesignBlock.assemble(kernel, sparse, block));
        }
        return acc;
    }

    /**
     * Fits the sparse GP to the observations, streaming them block by block.
     *
     * @param jitter added to the diagonal of K_MM, eV²
     */
    public static SparseGpModel fit(Kernel kernel, SparsePoints sparse, double jitter, Iterable<ObservationBlock> blocks) {
        double[] u = sparseCholesky(kernel, sparse, jitter);
        QrAccumulator acc = QrAccumulator.prior(u, sparse.size());
        for (ObservationBlock block : blocks) {
            acc.add(DesignBlock.assemble(kernel, sparse, block));
        }
        return new SparseGpModel(kernel, sparse, jitter, u, acc);
    }

    /** Completes a fit from accumulated data (e.g. the result of a distributed reduction of {@link #accumulate}). */
    public static SparseGpModel fit(Kernel kernel, SparsePoints sparse, double jitter, QrAccumulator data) {
        double[] u = sparseCholesky(kernel, sparse, jitter);
        QrAccumulator acc = QrAccumulator.prior(u, sparse.size());
        acc.merge(data);
        return new SparseGpModel(kernel, sparse, jitter, u, acc);
    }
}
