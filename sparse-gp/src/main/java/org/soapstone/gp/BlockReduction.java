package org.soapstone.gp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The parallel, reproducible reduction behind every streamed fit: item i is turned into design blocks on worker
 * i mod W, each block folded into that worker's own accumulator of its part, and the workers' accumulators are
 * merged in worker order. Items are read once, in order, at most two per worker held at a time. The result depends on
 * W but not on timing: for a given W it is the same bit for bit from run to run. Any monoid of design blocks works:
 * the QR factor ({@link QrAccumulator}) or the Gram matrix ({@link GramAccumulator}).
 *
 * <p>Reference: Demmel et al., SIAM J. Sci. Comput. 34, A206 (2012) (TSQR: a reduction tree over row blocks).
 */
public final class BlockReduction {

    /** Marks the end of a worker's queue. */
    private static final Object END = new Object();

    private BlockReduction() {
    }

    /**
     * @param items the items, read once in order
     * @param design turns an item into {@code parts} design blocks (part p goes to accumulator p)
     * @param parts the number of accumulators per worker
     * @param empty makes an empty accumulator
     * @param add folds a block into an accumulator
     * @param merge folds the second accumulator into the first
     * @param threads W, the number of workers (≥ 1)
     * @return the merged accumulators, one per part
     */
    public static <T, A> List<A> reduce(Iterable<T> items, Function<? super T, DesignBlock[]> design, int parts,
            IntFunction<A> empty, BiConsumer<A, DesignBlock> add, BiConsumer<A, A> merge, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        List<BlockingQueue<Object>> queues = new ArrayList<>();
        List<List<A>> partial = new ArrayList<>();
        Throwable[] failure = new Throwable[threads];
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
            List<A> acc = new ArrayList<>(parts);
            for (int p = 0; p < parts; p++) {
                acc.add(empty.apply(p));
            }
            queues.add(queue);
            partial.add(acc);
            int worker = w;
            workers.add(Thread.ofPlatform().name("sparse-gp-fit-" + w).start(() -> {
                try {
                    for (Object item = queue.take(); item != END; item = queue.take()) {
                        if (failure[worker] == null) {
                            try {
                                @SuppressWarnings("unchecked")
                                T t = (T) item;
                                DesignBlock[] blocks = design.apply(t);
                                for (int p = 0; p < parts; p++) {
                                    add.accept(acc.get(p), blocks[p]);
                                }
                            } catch (RuntimeException | Error e) {
                                failure[worker] = e; // keep draining so the reader never blocks
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    failure[worker] = e;
                    Thread.currentThread().interrupt();
                }
            }));
        }
        try {
            int i = 0;
            try {
                for (T item : items) {
                    queues.get(i++ % threads).put(item);
                }
            } finally {
                for (BlockingQueue<Object> queue : queues) {
                    queue.put(END);
                }
                for (Thread t : workers) {
                    t.join();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fitting", e);
        }
        for (Throwable t : failure) {
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException("fit worker failed", t);
            }
        }
        List<A> total = partial.get(0);
        for (int w = 1; w < threads; w++) {
            for (int p = 0; p < parts; p++) {
                merge.accept(total.get(p), partial.get(w).get(p));
            }
        }
        return total;
    }
}
