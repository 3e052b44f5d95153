package org.soapstone.engine.fit;

import java.util.ArrayList;
import java.util.List;
import org.soapstone.gp.DesignBlock;

/**
 * The whitened design rows [Λ^{-1/2}K_NM | Λ^{-1/2}y] of an incremental fit's frames, kept block by block under a
 * memory budget so that a sparse-point border computes only the new kernel columns of the old frames
 * ({@link IncrementalGapFit}). A block over the budget keeps its frames only (its rows are recomputed when
 * needed). Memory: 8·rows·(M + 1) bytes per block — a 64-atom frame with energy and forces (193 rows) takes
 * 1.5·(M + 1) KiB, 160 KiB at M = 104, 1.5 MiB at M = 1000. Not thread-safe; {@link #set} of distinct blocks may
 * run on different threads.
 */
final class DesignRowStore {
    private final List<List<TrainingFrame>> frames = new ArrayList<>();
    private final List<DesignBlock> rows = new ArrayList<>();
    private final long budget;

    /** @param budget the most bytes of rows kept (≥ 0; 0 keeps none) */
    DesignRowStore(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("row budget must be >= 0 bytes, got " + budget);
        }
        this.budget = budget;
    }

    /** The default budget: a quarter of the JVM's maximum heap. */
    static long defaultBudget() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** Bytes of one block's rows. */
    static long bytes(DesignBlock block) {
        return 8L * block.matrix().length;
    }

    /** Appends a block of frames with its rows, or without them ({@code null}, or if they would exceed the budget). */
    void append(List<TrainingFrame> block, DesignBlock design) {
        frames.add(List.copyOf(block));
        rows.add(design != null && bytes() + bytes(design) <= budget ? design : null);
    }

    /** @return the most bytes of rows kept */
    long budget() {
        return budget;
    }

    /** @return the number of blocks */
    int size() {
        return frames.size();
    }

    /** @return block i's frames */
    List<TrainingFrame> frames(int i) {
        return frames.get(i);
    }

    /** @return block i's rows, or null if they are not kept */
    DesignBlock rows(int i) {
        return rows.get(i);
    }

    /** Replaces block i's rows (no budget check: see {@link #trim}). */
    void set(int i, DesignBlock design) {
        rows.set(i, design);
    }

    /** Drops the rows of the last blocks until the kept rows fit the budget. */
    void trim() {
        long total = bytes();
        for (int i = rows.size() - 1; i >= 0 && total > budget; i--) {
            if (rows.get(i) != null) {
                total -= bytes(rows.get(i));
                rows.set(i, null);
            }
        }
    }

    /**
     * Undoes a partial border: every kept block with more than {@code sparseCount} sparse columns keeps only its
     * first {@code sparseCount} columns and its target (the rows it had before).
     */
    void truncate(int sparseCount) {
        for (int i = 0; i < rows.size(); i++) {
            DesignBlock b = rows.get(i);
            if (b != null && b.sparseCount() > sparseCount) {
                int n = b.rows();
                double[] a = new double[n * (sparseCount + 1)];
                System.arraycopy(b.matrix(), 0, a, 0, n * sparseCount);
                System.arraycopy(b.matrix(), n * b.sparseCount(), a, n * sparseCount, n);
                rows.set(i, new DesignBlock(n, sparseCount, a, b.logSigmaSum()));
            }
        }
    }

    /**
     * Renames the sparse columns of every kept block: column j becomes column {@code order[j]} of before (the
     * target stays last), as {@link org.soapstone.gp.QrAccumulator#permuted} does to R̃.
     */
    void permuteColumns(int[] order) {
        for (int i = 0; i < rows.size(); i++) {
            DesignBlock b = rows.get(i);
            if (b != null) {
                int n = b.rows();
                int m = b.sparseCount();
                double[] a = new double[n * (m + 1)];
                for (int j = 0; j < m; j++) {
                    System.arraycopy(b.matrix(), order[j] * n, a, j * n, n);
                }
                System.arraycopy(b.matrix(), m * n, a, m * n, n);
                rows.set(i, new DesignBlock(n, m, a, b.logSigmaSum()));
            }
        }
    }

    /** @return the bytes of rows kept */
    long bytes() {
        long total = 0;
        for (DesignBlock b : rows) {
            if (b != null) {
                total += bytes(b);
            }
        }
        return total;
    }
}
