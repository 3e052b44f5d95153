package org.soapstone.engine.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of worker threads that split a loop over atoms into one contiguous chunk per worker
 * ({@link #forEachChunk}), or into contiguous shares that the workers take in turn as they finish the last
 * ({@link #forEachShare}).
 *
 * <p>Either partition depends only on the loop length and the thread count (or share count), so a calculation that
 * reduces per-worker (or per-share) partial sums in that order gives bit-identical results. Shares keep both cores
 * busy when one of them is taken away for a while (a shared machine, a virtual CPU the host deschedules): the other
 * worker takes the shares left instead of waiting at the end of its fixed chunk. Worker 0 runs
 * on the calling thread; a call allocates nothing (the workers are woken and awaited by park/unpark, after a short
 * spin, {@link #SPIN_NANOS}). Calls from
 * several threads take turns; a call from inside one of the pool's own chunks runs its whole loop on the calling
 * thread. The {@linkplain #shared() shared pool} is what calculators use unless given another;
 * the command line sizes it with {@code --threads}.
 */
public final class WorkerPool implements AutoCloseable {
    /** A loop body over atoms {@code [from, to)} run by worker {@code worker} (0 ≤ worker &lt; threads). */
    @FunctionalInterface
    public interface Chunk {
        void run(int worker, int from, int to);
    }

    /**
     * A loop body over share {@code share}'s atoms {@code [from, to)}, run by worker {@code worker}: scratch belongs
     * to the worker, partial sums to the share.
     */
    @FunctionalInterface
    public interface Share {
        void run(int worker, int share, int from, int to);
    }

    /**
     * How long a worker waiting for the next call, or a caller waiting for the workers, spins before it parks (ns):
     * an MD step's serial part (integration, force reduction) is shorter than this, so the workers are still awake
     * when the next step's forces are asked for. Waking a parked thread on a virtual machine can take a large part of a
     * millisecond (the host must schedule the halted virtual CPU again): at 64 atoms, a step on two threads took
     * 0.7 ms longer than half the one-thread step before this spin. OpenMP runtimes spin likewise before sleeping.
     */
    static final long SPIN_NANOS = 500_000;

    private static volatile WorkerPool shared;

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock turn = new ReentrantLock();
    private final AtomicInteger pending = new AtomicInteger();
    private final Throwable[] failures;
    // The current call, published to the workers by the volatile write of generation.
    private Chunk body;
    private Share shareBody;
    private int shareCount;
    private final AtomicInteger nextShare = new AtomicInteger();
    private int length;
    private Thread caller;
    private volatile int generation;
    private volatile boolean closed;

    /** @param threads the number of workers, ≥ 1 (the calling thread is one of them) */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        this.threads = threads;
        this.failures = new Throwable[threads];
        this.workers = new Worker[threads - 1];
        for (int w = 1; w < threads; w++) {
            workers[w - 1] = new Worker(w);
            workers[w - 1].start();
        }
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
     * Exceptions thrown by a worker are rethrown here (the calling thread's first, else the lowest worker's).
     * Called from inside a chunk of this pool (by the calling thread of an outer call or by a worker), it runs
     * {@code body} over the whole range on the calling thread, as that thread's worker index.
     */
    public void forEachChunk(int n, Chunk body) {
        Thread self = Thread.currentThread();
        if (self instanceof Worker w && w.pool() == this) {
            body.run(w.index, 0, n);
        } else if (threads == 1 || n < 2 || turn.isHeldByCurrentThread()) {
            body.run(0, 0, n);
        } else {
            dispatch(n, body, null, 0);
        }
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into {@code shares} contiguous shares, share s from
     * {@link #shareStart shareStart(n, shares, s)}, each run once by whichever worker takes it next (in share order),
     * and waits for all. Exceptions as {@link #forEachChunk}. Called from inside a chunk or share of this pool, or with
     * one thread, the calling thread runs every share in order.
     *
     * @param shares the number of shares, 1 ≤ shares ≤ max(n, 1)
     */
    public void forEachShare(int n, int shares, Share body) {
        if (shares < 1 || shares > Math.max(n, 1)) {
            throw new IllegalArgumentException("shares must be in [1, max(n, 1)] = [1, " + Math.max(n, 1) + "], got "
                    + shares);
        }
        Thread self = Thread.currentThread();
        if (self instanceof Worker w && w.pool() == this) {
            runShares(w.index, n, shares, body, false);
        } else if (threads == 1 || shares < 2 || turn.isHeldByCurrentThread()) {
            runShares(0, n, shares, body, false);
        } else {
            dispatch(n, null, body, shares);
        }
    }

    /** @return the first index of share {@code s} of {@code shares} of a loop of length {@code n} */
    public static int shareStart(int n, int shares, int s) {
        return (int) ((long) n * s / shares);
    }

    /** Runs the shares in order ({@code claim}: those not yet taken, until none is left). */
    private void runShares(int worker, int n, int shares, Share body, boolean claim) {
        for (int s = claim ? nextShare.getAndIncrement() : 0; s < shares;
                s = claim ? nextShare.getAndIncrement() : s + 1) {
            body.run(worker, s, shareStart(n, shares, s), shareStart(n, shares, s + 1));
        }
    }

    /** Hands a call to the workers, runs worker 0's part on the calling thread and waits for the rest. */
    private void dispatch(int n, Chunk chunk, Share share, int shares) {
        Thread self = Thread.currentThread();
        turn.lock();
        try {
            if (closed) {
                throw new IllegalStateException("worker pool is closed");
            }
            this.body = chunk;
            this.shareBody = share;
            this.shareCount = shares;
            this.length = n;
            this.caller = self;
            nextShare.set(0);
            pending.set(threads - 1);
            generation = generation + 1;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
            try {
                runPart(0);
            } catch (RuntimeException | Error e) {
                failures[0] = e;
            }
            boolean interrupted = false;
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (pending.get() != 0) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                self.interrupt();
            }
            this.body = null;
            this.shareBody = null;
            this.caller = null;
            rethrowFirstFailure();
        } finally {
            turn.unlock();
        }
    }

    /** Worker {@code w}'s part of the current call: its chunk, or the shares it takes. */
    private void runPart(int w) {
        if (shareBody != null) {
            runShares(w, length, shareCount, shareBody, true);
        } else {
            body.run(w, chunkStart(length, w), chunkStart(length, w + 1));
        }
    }

    private void rethrowFirstFailure() {
        Throwable failure = null;
        for (int w = 0; w < threads; w++) {
            if (failure == null) {
                failure = failures[w];
            }
            failures[w] = null;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new RuntimeException(failure);
        }
    }

    /** Stops the workers once they are idle; the pool takes no more calls that need them. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** One worker thread: waits for a new generation, runs its chunk, counts itself done. */
    private final class Worker extends Thread {
        final int index;

        Worker(int index) {
            super("soapstone-worker-" + index);
            this.index = index;
            setDaemon(true);
        }

        WorkerPool pool() {
            return WorkerPool.this;
        }

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                int g;
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while ((g = generation) == seen) {
                    if (closed) {
                        return;
                    }
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                        continue;
                    }
                    LockSupport.park(this);
                }
                seen = g;
                try {
                    runPart(index);
                } catch (Throwable e) {
                    failures[index] = e;
                }
                Thread waiting = caller;
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(waiting);
                }
            }
        }
    }
}
