package org.soapstone.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds the extended-XYZ frames that start in a byte range [start, end) of a file and returns each frame's text, so
 * that one large file can be read by many tasks, none reading it all: a frame belongs to the range that holds the
 * first byte of its atom-count line, and a reader reads past {@code end} to finish its last frame.
 *
 * <p>From the start of a file, frames are read as {@link org.soapstone.engine.io.ExtXyzReader} reads them (blank
 * lines between frames skipped). From anywhere else, the first frame is found by its shape: a line holding one
 * non-negative integer n, then a header line, then n atom lines of two or more fields, then the end of the file, a
 * blank line or another such count line. Atom lines always have several fields, so a count line can only be confused
 * with a header line that is itself a lone integer equal to n − 1 of its frame — not a header of extended XYZ, whose
 * header is a list of key=value pairs.
 *
 * <p>Lines end with {@code \n}, {@code \r\n} or {@code \r} (as {@link java.io.BufferedReader#readLine}). The scanner
 * counts the line ends whose last byte lies in [start, end), so that the line numbers of every range of a file can be
 * added up into the line numbers of the file, and it tells where the frame after its last one starts
 * ({@link #nextStart()}), so that the ranges of a file can be checked to chain into one another: a frame the shape
 * test missed (a truncated last frame, a header that is a lone integer) is an error, never a frame silently lost.
 * Not thread-safe.
 */
final class FrameScanner {
    private static final int NONE = -2;

    /** One frame: where it starts, the line of its count line counted from {@code start}, its text. */
    record Frame(long offset, long lineFromStart, String text) {
    }

    /** A line of the file: its first byte's position, its bytes without the line end. */
    private record Line(long position, long lineFromStart, byte[] bytes) {
        boolean blank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t') {
                    return false;
                }
            }
            return true;
        }

        /** @return the lone non-negative integer the line holds, or −1 */
        long count() {
            int i = 0;
            int n = bytes.length;
            while (i < n && (bytes[i] == ' ' || bytes[i] == '\t')) {
                i++;
            }
            while (n > i && (bytes[n - 1] == ' ' || bytes[n - 1] == '\t')) {
                n--;
            }
            if (i < n && bytes[i] == '+') {
                i++;
            }
            if (i == n || n - i > 10) {
                return -1;
            }
            long v = 0;
            for (; i < n; i++) {
                if (bytes[i] < '0' || bytes[i] > '9') {
                    return -1;
                }
                v = 10 * v + (bytes[i] - '0');
            }
            return v;
        }

        /** @return true if the line has at least two whitespace-separated fields */
        boolean fields() {
            int fields = 0;
            boolean in = false;
            for (byte b : bytes) {
                boolean space = b == ' ' || b == '\t';
                if (!space && !in) {
                    if (++fields == 2) {
                        return true;
                    }
                }
                in = !space;
            }
            return false;
        }

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final InputStream in;
    private final long start;
    private final long end;
    private long position;
    /** Line ends read since {@code start}: the line number of what follows, counted from {@code start}. */
    private long lines;
    /** Line ends whose last byte lies in [start, end). */
    private long terminators;
    private int peeked = NONE;
    private boolean eof;
    private boolean syncing;
    private boolean done;
    private long nextStart = -1;
    private long nextLine;
    /** Lines read but not consumed: a ring of {@code size} lines from {@code head}. */
    private Line[] ahead = new Line[8];
    private int head;
    private int size;
    private byte[] buffer = new byte[256];

    /**
     * @param in the file's bytes from {@code max(0, start − 1)} on (the byte before {@code start} tells whether
     *     {@code start} begins a line); buffered by the caller
     * @param start first byte of the range
     * @param end first byte after the range
     */
    FrameScanner(InputStream in, long start, long end) throws IOException {
        this(in, start, end, start == 0);
    }

    /**
     * @param in the file's bytes from {@code start} on if {@code atFrame}, else from {@code max(0, start − 1)} on;
     *     buffered by the caller
     * @param atFrame true if a frame (or blank lines before one) is known to start at {@code start}: no search
     */
    FrameScanner(InputStream in, long start, long end, boolean atFrame) throws IOException {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad byte range [" + start + ", " + end + ")");
        }
        this.in = in;
        this.start = start;
        this.end = end;
        if (atFrame) {
            position = start;
            return;
        }
        syncing = true;
        position = start - 1;
        int before = read();
        if (before == '\r') {
            if (peek() == '\n') {
                read();
                terminators++;
                lines++;
            }
        } else if (before != '\n' && before != -1) {
            readLine(); // the rest of a line that began in an earlier range
        }
    }

    /**
     * @return the next frame whose count line starts before {@code end}, or null when there is none
     * @throws IOException if the file cannot be read
     */
    Frame next() throws IOException {
        if (done) {
            return null;
        }
        while (true) {
            Line line = line(0);
            while (line != null && line.blank()) {
                removeFirst();
                line = line(0);
            }
            if (line == null || line.position() >= end) {
                nextStart = line == null ? -1 : line.position();
                nextLine = line == null ? lines : line.lineFromStart();
                return finish();
            }
            long n = line.count();
            if (syncing && (n < 0 || !frameAhead(n))) {
                removeFirst();
                continue;
            }
            syncing = false;
            removeFirst();
            StringBuilder text = new StringBuilder(line.text());
            if (n >= 0) {
                for (long k = 0; k <= n; k++) {
                    Line next = line(0);
                    if (next == null) {
                        break;
                    }
                    removeFirst();
                    text.append('\n').append(next.text());
                }
            } else {
                done = true; // not a frame: the parser reports it
            }
            return new Frame(line.position(), line.lineFromStart(), text.toString());
        }
    }

    /**
     * @return the number of line ends whose last byte lies in [start, end); complete once {@link #next()} has
     *     returned null
     */
    long terminators() {
        return terminators;
    }

    /** @return the lines before {@link #nextStart()}, counted from {@code start} */
    long nextLine() {
        return nextLine;
    }

    /**
     * @return where the first frame after the last one returned starts (its first non-blank line), −1 at the end of
     *     the file; known once {@link #next()} has returned null after returning a frame
     */
    long nextStart() {
        return nextStart;
    }

    private Frame finish() throws IOException {
        done = true;
        while (position < end && !eof) {
            if (readLine() == null) {
                break;
            }
        }
        return null;
    }

    /** True if lines 1 … n + 1 ahead exist, lines 2 … n + 1 have fields, and line n + 2 ends the frame. */
    private boolean frameAhead(long n) throws IOException {
        if (n > Integer.MAX_VALUE - 3) {
            return false;
        }
        if (line(1) == null) {
            return false;
        }
        for (int k = 2; k <= n + 1; k++) {
            Line atom = line(k);
            if (atom == null || !atom.fields()) {
                return false;
            }
        }
        Line after = line((int) n + 2);
        return after == null || after.blank() || after.count() >= 0;
    }

    /** The line k places ahead of the current one, reading as needed; null past the end of the file. */
    private Line line(int k) throws IOException {
        while (size <= k) {
            long at = position;
            long number = lines;
            byte[] bytes = readLine();
            if (bytes == null) {
                return null;
            }
            if (size == ahead.length) {
                Line[] grown = new Line[2 * size];
                for (int i = 0; i < size; i++) {
                    grown[i] = ahead[(head + i) % size];
                }
                ahead = grown;
                head = 0;
            }
            ahead[(head + size++) % ahead.length] = new Line(at, number, bytes);
        }
        return ahead[(head + k) % ahead.length];
    }

    private void removeFirst() {
        ahead[head] = null;
        head = (head + 1) % ahead.length;
        size--;
    }

    /** Reads one line's bytes (its end consumed and counted); null at the end of the file. */
    private byte[] readLine() throws IOException {
        int length = 0;
        int b = read();
        if (b == -1) {
            return null;
        }
        while (b != -1 && b != '\n' && b != '\r') {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, 2 * length);
            }
            buffer[length++] = (byte) b;
            b = read();
        }
        if (b == '\r' && peek() == '\n') {
            b = read();
        }
        if (b != -1 && position - 1 >= start) {
            lines++;
            if (position - 1 < end) {
                terminators++;
            }
        }
        return Arrays.copyOf(buffer, length);
    }

    private int read() throws IOException {
        int b;
        if (peeked != NONE) {
            b = peeked;
            peeked = NONE;
        } else {
            b = in.read();
        }
        if (b == -1) {
            eof = true;
        } else {
            position++;
        }
        return b;
    }

    private int peek() throws IOException {
        if (peeked == NONE) {
            peeked = in.read();
        }
        return peeked;
    }
}
