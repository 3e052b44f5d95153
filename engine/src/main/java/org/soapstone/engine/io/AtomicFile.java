package org.soapstone.engine.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file replaced all at once: written to a hidden temporary file beside the target,
 * {@code .NAME.<pid>-<random>.tmp}, synced, then renamed over the target, so that a reader sees the old content or
 * the complete new one, never a part. Every output file of Soapstone is written this way (logs and trajectories,
 * which grow as a run goes, excepted).
 *
 * <p>The temporary file is created like any other file (mode 0666 less the umask), not with the owner-only mode
 * {@link Files#createTempFile} gives, so the target ends up with the same permissions as every other output.
 *
 * <p>A write that fails deletes its temporary file. One still open when the JVM exits (normally or on SIGINT or
 * SIGTERM) is deleted by a shutdown hook. A process killed outright leaves it behind: the next atomic write of the
 * same target, and {@link #removeStale}, delete the temporary files whose process (the pid in the name) is gone.
 */
public final class AtomicFile implements AutoCloseable {
    /** {@code .NAME.<pid>-<hex>.tmp}: the target's name, the writing process and a random tag. */
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.(\\d{1,18})-[0-9a-f]+\\.tmp");
    private static final long PID = ProcessHandle.current().pid();
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : OPEN) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // the JVM is going away; nothing more can be done
                }
            }
        }, "atomic-file-cleanup"));
    }

    /** What writes the content. */
    @FunctionalInterface
    public interface Body {
        /** @param out the temporary file's stream (buffered; closed by the caller) */
        void write(OutputStream out) throws IOException;
    }

    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private boolean finished;

    private AtomicFile(Path target) throws IOException {
        this.target = target;
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        String name = absolute.getFileName().toString();
        removeStale(dir, name);
        FileChannel ch = null;
        Path tmp = null;
        for (int attempt = 0; ch == null; attempt++) {
            tmp = dir.resolve("." + name + "." + PID + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            } catch (IOException e) {
                throw new FileSystemException(target.toString(), null, "cannot write it: " + (Files.isDirectory(dir)
                        ? "cannot create a file in " + dir + " (" + reason(e) + ")"
                        : "the directory " + (target.getParent() != null ? target.getParent() : dir)
                                + " does not exist"));
            }
        }
        this.temporary = tmp;
        this.channel = ch;
        OPEN.add(tmp);
    }

    /**
     * Starts replacing {@code target}: creates the temporary file beside it (first deleting the temporary files of
     * dead processes for the same target).
     *
     * @throws FileSystemException naming the target if its directory does not exist
     */
    public static AtomicFile create(Path target) throws IOException {
        return new AtomicFile(target);
    }

    /**
     * Writes {@code target} atomically with the given content; on any failure the target is left as it was and the
     * temporary file is deleted.
     */
    public static void write(Path target, Body body) throws IOException {
        try (AtomicFile file = create(target)) {
            try (OutputStream out = new BufferedOutputStream(file.stream(), 1 << 16)) {
                body.write(out);
            }
            file.commit();
        }
    }

    /** @return an unbuffered stream to the temporary file; closing it does not commit */
    public OutputStream stream() {
        return new java.io.FilterOutputStream(Channels.newOutputStream(channel)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** @return the target */
    public Path target() {
        return target;
    }

    /**
     * Syncs the temporary file to disk and renames it onto the target.
     *
     * @throws IllegalStateException if already committed or aborted
     */
    public void commit() throws IOException {
        if (finished) {
            throw new IllegalStateException("atomic write of " + target + " is already committed or aborted");
        }
        try {
            channel.force(true);
            channel.close();
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            finished = true;
            OPEN.remove(temporary);
        } catch (IOException | RuntimeException e) {
            try {
                abort();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Discards what was written: deletes the temporary file, leaving the target as it was. Idempotent. */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            channel.close();
            Files.deleteIfExists(temporary);
            OPEN.remove(temporary);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + temporary, e);
        }
    }

    /** Aborts unless {@link #commit()} was called: an uncommitted file never replaces the target. */
    @Override
    public void close() {
        abort();
    }

    /**
     * Deletes the temporary files in {@code dir} left by processes that no longer run (killed while writing).
     *
     * @return how many were deleted
     */
    public static int removeStale(Path dir) throws IOException {
        return removeStale(dir.toAbsolutePath(), null);
    }

    /** As {@link #removeStale(Path)}, for one target name only if {@code name} is not null. */
    private static int removeStale(Path dir, String name) throws IOException {
        int removed = 0;
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : entries) {
                Matcher m = TEMPORARY.matcher(p.getFileName().toString());
                if (m.matches() && (name == null || m.group(1).equals(name)) && !alive(Long.parseLong(m.group(2)))) {
                    removed += Files.deleteIfExists(p) ? 1 : 0;
                }
            }
        }
        return removed;
    }

    /** @return why a file could not be created, in words */
    private static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage();
    }

    private static boolean alive(long pid) {
        return pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
