package org.soapstone.engine.md;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

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

    /**
     * Creates (or truncates) {@code file} and writes the header.
     *
     * @param file the log file
     * @param interval write every this many steps, ≥ 1
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public ThermoLog(Path file, int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("log interval must be ≥ 1 step, got " + interval);
        }
        this.file = file;
        this.interval = interval;
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write(HEADER);
            out.newLine();
            out.flush();
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
        String line = String.format(Locale.ROOT, "%d %.6f %.12g %.12g %.12g %.8g %.8g", system.step(),
                system.time(), potential, kinetic, potential + kinetic,
                Kinetics.temperature(kinetic, system.structure().size()),
                system.pressure() * Units.EV_PER_A3_TO_GPA);
        try {
            out.write(line);
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
