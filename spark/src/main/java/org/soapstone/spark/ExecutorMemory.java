package org.soapstone.spark;

import java.util.Locale;

/**
 * Whether an executor's heap can hold what its tasks of the covariance-and-QR stage need at once: each task folds
 * its chunk into R̃ ((M + 1)² numbers per part) and merges two nodes of the tree (two R̃ and their packed copies),
 * beside one design block of about {@link org.soapstone.engine.fit.SparseGpSolve#BLOCK_ROWS} rows × (M + 1) held
 * twice; Spark keeps 300 MiB of the heap for itself. Checked before the stage on the driver and again in each task,
 * so that too small an executor gives one clear line instead of an OutOfMemoryError after hours.
 */
final class ExecutorMemory {
    /** The heap Spark reserves for itself (its {@code RESERVED_SYSTEM_MEMORY_BYTES}). */
    static final long SPARK_RESERVED = 300L << 20;
    /** Rows of design held per task: a block and the rows of the frame that completes it. */
    private static final long DESIGN_ROWS = 4096;

    private ExecutorMemory() {
    }

    /** @return bytes one task needs for M sparse points and {@code parts} accumulators */
    static long perTask(int sparseCount, int parts) {
        long r = PackedFactors.factorBytes(sparseCount);
        long tree = 2 * parts * r + parts * r; // two nodes unpacked, their packed forms
        long fold = parts * r + 2 * 8 * DESIGN_ROWS * (sparseCount + 1L);
        return Math.max(tree, fold);
    }

    /**
     * @param concurrentTasks tasks that run at once in this heap
     * @param heap the executor's heap (bytes)
     * @throws ExecutorMemoryException if they do not fit
     */
    static void check(int sparseCount, int parts, int concurrentTasks, long heap) {
        long need = perTask(sparseCount, parts) * concurrentTasks + SPARK_RESERVED;
        if (need > heap) {
            throw new ExecutorMemoryException(String.format(Locale.ROOT, "executor memory: the R factor of %d sparse "
                    + "points takes %s per task ((M+1)² numbers%s; %s with the tree merge and a design block), and "
                    + "%d task%s run at once in a heap of %s: give executors at least %s (spark.executor.memory; in "
                    + "local mode the driver's heap, -Xmx in SOAPSTONE_JAVA_OPTS) or run fewer tasks per executor "
                    + "(spark.executor.cores, local[N])", sparseCount, gib(PackedFactors.factorBytes(sparseCount)),
                    parts > 1 ? " × " + parts + " parts" : "", gib(perTask(sparseCount, parts)), concurrentTasks,
                    concurrentTasks == 1 ? "" : "s", gib(heap), gib((long) (need * 1.1))));
        }
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    /** An executor too small for the fit's R factor. */
    static final class ExecutorMemoryException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ExecutorMemoryException(String message) {
            super(message);
        }
    }
}
