package org.soapstone.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.DoubleFunction;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long task (MD steps, frames, descriptors): a live bar with rate and ETA when standard error is a
 * terminal, otherwise a quiet log line at most every {@code interval} (default 10 s) with the same figures.
 */
public abstract sealed class Progress implements AutoCloseable {
    /**
     * @param task the name shown
     * @param total the number of units to do, or ≤ 0 if unknown
     * @param unit the unit's name, e.g. "steps"
     * @param rateExtra turns the rate (units/s) into extra text, e.g. ns/day for MD; may be null
     * @return a terminal bar if stderr is a terminal, else a periodic log on stderr
     */
    public static Progress start(String task, long total, String unit, DoubleFunction<String> rateExtra) {
        boolean terminal = System.console() != null && System.console().isTerminal();
        return terminal ? new Bar(task, total, unit, rateExtra) : new Log(task, total, unit, rateExtra, System.err,
                Duration.ofSeconds(10));
    }

    /** Records that {@code done} of the total units are complete. */
    public abstract void update(long done);

    @Override
    public abstract void close();

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** The terminal bar (me.tongfei progressbar). */
    static final class Bar extends Progress {
        private final ProgressBar bar;
        private final DoubleFunction<String> rateExtra;
        private final long startNanos = System.nanoTime();

        Bar(String task, long total, String unit, DoubleFunction<String> rateExtra) {
            this.rateExtra = rateExtra;
            this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total > 0 ? total : -1).setUnit(" " + unit, 1)
                    .showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build();
        }

        @Override
        public void update(long done) {
            bar.stepTo(done);
            if (rateExtra != null) {
                double elapsed = (System.nanoTime() - startNanos) * 1e-9;
                if (elapsed > 0) {
                    bar.setExtraMessage(", " + rateExtra.apply(done / elapsed));
                }
            }
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** A periodic log line for non-terminal output (CI logs, batch jobs). */
    static final class Log extends Progress {
        private final String task;
        private final long total;
        private final String unit;
        private final DoubleFunction<String> rateExtra;
        private final PrintStream out;
        private final long intervalNanos;
        private final long startNanos = System.nanoTime();
        private long lastNanos = startNanos;
        private long done;

        Log(String task, long total, String unit, DoubleFunction<String> rateExtra, PrintStream out,
                Duration interval) {
            this.task = task;
            this.total = total;
            this.unit = unit;
            this.rateExtra = rateExtra;
            this.out = out;
            this.intervalNanos = interval.toNanos();
        }

        @Override
        public void update(long done) {
            this.done = done;
            long now = System.nanoTime();
            if (now - lastNanos >= intervalNanos) {
                lastNanos = now;
                print(now);
            }
        }

        private void print(long now) {
            double elapsed = (now - startNanos) * 1e-9;
            double rate = elapsed > 0 ? done / elapsed : 0;
            String eta = rate > 0 && done < total ? ", ETA " + formatDuration((total - done) / rate) : "";
            String of = total > 0 ? String.format(Locale.ROOT, "/%d %s (%.1f%%)", total, unit, 100.0 * done / total)
                    : " " + unit;
            String extra = rateExtra != null && rate > 0 ? ", " + rateExtra.apply(rate) : "";
            out.printf(Locale.ROOT, "%s: %d%s, %.3g %s/s%s%s, elapsed %s%n", task, done, of, rate, unit, extra, eta,
                    formatDuration(elapsed));
            out.flush();
        }

        @Override
        public void close() {
            print(System.nanoTime());
        }
    }
}
