package org.soapstone.engine.learn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.soapstone.engine.gap.FitProvenance;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.io.AtomicFile;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;

/**
 * The files of a learning run, each written in one piece (an append with a flush or fsync, or an atomic
 * replacement), and told to a listener after each write.
 *
 * <ul>
 *   <li>{@value #TRAINING}: every reference frame, appended and fsynced — the commit point of a model update;
 *   <li>{@value #MODEL}: the model after every update, replaced atomically after the frame; its provenance says how
 *       many of the training frames it holds ({@value #FRAMES_KEY}) and with which σ ({@value #SIGMA_KEY});
 *   <li>{@value #LOG}: one line per reference call, written just before the frame ('#' lines for
 *       re-optimisations just before that);
 *   <li>{@value #TRAJECTORY}: a frame every trajectory interval with velocities and the conserved energy — the
 *       points a run resumes from;
 *   <li>{@value #THERMO}: md's columns and the conserved energy.
 * </ul>
 */
final class RunDirectory {
    static final String MODEL = "model.gap";
    static final String TRAINING = "training.xyz";
    static final String TRAJECTORY = "trajectory.xyz";
    static final String THERMO = "thermo.log";
    static final String LOG = "learn.log";
    /** Provenance key: the σ the model's frames are fitted with, "E F V H". */
    static final String SIGMA_KEY = "learn_default_sigma";
    /** Provenance key: how many frames of {@value #TRAINING} the model holds (its first ones). */
    static final String FRAMES_KEY = "frames";
    /** Provenance key: how many of them came with the starting model rather than from reference calls. */
    static final String START_FRAMES_KEY = "learn_start_frames";
    /** Provenance key: reference calls so far. */
    static final String CALLS_KEY = "reference_calls";
    /** Info key of a trajectory frame: thermo.log's conserved energy at its step (eV). */
    static final String CONSERVED_KEY = "conserved_energy";
    static final String LOG_HEADER = "# step  max_sigma_eV  atom  energy_error_eV  energy_jump_eV  reference_calls  "
            + "sparse_points  frames  update_s\n";

    private final Path dir;
    private final Consumer<Path> afterWrite;

    /**
     * @param dir the run directory (created if absent)
     * @param afterWrite told each file after a write to it completes
     */
    RunDirectory(Path dir, Consumer<Path> afterWrite) throws IOException {
        this.dir = dir;
        this.afterWrite = afterWrite;
        Files.createDirectories(dir);
    }

    Path dir() {
        return dir;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * Empties the directory of an earlier run's files: the trajectory first, so that a directory left half-cleared
     * holds nothing to resume from.
     */
    void clear() throws IOException {
        removeTemporaries();
        for (String name : List.of(TRAJECTORY, TRAINING, MODEL, THERMO, LOG)) {
            Files.deleteIfExists(file(name));
        }
    }

    /**
     * Deletes the temporary files that writes of a killed run left beside the run's files (the directory belongs to
     * one run at a time), and those of dead processes ({@link AtomicFile#removeStale}).
     */
    void removeTemporaries() throws IOException {
        AtomicFile.removeStale(dir);
        List<String> names = List.of(TRAJECTORY, TRAINING, MODEL, THERMO, LOG);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (names.stream().anyMatch(n -> name.startsWith("." + n))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Appends {@code text} to learn.log, flushed. */
    void appendLog(String text) {
        append(file(LOG), text);
    }

    /** Appends a reference frame to training.xyz, fsynced. */
    void appendTraining(Structure labelled) {
        appendFrame(file(TRAINING), labelled);
    }

    /** Writes training.xyz anew with {@code frames}, atomically. */
    void writeTraining(List<Structure> frames) throws IOException {
        ExtXyz.write(file(TRAINING), frames);
        wrote(file(TRAINING));
    }

    /** Replaces model.gap, atomically. */
    void writeModel(GapModel model, FitProvenance provenance) {
        try {
            GapModelFile.write(file(MODEL), model, provenance);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(MODEL) + ": " + e.getMessage(), e);
        }
        wrote(file(MODEL));
    }

    /** Appends a frame to trajectory.xyz, fsynced. */
    void appendTrajectory(Structure frame) {
        appendFrame(file(TRAJECTORY), frame);
    }

    /** Tells the listener that thermo.log was written (a {@link org.soapstone.engine.md.ThermoLog} writes it). */
    void wroteThermo() {
        wrote(file(THERMO));
    }

    /**
     * Keeps learn.log's header and its lines up to the {@code calls}-th data line, dropping the lines a killed run
     * wrote for an update it did not commit.
     */
    void keepLogCalls(int calls) throws IOException {
        keepLines(file(LOG), lines -> {
            List<String> kept = new ArrayList<>();
            int seen = 0;
            for (String line : lines) {
                if (line.startsWith("# step")) {
                    kept.add(line);
                } else if (seen < calls) {
                    seen += line.startsWith("#") ? 0 : 1;
                    kept.add(line);
                }
            }
            return kept;
        }, LOG_HEADER);
    }

    /**
     * Keeps thermo.log's header and the lines of steps up to {@code step}; a line cut short by a kill (fewer fields
     * than the header names) goes too.
     */
    void keepThermoUpTo(long step) throws IOException {
        keepLines(file(THERMO), lines -> {
            int fields = lines.isEmpty() || !lines.getFirst().startsWith("#") ? -1
                    : lines.getFirst().substring(1).strip().split("\\s+").length;
            return lines.stream().filter(line -> line.startsWith("#") || stepOf(line, fields) <= step).toList();
        }, null);
    }

    /** @return the step of a thermo.log line of {@code fields} fields, or {@link Long#MAX_VALUE} if it is not one */
    private static long stepOf(String line, int fields) {
        String[] f = line.strip().split("\\s+");
        try {
            return f.length == fields ? Long.parseLong(f[0]) : Long.MAX_VALUE;
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Rewrites {@code file} (atomically) with the lines {@code keep} returns, if it drops any; a missing file is
     * created with {@code header} (if not null).
     */
    private void keepLines(Path file, UnaryOperator<List<String>> keep, String header) throws IOException {
        if (!Files.exists(file)) {
            if (header != null) {
                append(file, header);
            }
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                .toList();
        List<String> kept = keep.apply(lines);
        if (kept.size() == lines.size()) {
            return;
        }
        byte[] text = (String.join("\n", kept) + (kept.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, out -> out.write(text));
        wrote(file);
    }

    private void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        wrote(file);
    }

    private void appendFrame(Path file, Structure frame) {
        try {
            ExtXyz.appendFrame(file, frame);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
        wrote(file);
    }

    private void wrote(Path file) {
        afterWrite.accept(file);
    }
}
