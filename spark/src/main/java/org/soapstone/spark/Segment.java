package org.soapstone.spark;

import java.io.Serializable;

/**
 * A byte range of one training file and where it lies in the training set: the unit a task reads.
 *
 * @param file the file (a Hadoop path or URI, as listed)
 * @param start first byte
 * @param end first byte after the range
 * @param atFrame true if a frame is known to start at {@code start}; false for a split of the file, whose first
 *     frame is searched for ({@link FrameScanner})
 * @param firstIndex the 0-based index in the training set of the first frame starting in the range
 * @param fileFrames frames of the same file before that frame
 * @param firstLine the 1-based line of the file at byte {@code start}
 */
record Segment(String file, long start, long end, boolean atFrame, int firstIndex, int fileFrames, long firstLine)
        implements Serializable {
    Segment {
        if (start < 0 || end < start || firstIndex < 0 || fileFrames < 0 || firstLine < 1) {
            throw new IllegalArgumentException("bad segment " + file + " [" + start + ", " + end + ") index "
                    + firstIndex + " line " + firstLine);
        }
    }

    /** A split whose place in the training set is not known yet (for the first pass, which finds it). */
    static Segment split(String file, long start, long end) {
        return new Segment(file, start, end, false, 0, 0, 1);
    }
}
