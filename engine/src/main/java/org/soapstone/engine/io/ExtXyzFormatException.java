package org.soapstone.engine.io;

/**
 * An extended-XYZ file that cannot be read: its message names the file, the 1-based line, the 1-based frame and
 * the field, e.g. {@code train.xyz:1234: frame 17, property 'forces' column 2: 'abc' is not a number}.
 *
 * <p>Unchecked, so that it passes unchanged through {@link ExtXyzReader#next()} and {@link ExtXyzReader#stream()};
 * failures of the file system itself remain {@link java.io.IOException}s.
 */
public final class ExtXyzFormatException extends RuntimeException {
    private final String source;
    private final long line;
    private final int frame;
    private final String field;

    /**
     * @param source the file name (or other source description) as given to the reader
     * @param line the 1-based line number of the offending line
     * @param frame the 1-based frame number
     * @param field what was being read: "atom count", "Lattice", "property 'forces' column 2", …
     * @param detail what is wrong with it
     */
    public ExtXyzFormatException(String source, long line, int frame, String field, String detail) {
        super(source + ":" + line + ": frame " + frame + ", " + field + ": " + detail);
        this.source = source;
        this.line = line;
        this.frame = frame;
        this.field = field;
    }

    /** @return the file name (or source description) */
    public String source() {
        return source;
    }

    /** @return the 1-based line number */
    public long line() {
        return line;
    }

    /** @return the 1-based frame number */
    public int frame() {
        return frame;
    }

    /** @return the field being read, e.g. "property 'forces' column 2" */
    public String field() {
        return field;
    }
}
