package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.soapstone.engine.io.StructureAssertions.assertIdentical;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/** Atomic writes, aborts, appending frame by frame, and the values the writer refuses. */
class ExtXyzWriterTest {
    private static final String ORIGINAL = "1\nProperties=species:S:1:pos:R:3\nH 0 0 0\n";

    @TempDir
    Path dir;

    private Path existingTarget() throws IOException {
        Path target = dir.resolve("train.xyz");
        Files.writeString(target, ORIGINAL);
        return target;
    }

    private List<Path> directory() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static Structure unwritable() {
        Structure s = Crystal.fcc(29, 3.6, 1);
        s.info().put("comment", "line one\nline two");
        return s;
    }

    @Test
    void failingFrameLeavesTheExistingFileIntactAndNoTemporaryFile() throws Exception {
        Path target = existingTarget();
        Structure good = Crystal.diamond(14, 5.43, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExtXyz.write(target, List.of(good, good, unwritable())));
        assertTrue(e.getMessage().contains("line break"), e.getMessage());
        assertEquals(ORIGINAL, Files.readString(target));
        assertEquals(List.of(target), directory());
    }

    @Test
    void failingSourceOfFramesLeavesTheExistingFileIntact() throws Exception {
        Path target = existingTarget();
        Iterable<Structure> failing = () -> new Iterator<>() {
            int k;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Structure next() {
                if (++k == 3) {
                    throw new IllegalStateException("reference calculation failed");
                }
                return Crystal.bcc(26, 2.87, 2);
            }
        };
        assertThrows(IllegalStateException.class, () -> ExtXyz.write(target, failing));
        assertEquals(ORIGINAL, Files.readString(target));
        assertEquals(List.of(target), directory());
    }

    @Test
    void abortDiscardsEverythingWritten() throws Exception {
        Path target = existingTarget();
        ExtXyzWriter w = ExtXyz.create(target);
        w.write(Crystal.fcc(29, 3.6, 2));
        assertEquals(2, directory().size(), "frames go to a temporary file beside the target");
        w.abort();
        assertThrows(IllegalStateException.class, w::commit, "after abort, nothing can be committed");
        assertEquals(ORIGINAL, Files.readString(target));
        assertEquals(List.of(target), directory());
        assertThrows(IllegalStateException.class, () -> w.write(Crystal.fcc(29, 3.6, 1)));
    }

    @Test
    void writerThatFailsMidwayAbortsItself() throws Exception {
        Path target = existingTarget();
        try (ExtXyzWriter w = ExtXyz.create(target)) {
            w.write(Crystal.fcc(29, 3.6, 2));
            assertThrows(IllegalArgumentException.class, () -> w.write(unwritable()));
        }
        assertEquals(ORIGINAL, Files.readString(target));
        assertEquals(List.of(target), directory());
    }

    @Test
    void closingWithoutCommitLeavesTheTargetAlone() throws Exception {
        Path target = existingTarget();
        assertThrows(IllegalStateException.class, () -> {
            try (ExtXyzWriter w = ExtXyz.create(target)) {
                w.write(Crystal.fcc(29, 3.6, 2));
                throw new IllegalStateException("the caller's own failure between frames");
            }
        });
        assertEquals(ORIGINAL, Files.readString(target));
        assertEquals(List.of(target), directory());
    }

    @Test
    void failureOnANewFileLeavesNoFileAtAll() throws Exception {
        Path target = dir.resolve("new.xyz");
        assertThrows(IllegalArgumentException.class, () -> ExtXyz.write(target, List.of(unwritable())));
        assertEquals(List.of(), directory());
    }

    @Test
    void closeReplacesTheTargetAtomically() throws Exception {
        Path target = existingTarget();
        Structure a = Crystal.fcc(29, 3.6, 2);
        Structure b = Crystal.diamond(6, 3.57, 1);
        try (ExtXyzWriter w = ExtXyz.create(target)) {
            w.write(a);
            w.write(b);
            assertEquals(ORIGINAL, Files.readString(target), "target untouched until commit");
            w.commit();
        }
        List<Structure> back = ExtXyz.read(target);
        assertIdentical(a, back.get(0), "frame 1");
        assertIdentical(b, back.get(1), "frame 2");
        assertEquals(List.of(target), directory());
    }

    @Test
    void refusesNamesAndValuesThatWouldNotReadBack() {
        Structure s = Crystal.fcc(29, 3.6, 1);
        s.setProperty("bad name", AtomProperty.real(1, new double[4]));
        assertThrows(IllegalArgumentException.class, () -> FrameFormatter.format(s, new StringBuilder()));
        Structure t = Crystal.fcc(29, 3.6, 1);
        t.setProperty("pos", AtomProperty.real(3, new double[12]));
        assertThrows(IllegalArgumentException.class, () -> FrameFormatter.format(t, new StringBuilder()));
        Structure u = Crystal.fcc(29, 3.6, 1);
        u.setProperty("label", new AtomProperty(AtomProperty.Type.STRING, 1, new String[] {"a", "b c", "d", "e"}));
        assertThrows(IllegalArgumentException.class, () -> FrameFormatter.format(u, new StringBuilder()));
        Structure v = Crystal.fcc(29, 3.6, 1);
        v.info().put("pbc", "T T T");
        assertThrows(IllegalArgumentException.class, () -> FrameFormatter.format(v, new StringBuilder()));
        Structure w = Crystal.fcc(29, 3.6, 1);
        w.info().put("when", java.time.Instant.EPOCH);
        assertThrows(IllegalArgumentException.class, () -> FrameFormatter.format(w, new StringBuilder()));
    }

    @Test
    void appendFrameAddsCompleteFramesOneAtATime() throws Exception {
        for (String name : List.of("calls.xyz", "calls.xyz.gz")) {
            Path file = dir.resolve(name);
            Structure[] frames = new Structure[3];
            for (int k = 0; k < 3; k++) {
                frames[k] = Crystal.fcc(29, 3.6 + 0.01 * k, 1);
                frames[k].info().put("energy", -3.5 - k * 1e-3);
                ExtXyz.appendFrame(file, frames[k]);
                assertEquals(k + 1, ExtXyz.read(file).size(), name);
            }
            List<Structure> back = ExtXyz.read(file);
            for (int k = 0; k < 3; k++) {
                assertIdentical(frames[k], back.get(k), name + " frame " + k);
            }
        }
    }

    @Test
    void crashDuringAppendLeavesATruncatedLastFrameThatTheReaderReports() throws Exception {
        Path file = dir.resolve("calls.xyz");
        ExtXyz.appendFrame(file, Crystal.fcc(29, 3.6, 1));
        ExtXyz.appendFrame(file, Crystal.fcc(29, 3.6, 1));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 30)); // the crash cut the last frame
        try (ExtXyzReader r = ExtXyz.open(file)) {
            assertEquals(4, r.next().size());
            ExtXyzFormatException e = assertThrows(ExtXyzFormatException.class, r::next);
            assertTrue(e.getMessage().startsWith(file + ":"), e.getMessage());
            assertEquals(2, e.frame());
            assertTrue(e.line() >= 9 && e.line() <= 12, e.getMessage());
        }
    }

    @Test
    void appendFrameWritesNothingForAnUnwritableStructure() throws Exception {
        Path file = existingTarget();
        assertThrows(IllegalArgumentException.class, () -> ExtXyz.appendFrame(file, unwritable()));
        assertEquals(ORIGINAL, Files.readString(file));
        assertFalse(Files.exists(dir.resolve("other.xyz")));
    }
}
