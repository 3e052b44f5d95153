package org.soapstone.engine.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void everyIndexIsVisitedOnceByItsWorkersContiguousChunk() {
        try (WorkerPool pool = new WorkerPool(3)) {
            int n = 10;
            int[] visits = new int[n];
            int[] owner = new int[n];
            pool.forEachChunk(n, (w, from, to) -> {
                for (int i = from; i < to; i++) {
                    visits[i]++;
                    owner[i] = w;
                }
            });
            int[] once = new int[n];
            Arrays.fill(once, 1);
            assertArrayEquals(once, visits);
            for (int i = 0; i < n; i++) {
                assertTrue(i >= pool.chunkStart(n, owner[i]) && i < pool.chunkStart(n, owner[i] + 1), "index " + i);
            }
        }
    }

    @Test
    void everyShareIsRunOnceOverItsOwnRange() {
        try (WorkerPool pool = new WorkerPool(3)) {
            int n = 10, shares = 7;
            int[] visits = new int[n];
            int[] shareOf = new int[n];
            int[] runs = new int[shares];
            pool.forEachShare(n, shares, (w, share, from, to) -> {
                assertEquals(WorkerPool.shareStart(n, shares, share), from, "share " + share);
                assertEquals(WorkerPool.shareStart(n, shares, share + 1), to, "share " + share);
                synchronized (runs) {
                    runs[share]++;
                }
                for (int i = from; i < to; i++) {
                    visits[i]++;
                    shareOf[i] = share;
                }
            });
            int[] once = new int[n];
            Arrays.fill(once, 1);
            assertArrayEquals(once, visits);
            assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1}, runs);
            for (int i = 1; i < n; i++) {
                assertTrue(shareOf[i] >= shareOf[i - 1], "shares are contiguous and in order, index " + i);
            }
        }
    }

    /** The point of shares: a worker held up (here, asleep in its first share) leaves the rest to the others. */
    @Test
    void aHeldUpWorkersSharesAreTakenByTheOthers() {
        try (WorkerPool pool = new WorkerPool(2)) {
            int shares = 8;
            int[] byWorker = new int[2];
            boolean[] slept = new boolean[1];
            pool.forEachShare(64, shares, (w, share, from, to) -> {
                if (w == 1 && !slept[0]) {
                    slept[0] = true;
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                synchronized (byWorker) {
                    byWorker[w]++;
                }
            });
            assertEquals(shares, byWorker[0] + byWorker[1]);
            assertTrue(byWorker[0] >= shares - 1, "the caller ran " + byWorker[0] + " of " + shares + " shares");
        }
    }

    @Test
    void sharesCalledFromInsideAChunkRunInOrderOnTheCallingThread() {
        try (WorkerPool pool = new WorkerPool(2)) {
            int[][] order = new int[2][];
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> pool.forEachChunk(2, (w, from, to) -> {
                Thread outer = Thread.currentThread();
                int[] seen = new int[4];
                int[] next = {0};
                pool.forEachShare(8, 4, (v, share, a, b) -> {
                    assertSame(outer, Thread.currentThread(), "nested shares must run on the calling thread");
                    assertEquals(w, v, "nested shares keep the caller's worker index");
                    seen[next[0]++] = share;
                });
                order[w] = seen;
            }), "a nested call deadlocked");
            assertArrayEquals(new int[] {0, 1, 2, 3}, order[0]);
            assertArrayEquals(new int[] {0, 1, 2, 3}, order[1]);
        }
    }

    @Test
    void aShareCountOutsideOneToTheLengthIsRefused() {
        try (WorkerPool pool = new WorkerPool(2)) {
            WorkerPool.Share nothing = (w, share, from, to) -> { };
            assertThrows(IllegalArgumentException.class, () -> pool.forEachShare(4, 0, nothing));
            assertThrows(IllegalArgumentException.class, () -> pool.forEachShare(4, 5, nothing));
            pool.forEachShare(0, 1, nothing);
        }
    }

    @Test
    void aCallFromInsideAChunkRunsTheWholeRangeOnTheCallingThread() {
        try (WorkerPool pool = new WorkerPool(2)) {
            int n = 6;
            int[][] inner = new int[2][n];
            Thread[][] innerThread = new Thread[2][n];
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> pool.forEachChunk(2, (w, from, to) -> {
                Thread outer = Thread.currentThread();
                pool.forEachChunk(n, (v, a, b) -> {
                    assertEquals(0, a);
                    assertEquals(n, b);
                    for (int i = a; i < b; i++) {
                        inner[w][i] = v + 1;
                        innerThread[w][i] = Thread.currentThread();
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertSame(outer, innerThread[w][i], "nested chunk must run on the calling thread");
                }
            }), "a nested call deadlocked");
            for (int w = 0; w < 2; w++) {
                for (int i = 0; i < n; i++) {
                    assertEquals(w + 1, inner[w][i], "nested run of worker " + w + " must use its own worker index");
                }
            }
        }
    }

    @Test
    void aWorkersExceptionIsRethrownToTheCallerAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> pool.forEachChunk(4, (w, from, to) -> {
                        if (w == 1) {
                            throw new IllegalArgumentException("worker 1");
                        }
                    }));
            assertEquals("worker 1", thrown.getMessage());
            int[] sum = new int[1];
            pool.forEachChunk(4, (w, from, to) -> {
                synchronized (sum) {
                    sum[0] += to - from;
                }
            });
            assertEquals(4, sum[0]);
        }
    }

    @Test
    void callsAllocateNothingOnTheCallerOrTheWorkers() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (WorkerPool pool = new WorkerPool(2)) {
            long[] ids = new long[2];
            double[] out = new double[100];
            WorkerPool.Chunk body = (w, from, to) -> {
                ids[w] = Thread.currentThread().threadId();
                for (int i = from; i < to; i++) {
                    out[i] += i;
                }
            };
            for (int k = 0; k < 10_000; k++) {
                pool.forEachChunk(out.length, body);
            }
            long[] before = mx.getThreadAllocatedBytes(ids);
            for (int k = 0; k < 10_000; k++) {
                pool.forEachChunk(out.length, body);
            }
            long[] after = mx.getThreadAllocatedBytes(ids);
            for (int w = 0; w < 2; w++) {
                long allocated = after[w] - before[w];
                assertTrue(allocated < 1024, "10000 calls allocated " + allocated + " bytes on worker " + w);
            }
            assertEquals(20_000.0 * 99, out[99]);
        }
    }
}
