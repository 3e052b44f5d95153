package org.soapstone.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.io.ExtXyzReader;

/**
 * One file cut into byte ranges — a boundary at every byte, and ranges of several frames — gives, range by range, exactly the frames {@link ExtXyzReader} reads
 * from the whole file — none lost, none twice, the same text and line numbers — with blank lines between frames,
 * {@code \r\n} and {@code \r} line ends and frames of different sizes; and a file that cannot be cut at frame
 * boundaries (a truncated last frame, a header that is a lone integer) is an error, not a silently lost frame.
 */
class ExtXyzRecordReaderTest {
    @TempDir
    Path dir;

    private static String frame(int atoms, String header, int seed) {
        StringBuilder sb = new StringBuilder().append(atoms).append('\n').append(header).append('\n');
        for (int a = 0; a < atoms; a++) {
            sb.append(a % 2 == 0 ? "Si" : "C").append(' ').append(0.1 * a + seed).append(' ').append(0.5 * seed)
                    .append(" 1.25\n");
        }
        return sb.toString();
    }

    private static String file() {
        StringBuilder sb = new StringBuilder("\n");
        sb.append(frame(3, "Properties=species:S:1:pos:R:3 energy=-1.0 pbc=\"F F F\"", 1));
        sb.append(frame(1, "energy=-0.5", 2));
        sb.append("\n\n");
        sb.append(frame(5, "Lattice=\"9 0 0 0 9 0 0 0 9\" Properties=species:S:1:pos:R:3 note=\"a b\"", 3));
        sb.append(frame(2, "", 4));
        sb.append(frame(4, "config_type=bulk 12", 5));
        return sb.toString();
    }

    /** The frames of the whole file as the plain reader reads them: (line, text of the structure's positions). */
    private static List<String> whole(String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (ExtXyzReader r = new ExtXyzReader(new BufferedReader(new StringReader(text)), "f")) {
            while (r.hasNext()) {
                var s = r.next();
                out.add(r.frameLine() + " " + java.util.Arrays.toString(s.positions()));
            }
        }
        return out;
    }

    private static final Configuration conf = new Configuration();

    /** The frames read range by range, numbered as {@link FrameTable} numbers them. */
    private List<String> split(Path file, int size) throws IOException {
        long length = Files.size(file);
        List<Segment> splits = new ArrayList<>();
        List<SplitIndex> index = new ArrayList<>();
        for (long start = 0; start < length; start += size) {
            Segment s = Segment.split(file.toUri().toString(), start, Math.min(length, start + size));
            splits.add(s);
            index.add(FitTasks.index(conf, s));
        }
        FrameTable table = new FrameTable(splits, index);
        List<String> out = new ArrayList<>();
        for (Segment s : table.splits()) {
            ExtXyzRecordReader r = new ExtXyzRecordReader();
            r.open(conf, new org.apache.hadoop.fs.Path(s.file()), s.start(), s.end(), true);
            int k = 0;
            while (r.nextKeyValue()) {
                long line = s.firstLine() + r.linesBefore();
                try (ExtXyzReader p = new ExtXyzReader(new BufferedReader(new StringReader(r.text())), "f", line,
                        k++)) {
                    out.add(line + " " + java.util.Arrays.toString(p.next().positions()));
                }
            }
            r.close();
        }
        assertEquals(out.size(), table.frames());
        return out;
    }

    @Test
    void anySplitSizeGivesTheFramesOfTheWholeFile() throws IOException {
        List<String> endings = List.of("\n", "\r\n", "\r");
        for (String ending : endings) {
            String text = file().replace("\n", ending);
            Path f = Files.writeString(dir.resolve("frames" + endings.indexOf(ending) + ".xyz"), text,
                    StandardCharsets.UTF_8);
            List<String> expected = whole(text);
            assertEquals(5, expected.size());
            // size 1 puts a split boundary at every byte; the others, splits holding several frames
            for (int size : new int[] {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, text.length() + 1}) {
                assertEquals(expected, split(f, size), "split size " + size + ", line end "
                        + ending.replace("\r", "\\r").replace("\n", "\\n"));
            }
        }
    }

    @Test
    void aTruncatedLastFrameInALaterSplitIsAnErrorNotALoss() throws IOException {
        String text = file() + "6\nenergy=1\nSi 0 0 0\nSi 1 1 1\n";
        Path f = Files.writeString(dir.resolve("truncated.xyz"), text);
        int lastFrame = text.lastIndexOf("6\nenergy=1");
        var e = assertThrows(FrameTable.GapException.class, () -> split(f, lastFrame - 3));
        assertEquals(lastFrame, e.gap().offset());
        assertEquals(text.substring(0, lastFrame).lines().count() + 1, e.gap().line());
    }

    @Test
    void aHeaderThatIsALoneIntegerCannotSilentlyShiftTheFrames() throws IOException {
        // the second frame's header "2" looks like a count line followed by a 2-atom frame
        String text = frame(2, "energy=0", 1) + frame(3, "2", 2) + frame(2, "energy=0", 3);
        Path f = Files.writeString(dir.resolve("lone.xyz"), text);
        int second = text.indexOf("3\n2\n");
        List<String> expected = whole(text);
        for (int size : new int[] {1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, text.length()}) {
            try {
                assertEquals(expected, split(f, size), "split size " + size);
            } catch (FrameTable.GapException e) {
                assertTrue(e.gap().offset() >= second, "size " + size + ": " + e.getMessage());
            }
        }
    }
}
