package org.soapstone.engine.md;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * An {@link MdObserver} writing one line of thermodynamic quantities every {@link #interval()} steps to a
 * whitespace-separated text table, after a header line
 * {@code # step time_fs potential_eV kinetic_eV total_eV temperature_K pressure_GPa}.
 *
 * <p>Temperature is the kinetic temperature on 3N − 3 degrees of freedom ({@link Kinetics}); pressure includes
 * the kinetic term, P = −tr(σ)/3 + 2 KE/(3V) ({@link MdSystem#pressure()}), and is {@code NaN} when the run does
 * not compute stress. Unlike result files, the log is written directly to its final path and flushed after
 * every line, so that it can be followed while the run goes on and a crash loses at most the line being
 * written. Readable with {@code numpy.loadtxt}.
 */
public final class ThermoLog implements MdObserver, AutoCloseable {
    /** The column names, in order, as in the header. */
    public static final String HEADER =
            "# step time_fs potential_eV kinetic_eV total_eV temperature_K pressure_GPa";

    private final Path file;
    private final int interval;
    private final BufferedWriter out;
    private final List<Column> extra;
    private final long stepOffset;
    private final double timeOffset;

    /**
     * An extra column after the standard ones (e.g. a model's largest per-atom deviation).
     *
     * @param name the header name, with its unit (e.g. {@code sigma_max_eV})
     * @param value its value for the current state
     */
    public record Column(String name, ToDoubleFunction<MdSystem> value) {
        /** Validates. */
        public Column {
            if (name == null || !name.matches("\\S+")) {
                throw new IllegalArgumentException("a thermo-log column name must be one word, got '" + name + "'");
            }
            java.util.Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Creates (or truncates) {@code file} and writes the header.
     *
     * @param file the log file
     * @param interval write every this many steps, ≥ 1
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public ThermoLog(Path file, int interval) {
        this(file, interval, List.of());
    }

    /**
     * Creates (or truncates) {@code file} and writes the header, with {@code extra} columns after the standard ones.
     *
     * @param file the log file
     * @param interval write every this many steps, ≥ 1
     * @param extra the extra columns, in order
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public ThermoLog(Path file, int interval, List<Column> extra) {
        this(file, interval, extra, 0, 0, false);
    }

    /**
     * A log that continues an earlier run's: its step and time columns count from {@code stepOffset} and
     * {@code timeOffset}, and with {@code append} the lines go after the file's existing ones (the header is written
     * only if the file is new or empty).
     *
     * @param file the log file
     * @param interval write every this many steps, ≥ 1
     * @param extra the extra columns, in order
     * @param stepOffset added to the step column
     * @param timeOffset added to the time column (fs)
     * @param append keep the file's lines instead of truncating it
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public ThermoLog(Path file, int interval, List<Column> extra, long stepOffset, double timeOffset,
            boolean append) {
        this.extra = List.copyOf(extra);
        this.stepOffset = stepOffset;
        this.timeOffset = timeOffset;
        if (interval < 1) {
            throw new IllegalArgumentException("log interval must be ≥ 1 step, got " + interval);
        }
        this.file = file;
        this.interval = interval;
        try {
            boolean header = !append || !Files.exists(file) || Files.size(file) == 0;
            this.out = append ? Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND) : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            if (header) {
                out.write(HEADER);
                for (Column c : this.extra) {
                    out.write(" " + c.name());
                }
                out.newLine();
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write thermo log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int interval() {
        return interval;
    }

    @Override
    public Action observe(MdSystem system) {
        double potential = system.results().energy;
        double kinetic = system.kineticEnergy();
        String line = String.format(Locale.ROOT, "%d %.6f %.12g %.12g %.12g %.8g %.8g", system.step() + stepOffset,
                system.time() + timeOffset, potential, kinetic, potential + kinetic,
                Kinetics.temperature(kinetic, system.structure().size()),
                system.pressure() * Units.EV_PER_A3_TO_GPA);
        try {
            out.write(line);
            for (Column c : extra) {
                out.write(String.format(Locale.ROOT, " %.12g", c.value().applyAsDouble(system)));
            }
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write thermo log " + file + ": " + e.getMessage(), e);
        }
        return Action.CONTINUE;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close thermo log " + file + ": " + e.getMessage(), e);
        }
    }
}
