package org.soapstone.gp;

/**
 * The data of a streamed-QR fit split into K folds for cross-validation: one data factor R̃_f = [R_f c_f; 0 ρ_f]
 * per fold (no prior rows), so that the fit on every fold but f is the prior merged with the other K − 1 factors —
 * O(K·M³), with no second pass over the data — and the fit on all data is the prior merged with all K. Each factor is
 * an ordinary {@link QrAccumulator}, so a fold's factor is itself a reduction of its blocks (by threads, or by key on
 * a cluster), and {@link #merge} combines fold-wise: FoldFactors is a monoid as QrAccumulator is.
 *
 * <p>Because every row of a factor is whitened by its σ and every column scales with its term's δ², a
 * hyperparameter search that keeps one FoldFactors per group of rows (kind or config type) re-weights those
 * factors without touching the data (see {@link HyperparameterOptimiser}).
 *
 * <p>Reference: Rasmussen &amp; Williams (2006), sec. 5.4.2 (cross-validation); Demmel et al., SIAM J. Sci. Comput.
 * 34, A206 (2012) (TSQR).
 */
public final class FoldFactors implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final QrAccumulator[] folds;

    private FoldFactors(QrAccumulator[] folds) {
        this.folds = folds;
    }

    /**
     * @param folds K ≥ 2
     * @param sparseCount M
     * @return K empty factors
     */
    public static FoldFactors empty(int folds, int sparseCount) {
        if (folds < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + folds);
        }
        QrAccumulator[] f = new QrAccumulator[folds];
        for (int i = 0; i < folds; i++) {
            f[i] = QrAccumulator.empty(sparseCount);
        }
        return new FoldFactors(f);
    }

    /**
     * @param folds each fold's data factor (no prior rows), all over the same M; copied
     * @return the folds
     */
    public static FoldFactors of(QrAccumulator... folds) {
        if (folds.length < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + folds.length);
        }
        QrAccumulator[] f = new QrAccumulator[folds.length];
        for (int i = 0; i < folds.length; i++) {
            if (folds[i].priorCount() != 0 || folds[i].sparseCount() != folds[0].sparseCount()) {
                throw new IllegalArgumentException("fold " + i + " must hold data rows only, over "
                        + folds[0].sparseCount() + " sparse points");
            }
            f[i] = folds[i].copy();
        }
        return new FoldFactors(f);
    }

    /** Folds a block of whitened rows into fold {@code fold}'s factor (the block's matrix is overwritten). */
    public void add(int fold, DesignBlock block) {
        folds[fold].add(block);
    }

    /** Merges another split of the same folds in, fold by fold ({@code other} is unchanged). */
    public void merge(FoldFactors other) {
        if (other.folds.length != folds.length) {
            throw new IllegalArgumentException("cannot merge " + other.folds.length + " folds into " + folds.length);
        }
        for (int i = 0; i < folds.length; i++) {
            folds[i].merge(other.folds[i]);
        }
    }

    /** @return K, the number of folds */
    public int count() {
        return folds.length;
    }

    /** @return M, the number of sparse points */
    public int sparseCount() {
        return folds[0].sparseCount();
    }

    /** @return fold f's data factor (a copy) */
    public QrAccumulator fold(int f) {
        return folds[f].copy();
    }

    /** @return the data of every fold merged in fold order (no prior): the full fit's data */
    public QrAccumulator all() {
        return leaveOut(-1);
    }

    /**
     * @param f the fold left out (−1: none)
     * @return the data of every other fold merged in fold order (no prior)
     */
    public QrAccumulator leaveOut(int f) {
        QrAccumulator acc = QrAccumulator.empty(sparseCount());
        for (int i = 0; i < folds.length; i++) {
            if (i != f) {
                acc.merge(folds[i]);
            }
        }
        return acc;
    }

    /**
     * The posterior of the fit on every fold but f.
     *
     * @param upperCholesky U with Uᵀ U = K_MM + jitter·I (eV)
     * @param f the fold left out (−1: the fit on all folds)
     * @return the posterior
     */
    public SparseGpPosterior posterior(TriangularFactor upperCholesky, int f) {
        QrAccumulator acc = QrAccumulator.prior(upperCholesky);
        acc.merge(leaveOut(f));
        return new SparseGpPosterior(upperCholesky, acc);
    }
}
