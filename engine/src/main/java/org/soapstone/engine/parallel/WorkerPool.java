package org.soapstone.engine.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed set of worker threads that split a loop over atoms into one contiguous chunk per worker.
 *
 * <p>The partition depends only on the loop length and the thread count, so a calculation that reduces
 * per-worker partial sums in worker order gives bit-identical results for the same thread count. Worker 0 runs
 * on the calling thread. The {@linkplain #shared() shared pool} is what calculators use unless given another;
 * the command line sizes it with {@code --threads}.
 */
public final class WorkerPool implements AutoCloseable {
    /** A loop body over atoms {@code [from, to)} run by worker {@code worker} (0 ≤ worker &lt; threads). */
    @FunctionalInterface
    public interface Chunk {
        void run(int worker, int from, int to);
    }

    private static volatile WorkerPool shared;

    private final int threads;
    private final ExecutorService executor;

    /** @param threads the number of workers, ≥ 1 (the calling thread is one of them) */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        this.threads = threads;
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "soapstone-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** @return the pool used by calculators that are not given one: all cores unless {@link #configureShared} */
    public static WorkerPool shared() {
        WorkerPool p = shared;
        if (p == null) {
            synchronized (WorkerPool.class) {
                if (shared == null) {
                    shared = new WorkerPool(Runtime.getRuntime().availableProcessors());
                }
                p = shared;
            }
        }
        return p;
    }

    /** Sets the size of the {@linkplain #shared() shared pool}; call before building calculators. */
    public static synchronized void configureShared(int threads) {
        WorkerPool old = shared;
        shared = new WorkerPool(threads);
        if (old != null) {
            old.close();
        }
    }

    /** @return the number of workers */
    public int threads() {
        return threads;
    }

    /** @return the first index of worker {@code w}'s chunk of a loop of length {@code n} */
    public int chunkStart(int n, int w) {
        return (int) ((long) n * w / threads);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into {@link #threads()} contiguous chunks and waits for all.
     * Exceptions thrown by a worker are rethrown here.
     */
    public void forEachChunk(int n, Chunk body) {
        if (threads == 1 || n < 2) {
            body.run(0, 0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(threads - 1);
        for (int w = 1; w < threads; w++) {
            int worker = w;
            int from = chunkStart(n, w);
            int to = chunkStart(n, w + 1);
            futures.add(executor.submit(() -> body.run(worker, from, to)));
        }
        RuntimeException failure = null;
        try {
            body.run(0, 0, chunkStart(n, 1));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new RuntimeException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for workers", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdown();
        }
    }
}
