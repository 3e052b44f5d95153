package org.soapstone.gp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The fixed reduction order of a streamed QR split into chunks (TSQR): each chunk's items are turned into design
 * blocks and folded, in order, into the chunk's own accumulators; the chunks' accumulators are then merged by a
 * binary tree fixed by chunk index — at each level, node i is node 2i of the level below merged with node 2i + 1 (a
 * last odd node passes up unchanged). The result depends on the chunks only, not on which thread, process or machine
 * computed a chunk, nor when, nor how often: a fit on threads and a fit on a cluster with the same chunks give the
 * same bits, and a recomputed chunk changes nothing.
 *
 * <p>Each item gives {@code parts} blocks (one per observation kind for {@link HyperparameterOptimiser}, one per
 * cross-validation fold, or just one), folded into accumulator p of its chunk and merged part by part.
 *
 * <p>Reference: Demmel, Grigori, Hoemmen, Langou, SIAM J. Sci. Comput. 34, A206 (2012) (TSQR).
 */
public final class FactorTree {
    private FactorTree() {
    }

    /**
     * Folds one chunk: item by item, in order, into fresh accumulators with no prior.
     *
     * @param design turns an item into {@code parts} design blocks of M + 1 columns
     * @param sparseCount M
     * @return one accumulator per part
     */
    public static <T> QrAccumulator[] fold(Iterable<T> items, Function<? super T, DesignBlock[]> design, int parts,
            int sparseCount) {
        QrAccumulator[] acc = empty(parts, sparseCount);
        for (T item : items) {
            DesignBlock[] blocks = design.apply(item);
            if (blocks.length != parts) {
                throw new IllegalArgumentException("an item gave " + blocks.length + " design blocks, expected " + parts);
            }
            for (int p = 0; p < parts; p++) {
                acc[p].add(blocks[p]);
            }
        }
        return acc;
    }

    /** {@code parts} accumulators with no rows, for a chunk with no items. */
    public static QrAccumulator[] empty(int parts, int sparseCount) {
        if (parts < 1) {
            throw new IllegalArgumentException("need at least one part, got " + parts);
        }
        QrAccumulator[] acc = new QrAccumulator[parts];
        for (int p = 0; p < parts; p++) {
            acc[p] = QrAccumulator.empty(sparseCount);
        }
        return acc;
    }

    /**
     * One node of the tree: {@code right} merged into {@code left}, part by part.
     *
     * @return {@code left}, holding both
     */
    public static QrAccumulator[] merge(QrAccumulator[] left, QrAccumulator[] right) {
        if (left.length != right.length) {
            throw new IllegalArgumentException("cannot merge " + left.length + " parts with " + right.length);
        }
        for (int p = 0; p < left.length; p++) {
            left[p].merge(right[p]);
        }
        return left;
    }

    /**
     * The tree over the chunks' accumulators, in chunk order; the leaves are consumed.
     *
     * @param leaves one entry per chunk (at least one)
     * @return the root
     */
    public static QrAccumulator[] reduce(List<QrAccumulator[]> leaves) {
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("no chunks to reduce");
        }
        List<QrAccumulator[]> level = new ArrayList<>(leaves);
        while (level.size() > 1) {
            List<QrAccumulator[]> up = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) {
                up.add(i + 1 < level.size() ? merge(level.get(i), level.get(i + 1)) : level.get(i));
            }
            level = up;
        }
        return level.get(0);
    }

    /**
     * Folds every chunk on {@code threads} workers (a worker takes the next chunk not yet started) and reduces them
     * by the tree. Peak memory: one set of accumulators per chunk, plus each worker's block in progress.
     *
     * @param chunks the items of each chunk, in order
     * @return the root
     */
    public static <T> QrAccumulator[] reduce(List<? extends List<T>> chunks, Function<? super T, DesignBlock[]> design,
            int parts, int sparseCount, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (chunks.isEmpty()) {
            return empty(parts, sparseCount);
        }
        QrAccumulator[][] leaves = new QrAccumulator[chunks.size()][];
        AtomicInteger next = new AtomicInteger();
        Throwable[] failure = new Throwable[1];
        Runnable work = () -> {
            for (int c = next.getAndIncrement(); c < chunks.size(); c = next.getAndIncrement()) {
                try {
                    leaves[c] = fold(chunks.get(c), design, parts, sparseCount);
                } catch (RuntimeException | Error e) {
                    synchronized (failure) {
                        if (failure[0] == null) {
                            failure[0] = e;
                        }
                    }
                    next.set(chunks.size());
                    return;
                }
            }
        };
        int workers = Math.min(threads, chunks.size());
        if (workers <= 1) {
            work.run();
        } else {
            List<Thread> started = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                started.add(Thread.ofPlatform().name("fit-chunk-" + w).start(work));
            }
            for (Thread t : started) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while fitting", e);
                }
            }
        }
        if (failure[0] instanceof RuntimeException r) {
            throw r;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        return reduce(java.util.Arrays.asList(leaves));
    }
}
