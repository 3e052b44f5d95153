package org.soapstone.spark;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.soapstone.engine.fit.FitListener;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Progress of the fit's stages on the driver, in frames: each stage's tasks add the frames they finish to an
 * accumulator; the executors' heartbeats carry the running tasks' counts to the driver, completed tasks their final
 * counts, and a failed attempt's count is dropped (its retry counts again). The total feeds a {@link FitListener}
 * (the command line's bar with rate and ETA) twice a second.
 */
final class SparkProgress extends SparkListener implements AutoCloseable {
    private final JavaSparkContext sc;
    private final FitListener listener;
    private final ScheduledExecutorService ticker;
    private final Map<Long, Long> running = new ConcurrentHashMap<>();
    private final AtomicLong completed = new AtomicLong();
    private volatile long accumulator = -1;
    private long reported;

    SparkProgress(JavaSparkContext sc, FitListener listener) {
        this.sc = sc;
        this.listener = listener;
        sc.sc().addSparkListener(this);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fit-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, 500, 500, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a stage.
     *
     * @param units frames it will process
     * @return the accumulator its tasks add their frames to
     */
    synchronized LongAccumulator stage(String name, long units) {
        tick();
        LongAccumulator acc = sc.sc().longAccumulator(name + " (frames)");
        running.clear();
        completed.set(0);
        reported = 0;
        accumulator = acc.id();
        listener.stage(name, units);
        return acc;
    }

    /** Ends the current stage at the accumulator's final value. */
    synchronized void done(LongAccumulator acc) {
        accumulator = -1;
        if (acc.value() > reported) {
            listener.advance(acc.value() - reported);
            reported = acc.value();
        }
    }

    private synchronized void tick() {
        if (accumulator < 0) {
            return;
        }
        long done = completed.get();
        for (long v : running.values()) {
            done += v;
        }
        if (done > reported) {
            listener.advance(done - reported);
            reported = done;
        }
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        long id = accumulator;
        List<Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>>> tasks =
                CollectionConverters.asJava(update.accumUpdates());
        for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t : tasks) {
            Long value = value(t._4(), id);
            if (value != null) {
                running.put((Long) t._1(), value);
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        running.remove(end.taskInfo().taskId());
        if (end.taskInfo().successful()) {
            Long value = value(end.taskInfo().accumulables(), accumulator);
            if (value != null) {
                completed.addAndGet(value);
            }
        }
    }

    private static Long value(scala.collection.Seq<AccumulableInfo> infos, long id) {
        for (AccumulableInfo info : CollectionConverters.asJava(infos)) {
            if (info.id() == id && info.update().isDefined() && info.update().get() instanceof Long l) {
                return l;
            }
        }
        return null;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        sc.sc().removeSparkListener(this);
    }
}
