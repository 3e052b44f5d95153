package org.soapstone.gp;

import java.util.function.Function;

/**
 * Fits the projected-process (DTC) sparse GP as gap_fit does, but by a streamed QR: minimise
 * ||Λ^{-1/2}(y − K_NM α)||² + αᵀ(K_MM + jitter·I)α by the QR factorisation of [Λ^{-1/2}K_NM ; U], built and reduced
 * block by block, so peak memory is O(M² + threads·block·M) and neither K_NN, K_MM⁻¹ nor K_MN Λ⁻¹ K_NM is ever formed.
 *
 * <p>Parallel and reproducible ({@link BlockReduction}): block i goes to worker i mod W, which assembles it and folds it
 * into its own {@link QrAccumulator}; the workers' factors are then merged into the prior in worker order (a TSQR
 * reduction). The result depends on W but not on timing: for a given W it is the same bit for bit from run to run.
 *
 * <p>Reference: Deringer et al., Chem. Rev. 121, 10073 (2021) (sparse GP regression and its QR solution);
 * Foster et al., J. Mach. Learn. Res. 10, 857 (2009) (stable projected-process solves); Demmel et al., SIAM J. Sci.
 * Comput. 34, A206 (2012) (TSQR).
 */
public final class StreamedQrFit {

    private StreamedQrFit() {
    }

    /** Folds the observations' design blocks into a fresh accumulator with no prior, on the calling thread. */
    public static QrAccumulator accumulate(Kernel kernel, SparsePoints sparse, Iterable<ObservationBlock> blocks) {
        QrAccumulator acc = QrAccumulator.empty(sparse.size());
        for (ObservationBlock block : blocks) {
            acc.add(DesignBlock.assemble(kernel, sparse, block));
        }
        return acc;
    }

    /**
     * Folds the observations into a fresh accumulator with no prior using {@code threads} workers; the blocks are
     * read from {@code blocks} once, in order, at most two per worker held at a time.
     */
    public static QrAccumulator accumulate(Kernel kernel, SparsePoints sparse, Iterable<ObservationBlock> blocks, int threads) {
        return accumulate(blocks, block -> DesignBlock.assemble(kernel, sparse, block), sparse.size(), threads);
    }

    /**
     * The parallel reduction behind the fit: item i is turned into a design block by {@code design} on worker
     * i mod {@code threads} and folded into that worker's accumulator; the accumulators are merged in worker order.
     * Items are read once, in order, at most two per worker held at a time.
     *
     * @param sparseCount M, the number of sparse points (columns of every design block but the target)
     */
    public static <T> QrAccumulator accumulate(Iterable<T> items, Function<? super T, DesignBlock> design,
                                               int sparseCount, int threads) {
        return accumulateParts(items, item -> new DesignBlock[] {design.apply(item)}, 1, sparseCount, threads)[0];
    }

    /**
     * As {@link #accumulate(Iterable, Function, int, int)}, but each item gives {@code parts} design blocks (e.g. one
     * per observation kind, for {@link HyperparameterOptimiser}) and part p is folded into accumulator p.
     */
    public static <T> QrAccumulator[] accumulateParts(Iterable<T> items, Function<? super T, DesignBlock[]> design,
                                                      int parts, int sparseCount, int threads) {
        return BlockReduction.reduce(items, design, parts, p -> QrAccumulator.empty(sparseCount), QrAccumulator::add,
                QrAccumulator::merge, threads).toArray(QrAccumulator[]::new);
    }

    /**
     * Fits the sparse GP to the observations, streaming them block by block, with one worker per available core.
     *
     * @param jitter added to the diagonal of K_MM, eV²
     */
    public static SparseGpModel fit(Kernel kernel, SparsePoints sparse, double jitter, Iterable<ObservationBlock> blocks) {
        return fit(kernel, sparse, jitter, blocks, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #fit(Kernel, SparsePoints, double, Iterable)} with {@code threads} workers. */
    public static SparseGpModel fit(Kernel kernel, SparsePoints sparse, double jitter, Iterable<ObservationBlock> blocks,
                                    int threads) {
        return fit(kernel, sparse, jitter, accumulate(kernel, sparse, blocks, threads));
    }

    /** Completes a fit from accumulated data (e.g. the result of a distributed reduction of {@link #accumulate}). */
    public static SparseGpModel fit(Kernel kernel, SparsePoints sparse, double jitter, QrAccumulator data) {
        int m = sparse.size();
        double[] kmm = new double[m * m];
        kernel.matrix(sparse.raw(), m, sparse.raw(), m, sparse.dimension(), kmm);
        TriangularFactor u = TriangularFactor.cholesky(kmm, m, jitter);
        QrAccumulator acc = QrAccumulator.prior(u);
        acc.merge(data);
        return new SparseGpModel(kernel, sparse, jitter, u, acc);
    }
}
