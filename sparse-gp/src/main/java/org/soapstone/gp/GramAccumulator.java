package org.soapstone.gp;

import java.util.ArrayList;
import java.util.List;

/**
 * The normal-equation form of a block of whitened design rows B = [Λ^{-1/2} K_NM | Λ^{-1/2} y]: the Gram matrix
 * BᵀB = [AᵀA Aᵀb; bᵀA bᵀb], (M+1)×(M+1), accumulated with BLAS-3 {@code dsyrk} (rows·(M+1)² flops, half the QR's
 * 2·rows·(M+1)²). A monoid like {@link QrAccumulator} ({@link #add}, {@link #merge}), so {@link BlockReduction} reduces
 * it on any number of workers. While a group has fewer than (M+1)/2 rows, the rows themselves are kept instead (less
 * memory than the Gram, and as cheap to fold into a system of equations); past that the Gram is formed.
 *
 * <p>Unlike R̃, a Gram can be re-weighted term by term: scaling the rows by c scales BᵀB by c², scaling column j of
 * A by d_j scales entry (i, j) by d_i·d_j — which is what lets {@link FoldGrams} re-fit at new σ and δ in O(M³).
 * The price is the normal equations' conditioning, the square of the QR's: measured on mlearn Si (M = 300) the
 * cross-validated predictions agree with the QR solution to 2·10⁻⁷ relative.
 *
 * <p>Not thread-safe; use one per worker and merge.
 */
public final class GramAccumulator {

    private final int m;
    private final int n;
    /** Column-major (M+1)², upper triangle; null while the rows are kept. */
    private double[] gram;
    private final List<DesignBlock> kept = new ArrayList<>();
    private long rows;
    private double logSigmaSum;

    /** @param sparseCount M */
    public GramAccumulator(int sparseCount) {
        if (sparseCount < 1) {
            throw new IllegalArgumentException("need at least one sparse point, got " + sparseCount);
        }
        this.m = sparseCount;
        this.n = sparseCount + 1;
    }

    /** Folds a block of whitened rows in (the block is kept or read, not changed). */
    public void add(DesignBlock block) {
        if (block.sparseCount() != m) {
            throw new IllegalArgumentException("block has " + block.sparseCount() + " sparse columns, accumulator " + m);
        }
        if (block.rows() == 0) {
            return;
        }
        rows += block.rows();
        logSigmaSum += block.logSigmaSum();
        if (gram != null) {
            NativeLinearAlgebra.addGram(block.matrix(), block.rows(), n, 1.0, gram, n);
            return;
        }
        kept.add(block);
        if (rows > n / 2) {
            gram = new double[n * n];
            for (DesignBlock b : kept) {
                NativeLinearAlgebra.addGram(b.matrix(), b.rows(), n, 1.0, gram, n);
            }
            kept.clear();
        }
    }

    /** Folds another accumulator in; {@code other} is unchanged. */
    public void merge(GramAccumulator other) {
        if (other.m != m) {
            throw new IllegalArgumentException("cannot merge accumulators of " + m + " and " + other.m + " sparse points");
        }
        if (other.gram == null) {
            for (DesignBlock b : other.kept) {
                add(b);
            }
            return;
        }
        if (gram == null) {
            gram = new double[n * n];
            for (DesignBlock b : kept) {
                NativeLinearAlgebra.addGram(b.matrix(), b.rows(), n, 1.0, gram, n);
            }
            kept.clear();
        }
        for (int j = 0; j < n; j++) {
            for (int i = 0; i <= j; i++) {
                gram[i + j * n] += other.gram[i + j * n];
            }
        }
        rows += other.rows;
        logSigmaSum += other.logSigmaSum;
    }

    /** M, the number of sparse points. */
    public int sparseCount() {
        return m;
    }

    /** Number of rows folded in. */
    public long rows() {
        return rows;
    }

    /** Σ ln σ over the rows folded in. */
    public double logSigmaSum() {
        return logSigmaSum;
    }

    /**
     * What {@link FoldGrams} stores: the Gram's upper triangle packed column by column ((M+1)(M+2)/2 values, entry
     * (i, j ≥ i) at j(j+1)/2 + i), or, while the rows are fewer than (M+1)/2, the rows themselves (column-major
     * rows × (M+1)).
     */
    FoldGrams.Part part() {
        if (gram == null) {
            int r = (int) rows;
            double[] a = new double[r * n];
            int at = 0;
            for (DesignBlock b : kept) {
                double[] x = b.matrix();
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < b.rows(); i++) {
                        a[at + i + j * r] = x[i + j * b.rows()];
                    }
                }
                at += b.rows();
            }
            return new FoldGrams.Rows(a, r, n);
        }
        double[] packed = new double[n * (n + 1) / 2];
        for (int j = 0; j < n; j++) {
            System.arraycopy(gram, j * n, packed, j * (j + 1) / 2, j + 1);
        }
        return new FoldGrams.Packed(packed, n);
    }
}
