package org.soapstone.engine.fit;

import java.nio.file.Path;

/**
 * A training file that gap_fit's rules cannot use: a non-finite or wrongly shaped value, a σ ≤ 0, a frame with
 * nothing to fit, a missing e0. The message names the file, the 1-based line (the atom's line for a per-atom value,
 * the header line for a per-frame value), the frame (1-based, and its 0-based index) and the field, e.g.
 * {@code train.xyz:1234: frame 17 (index 16), 'forces': atom 3 component y is NaN}. Frame-independent problems
 * (an empty file, a species without e0) name the file and, where one exists, the frame that shows the problem.
 */
public final class TrainingDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int index;
    private final long line;
    private final String field;

    /**
     * @param file the training file
     * @param index the 0-based frame index, or −1 if no frame is concerned
     * @param line the 1-based line concerned, or 0 if none
     * @param field the field concerned, e.g. {@code 'forces'}, {@code e0}
     * @param detail what is wrong
     */
    public TrainingDataException(Path file, int index, long line, String field, String detail) {
        this(file.toString(), index, line, field, detail);
    }

    /**
     * @param file the training file as the user named it: a path, or a URI such as {@code hdfs://host/train.xyz}
     * @param index the 0-based frame index, or −1 if no frame is concerned
     * @param line the 1-based line concerned, or 0 if none
     * @param field the field concerned, e.g. {@code 'forces'}, {@code e0}
     * @param detail what is wrong
     */
    public TrainingDataException(String file, int index, long line, String field, String detail) {
        super(file + (line > 0 ? ":" + line : "") + ": "
                + (index >= 0 ? "frame " + (index + 1) + " (index " + index + "), " : "") + field + ": " + detail);
        this.file = file;
        this.index = index;
        this.line = line;
        this.field = field;
    }

    /** @return the training file, as named in the message */
    public String file() {
        return file;
    }

    /** @return the 0-based frame index, or −1 */
    public int index() {
        return index;
    }

    /** @return the 1-based line concerned, or 0 */
    public long line() {
        return line;
    }

    /** @return the field concerned */
    public String field() {
        return field;
    }
}
