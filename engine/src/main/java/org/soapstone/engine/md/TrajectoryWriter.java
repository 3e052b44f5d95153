package org.soapstone.engine.md;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;

/**
 * An {@link MdObserver} appending a frame to an extended-XYZ trajectory every {@link #interval()} steps.
 *
 * <p>Each frame is a copy of the structure (positions Å, velocities Å/fs as {@code velo}, its own properties and
 * info) with the current results added: per-atom REAL properties {@code forces} (3 columns, eV/Å) and, when
 * computed, {@code energies} (eV, ASE's name for per-atom energies); info {@code energy} (potential energy, eV),
 * {@code stress} (when computed: the 3×3 matrix, 9 values row-major, eV/Å³, ASE's sign, as ASE writes it),
 * {@code step} and {@code time} (fs).
 *
 * <p>Frames are written with {@link ExtXyz#appendFrame}: one write and an fsync per frame, so the trajectory
 * can be read while the run goes on and a crash, even of the machine, loses at most the frame being written
 * (unlike result files, it is not written to a temporary file and renamed, which would lose everything on a
 * crash). An existing file at the path is replaced when the writer is created. The per-frame copy and I/O are
 * O(N) and only every interval steps, never in the per-step loop.
 */
public final class TrajectoryWriter implements MdObserver {
    private final Path file;
    private final int interval;

    /**
     * Starts a trajectory at {@code file}, deleting any file already there.
     *
     * @param file the trajectory (gzip-compressed if the name ends in {@code .gz})
     * @param interval write every this many steps, ≥ 1
     * @throws UncheckedIOException naming the file if an existing file cannot be removed
     */
    public TrajectoryWriter(Path file, int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("trajectory interval must be ≥ 1 step, got " + interval);
        }
        this.file = file;
        this.interval = interval;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace trajectory " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int interval() {
        return interval;
    }

    @Override
    public Action observe(MdSystem system) {
        try {
            ExtXyz.appendFrame(file, frame(system));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to trajectory " + file + ": " + e.getMessage(), e);
        }
        return Action.CONTINUE;
    }

    /** @return a copy of the system's structure carrying its current results, as written to the trajectory */
    public static Structure frame(MdSystem system) {
        Structure frame = system.structure().copy();
        CalculationResults r = system.results();
        frame.setProperty("forces", AtomProperty.real(3, r.forces.clone()));
        if (r.has(Property.ENERGIES)) {
            frame.setProperty("energies", AtomProperty.real(1, r.energies.clone()));
        }
        frame.info().put("energy", r.energy);
        if (r.has(Property.STRESS)) {
            frame.info().put("stress", r.stressMatrix());
        }
        frame.info().put("step", system.step());
        frame.info().put("time", system.time());
        return frame;
    }
}
