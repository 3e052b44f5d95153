package org.soapstone.engine.tune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.soapstone.engine.fit.NoiseSearch;
import org.soapstone.engine.io.AtomicFile;
import org.soapstone.engine.fit.Objective;

/**
 * The record of a search and its state: a tab-separated table, one row per trial (the settings tried, the
 * cross-validation errors — energy in eV/atom, forces in eV/Å — with the σ and δ chosen and with the starting ones,
 * the loss, the wall time, the factors chosen), under {@code #} lines that identify the search (start, search space,
 * objective, cross-validation, seeds). Numbers are written in Java's shortest round-trip form, so a search resumed
 * from the log replays its trials bit for bit instead of fitting them again and then goes on as the interrupted one
 * would have. The file is rewritten whole after every trial ({@link AtomicFile}); a log whose
 * identity differs from the search's is refused.
 */
public final class TrialLog {
    /** The first line of every log. */
    static final String MAGIC = "# soapstone tune trial log, format 1";

    private final Path file;
    private final List<String> identity;
    private final List<String> dimensions;
    private final int groups;
    private final List<Trial> trials = new ArrayList<>();

    private TrialLog(Path file, List<String> identity, List<String> dimensions, int groups) {
        this.file = file;
        this.identity = List.copyOf(identity);
        this.dimensions = List.copyOf(dimensions);
        this.groups = groups;
    }

    /**
     * Opens a log: reads the trials of an existing one (which must have this identity), or starts an empty one.
     *
     * @param file the log file
     * @param identity lines that identify the search (without {@code #})
     * @param dimensions the names of the searched settings, in order
     * @param groups the number of σ groups
     * @return the log
     * @throws IllegalArgumentException if the file is another search's log or is not a log, naming file and line
     */
    public static TrialLog open(Path file, List<String> identity, List<String> dimensions, int groups) {
        TrialLog log = new TrialLog(file, identity, dimensions, groups);
        if (!Files.exists(file)) {
            return log;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trial log " + file, e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(MAGIC)) {
            throw new IllegalArgumentException(file + ", line 1: not a soapstone tune trial log; give another "
                    + "--output directory");
        }
        for (int i = 0; i < identity.size(); i++) {
            String expected = "# " + identity.get(i);
            String found = i + 1 < lines.size() ? lines.get(i + 1) : "(end of file)";
            if (!found.equals(expected)) {
                throw new IllegalArgumentException(file + ", line " + (i + 2) + ": the log is of another search ('"
                        + found + "'; this search: '" + expected + "'); give another --output directory or remove "
                        + "the log to start again");
            }
        }
        String header = log.header();
        int at = identity.size() + 1;
        if (at >= lines.size() || !lines.get(at).equals(header)) {
            throw new IllegalArgumentException(file + ", line " + (at + 1) + ": expected the column header '"
                    + header + "'");
        }
        for (int i = at + 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                log.trials.add(log.parse(lines.get(i), i + 1));
            }
        }
        return log;
    }

    /** @return the trials read or appended, in order */
    public List<Trial> trials() {
        return List.copyOf(trials);
    }

    /** @return the log file */
    public Path file() {
        return file;
    }

    /** Appends a trial and rewrites the file. */
    public void append(Trial t) {
        if (t.index() != trials.size()) {
            throw new IllegalArgumentException("trial " + t.index() + " appended after " + trials.size() + " trials");
        }
        trials.add(t);
        StringBuilder out = new StringBuilder(MAGIC).append('\n');
        identity.forEach(line -> out.append("# ").append(line).append('\n'));
        out.append(header()).append('\n');
        trials.forEach(trial -> out.append(format(trial)).append('\n'));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFile.write(file, o -> o.write(out.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trial log " + file, e);
        }
    }

    private String header() {
        List<String> cols = new ArrayList<>();
        cols.add("trial");
        cols.addAll(dimensions);
        cols.addAll(List.of("cv_energy_eV/atom", "cv_force_eV/Å", "loss", "start_cv_energy_eV/atom",
                "start_cv_force_eV/Å", "energies", "force_components", "seconds", "pass_seconds", "evaluations",
                "sigma_factors", "delta_factors", "failure"));
        return String.join("\t", cols);
    }

    private static String format(Trial t) {
        List<String> cols = new ArrayList<>();
        cols.add(Integer.toString(t.index()));
        for (double v : t.values()) {
            cols.add(Double.toString(v));
        }
        cols.add(Double.toString(t.cv().energy()));
        cols.add(Double.toString(t.cv().force()));
        cols.add(Double.toString(t.loss()));
        cols.add(Double.toString(t.startCv().energy()));
        cols.add(Double.toString(t.startCv().force()));
        cols.add(Long.toString(t.cv().energyCount()));
        cols.add(Long.toString(t.cv().forceCount()));
        cols.add(String.format(java.util.Locale.ROOT, "%.3f", t.seconds()));
        cols.add(String.format(java.util.Locale.ROOT, "%.3f", t.passSeconds()));
        cols.add(Integer.toString(t.evaluations()));
        cols.add(join(t.factors().sigma()));
        cols.add(join(t.factors().delta()));
        cols.add(t.failure().replaceAll("[\\t\\r\\n]+", " "));
        return String.join("\t", cols);
    }

    private static String join(double[] v) {
        return String.join(",", Arrays.stream(v).mapToObj(Double::toString).toList());
    }

    private Trial parse(String line, int number) {
        String[] c = line.split("\t", -1);
        int n = dimensions.size();
        if (c.length != n + 14) {
            throw bad(number, "has " + c.length + " columns, expected " + (n + 14) + " (an interrupted write? "
                    + "remove the line to resume)");
        }
        try {
            int index = Integer.parseInt(c[0]);
            if (index != trials.size()) {
                throw bad(number, "is trial " + index + ", expected " + trials.size());
            }
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = Double.parseDouble(c[1 + i]);
            }
            int at = n + 1;
            long energies = Long.parseLong(c[at + 5]);
            long forces = Long.parseLong(c[at + 6]);
            Objective.CvErrors cv = new Objective.CvErrors(Double.parseDouble(c[at]), Double.parseDouble(c[at + 1]),
                    energies, forces);
            Objective.CvErrors start = new Objective.CvErrors(Double.parseDouble(c[at + 3]),
                    Double.parseDouble(c[at + 4]), energies, forces);
            double[] sigma = split(c[at + 10]);
            double[] delta = split(c[at + 11]);
            if (sigma.length != groups) {
                throw bad(number, "has " + sigma.length + " σ factors, this search has " + groups + " groups");
            }
            return new Trial(index, values, cv, Double.parseDouble(c[at + 2]), start,
                    new NoiseSearch.Factors(sigma, delta), Integer.parseInt(c[at + 9]), Double.parseDouble(c[at + 7]),
                    Double.parseDouble(c[at + 8]), c[at + 12]);
        } catch (NumberFormatException e) {
            throw bad(number, "has a malformed number (" + e.getMessage() + ")");
        }
    }

    private static double[] split(String s) {
        return s.isEmpty() ? new double[0] : Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private IllegalArgumentException bad(int line, String what) {
        return new IllegalArgumentException(file + ", line " + line + ": the trial " + what);
    }
}
