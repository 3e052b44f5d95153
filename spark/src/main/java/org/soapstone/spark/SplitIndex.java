package org.soapstone.spark;

import java.io.Serializable;

/**
 * What the first pass finds in one split: where its frames start and the lines before each, counted from the
 * split's first byte; the line ends in the split; where the next frame starts.
 *
 * @param offsets byte offset of each frame's count line
 * @param lines lines before each frame's count line, from the split's first byte
 * @param terminators line ends whose last byte lies in the split
 * @param nextStart where the frame after the last one starts (−1: end of file; meaningful if there are frames)
 * @param nextLine lines before {@code nextStart}, from the split's first byte
 */
record SplitIndex(long[] offsets, long[] lines, long terminators, long nextStart, long nextLine)
        implements Serializable {
    int frames() {
        return offsets.length;
    }
}
