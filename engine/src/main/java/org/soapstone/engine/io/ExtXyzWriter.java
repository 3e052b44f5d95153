package org.soapstone.engine.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.soapstone.engine.structure.Structure;

/**
 * Writes an extended-XYZ file frame by frame, atomically, like a transaction: the frames go to a temporary file in
 * the target's directory ({@link AtomicFile}), which {@link #commit()} flushes to disk and renames onto the target.
 * Until then an existing target is untouched. {@link #close()} without a commit — e.g. when an exception leaves a
 * try-with-resources block — aborts: it deletes the temporary file and leaves the target as it was.
 *
 * <pre>{@code
 * try (ExtXyzWriter w = ExtXyz.create(path)) {
 *     for (Structure s : frames) w.write(s);
 *     w.commit();
 * }
 * }</pre>
 * A target whose name ends in {@code .gz} is gzip-compressed. Not thread-safe.
 */
public final class ExtXyzWriter implements AutoCloseable {
    private final Path target;
    private final AtomicFile file;
    private final OutputStream out;
    private final StringBuilder frame = new StringBuilder();
    private boolean finished;

    ExtXyzWriter(Path target) throws IOException {
        this.target = target;
        this.file = AtomicFile.create(target);
        OutputStream raw = file.stream();
        try {
            this.out = ExtXyz.isGzip(target) ? new GZIPOutputStream(raw, 1 << 16) : raw;
        } catch (IOException e) {
            file.abort();
            throw e;
        }
    }

    /**
     * Appends one frame (positions Å, velocities Å/fs, masses amu, cell Å; layout in {@link ExtXyz}). If the
     * structure cannot be written or the write fails, the writer aborts (the target is left untouched) and the
     * exception propagates.
     *
     * @throws IllegalArgumentException if the structure has a name or value that cannot be written faithfully
     * @throws IllegalStateException if the writer is already closed or aborted
     */
    public void write(Structure s) throws IOException {
        if (finished) {
            throw new IllegalStateException("writer for " + target + " is closed or aborted");
        }
        try {
            frame.setLength(0);
            FrameFormatter.format(s, frame);
            out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            abortAfter(e);
            throw e;
        }
    }

    private void abortAfter(Exception failure) {
        try {
            abort();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Discards everything written: deletes the temporary file, leaving the target as it was. Idempotent. */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        file.abort();
    }

    /** Aborts unless {@link #commit()} was called: an uncommitted file never replaces the target. */
    @Override
    public void close() {
        abort();
    }

    /**
     * Commits: flushes and syncs the temporary file and renames it onto the target.
     *
     * @throws IllegalStateException if the writer was already committed or aborted
     */
    public void commit() throws IOException {
        if (finished) {
            throw new IllegalStateException("writer for " + target + " is already closed or aborted");
        }
        try {
            out.flush();
            if (out instanceof GZIPOutputStream gz) {
                gz.finish();
            }
            file.commit();
            finished = true;
        } catch (IOException | RuntimeException e) {
            abortAfter(e);
            throw e;
        }
    }
}
