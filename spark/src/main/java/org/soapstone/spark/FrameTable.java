package org.soapstone.spark;

import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.fit.TrainingDataException;

/**
 * Where every frame of the training set lies — file, byte offset, line, place in its file — built on the driver
 * from the first pass over the splits (about 28 bytes per frame; the frames themselves stay on the executors).
 * Checks that the splits of each file chain: the first frame each split found is where the split before it said the
 * next frame starts, so no frame is lost or read twice; where they do not, the file is not cut at frame boundaries
 * and the error says where.
 */
final class FrameTable {
    private final List<String> files = new ArrayList<>();
    private final int[] file;
    private final long[] offset;
    private final long[] line;
    private final int[] fileFrame;
    private final List<Segment> splits = new ArrayList<>();

    /** A break in the chain of frames of a file, at a frame start that no split returned. */
    record Gap(String file, long offset, long line) {
    }

    /**
     * @param splits the splits, in file and byte order
     * @param index what the first pass found in each
     * @throws GapException if a file's splits do not chain
     */
    FrameTable(List<Segment> splits, List<SplitIndex> index) {
        int total = index.stream().mapToInt(SplitIndex::frames).sum();
        file = new int[total];
        offset = new long[total];
        line = new long[total];
        fileFrame = new int[total];
        int f = 0;
        String current = null;
        long lineAtStart = 1;
        int framesInFile = 0;
        long expected = 0;
        long expectedLine = 1;
        for (int k = 0; k < splits.size(); k++) {
            Segment s = splits.get(k);
            SplitIndex x = index.get(k);
            if (!s.file().equals(current)) {
                if (current != null && expected >= 0 && framesInFile > 0) {
                    throw new GapException(new Gap(current, expected, expectedLine));
                }
                current = s.file();
                files.add(current);
                lineAtStart = 1;
                framesInFile = 0;
                expected = -2; // the first frame of a file is wherever the first split finds it
            }
            if (x.frames() > 0) {
                if (expected != -2 && x.offsets()[0] != expected) {
                    throw new GapException(new Gap(current, expected, expectedLine));
                }
                this.splits.add(new Segment(current, x.offsets()[0], s.end(), true, f, framesInFile,
                        lineAtStart + x.lines()[0]));
                for (int i = 0; i < x.frames(); i++) {
                    file[f] = files.size() - 1;
                    offset[f] = x.offsets()[i];
                    line[f] = lineAtStart + x.lines()[i];
                    fileFrame[f] = framesInFile++;
                    f++;
                }
                expected = x.nextStart();
                expectedLine = lineAtStart + x.nextLine();
            } else if (expected >= s.start() && expected < s.end()) {
                throw new GapException(new Gap(current, expected, expectedLine));
            }
            lineAtStart += x.terminators();
        }
        if (current != null && expected >= 0 && framesInFile > 0) {
            throw new GapException(new Gap(current, expected, expectedLine));
        }
        if (total == 0) {
            throw new TrainingDataException(splits.isEmpty() ? "at_file" : splits.get(0).file(), -1, 0, "frames",
                    "the training set has no frames");
        }
    }

    /** A file whose splits do not chain; {@link #gap()} says at which frame start. */
    static final class GapException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Gap gap;

        GapException(Gap gap) {
            super(gap.file() + ":" + gap.line() + ": a frame starts at byte " + gap.offset() + " that the split "
                    + "reader did not find");
            this.gap = gap;
        }

        Gap gap() {
            return gap;
        }
    }

    /** @return the number of frames */
    int frames() {
        return offset.length;
    }

    /** @return the files, in order */
    List<String> files() {
        return List.copyOf(files);
    }

    /** @return one segment per split that has frames, starting at its first frame, with its place in the set */
    List<Segment> splits() {
        return List.copyOf(splits);
    }

    /**
     * The frames [from, to) as segments, one per file they span.
     */
    List<Segment> segments(int from, int to) {
        List<Segment> out = new ArrayList<>();
        int f = from;
        while (f < to) {
            int g = f;
            while (g + 1 < to && file[g + 1] == file[f]) {
                g++;
            }
            long end = g + 1 < offset.length && file[g + 1] == file[f] ? offset[g + 1] : Long.MAX_VALUE;
            out.add(new Segment(files.get(file[f]), offset[f], end, true, f, fileFrame[f], line[f]));
            f = g + 1;
        }
        return out;
    }
}
