package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;

/** Streaming and the reader's mapping of special columns. */
class ExtXyzReaderTest {
    @TempDir
    Path dir;

    private static String frame(double x) {
        return "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3 energy=" + x + "\nSi " + x
                + " 0 0\nSi 1 1 1\n";
    }

    @Test
    void streamingYieldsEveryGoodFrameBeforeTheBrokenOne() throws Exception {
        Path file = dir.resolve("broken-third.xyz");
        Files.writeString(file, frame(0.5) + frame(1.5) + "2\nProperties=species:S:1:pos:R:3\nSi 0 0 0\nSi 1 x 1\n"
                + frame(2.5));
        try (ExtXyzReader r = ExtXyz.open(file)) {
            assertTrue(r.hasNext());
            assertEquals(0.5, r.next().positions()[0]);
            assertEquals(1.5, r.next().infoReal("energy"));
            ExtXyzFormatException e = assertThrows(ExtXyzFormatException.class, r::next);
            assertEquals(12, e.line());
            assertEquals(3, e.frame());
        }
        try (ExtXyzReader r = ExtXyz.open(file)) {
            assertThrows(ExtXyzFormatException.class, () -> r.stream().mapToDouble(s -> s.positions()[0]).sum());
        }
    }

    @Test
    void streamGivesAllFramesAndBlankLinesBetweenFramesAreSkipped() throws Exception {
        Path file = dir.resolve("blanks.xyz");
        Files.writeString(file, frame(0.5) + "\n  \n" + frame(1.5) + "\n\n");
        try (ExtXyzReader r = ExtXyz.open(file)) {
            assertArrayEquals(new double[] {0.5, 1.5}, r.stream().mapToDouble(s -> s.infoReal("energy")).toArray());
            assertFalse(r.hasNext());
            assertThrows(NoSuchElementException.class, r::next);
        }
    }

    @Test
    void specialColumnsAndDefaults() throws Exception {
        Path file = dir.resolve("special.xyz");
        Files.writeString(file, """
                2
                Properties=Z:I:1:pos:R:3:velo:R:3:mass:R:1:tags:I:1 note
                14 0 0 0 0.1 0.2 0.3 30.0 7
                8 1 1 1 -0.1 -0.2 -0.3 16.5 8
                1
                plain xyz comment-free frame: default species:S:1:pos:R:3
                si 0.5 0.5 0.5
                2
                Lattice="4 0 0 0 4 0 0 0 4" Properties=species:S:1:pos:R:3:Z:I:1
                Cu 0 0 0 29
                Cu 2 2 0 29
                """);
        var frames = ExtXyz.read(file);
        Structure a = frames.get(0);
        assertArrayEquals(new int[] {14, 8}, a.numbers());
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, -0.1, -0.2, -0.3}, a.velocities());
        assertArrayEquals(new double[] {30.0, 16.5}, a.masses());
        assertEquals(java.util.List.of("tags"), java.util.List.copyOf(a.properties().keySet()));
        assertEquals(Boolean.TRUE, a.info().get("note"));
        assertFalse(a.cell().anyPeriodic());
        assertFalse(a.cell().hasVolume());

        Structure b = frames.get(1);
        assertArrayEquals(new int[] {14}, b.numbers(), "symbols are capitalised as ASE does");
        assertEquals(Element.of(14).mass(), b.masses()[0]);
        assertNull(b.velocities());
        assertEquals(Boolean.TRUE, b.info().get("plain"), "a plain comment becomes bare keys, as in ASE");

        Structure c = frames.get(2);
        assertArrayEquals(new boolean[] {true, true, true}, c.cell().pbc(), "Lattice without pbc is periodic");
        assertArrayEquals(new long[] {29, 29}, (long[]) c.properties().get("Z").data(),
                "with species present, Z is an ordinary property");
    }
}
