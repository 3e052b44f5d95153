package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input gives an {@link ExtXyzFormatException} naming file, line, frame and field. The bad frame
 * is always the second, after a good one, so line and frame numbers are not trivially 1.
 */
class ExtXyzErrorsTest {
    private static final String GOOD = """
            2
            Lattice="4 0 0 0 4 0 0 0 4" Properties=species:S:1:pos:R:3:forces:R:3 energy=-1.5
            Si 0 0 0 0.1 0.2 0.3
            Si 1 1 1 -0.1 -0.2 -0.3
            """; // lines 1-4; the bad frame starts on line 5

    @TempDir
    Path dir;

    private ExtXyzFormatException assertBad(String secondFrame, long line, String field, String detail)
            throws Exception {
        Path file = dir.resolve("bad-input.xyz");
        Files.writeString(file, GOOD + secondFrame);
        ExtXyzFormatException e = assertThrows(ExtXyzFormatException.class, () -> ExtXyz.read(file));
        String m = e.getMessage();
        assertTrue(m.startsWith(file + ":" + line + ": frame 2, "), m);
        assertTrue(m.contains("bad-input.xyz"), m);
        assertTrue(m.contains(field), m);
        assertTrue(m.contains(detail), m);
        assertEquals(line, e.line(), m);
        assertEquals(2, e.frame(), m);
        assertEquals(field, e.field(), m);
        return e;
    }

    @Test
    void truncatedFrame() throws Exception {
        assertBad("3\nProperties=species:S:1:pos:R:3\nSi 0 0 0\nSi 1 1 1\n", 9, "atom 3",
                "the file ends after 2 of the 3 atom lines");
    }

    @Test
    void atomCountThatIsNotAnInteger() throws Exception {
        assertBad("two\nProperties=species:S:1:pos:R:3\nSi 0 0 0\nSi 1 1 1\n", 5, "atom count",
                "'two' is not a number of atoms");
        assertBad("-2\nProperties=species:S:1:pos:R:3\n", 5, "atom count", "'-2' is not a number of atoms");
    }

    @Test
    void atomCountTooLargeRunsIntoTheNextFrame() throws Exception {
        // count 3 but only 2 atom lines: the next frame's count line is read as the third atom
        assertBad("3\nProperties=species:S:1:pos:R:3\nSi 0 0 0\nSi 1 1 1\n1\n\nH 0 0 0\n", 9,
                "property 'species'", "unknown chemical symbol '1'");
    }

    @Test
    void atomCountTooSmallLeavesAnAtomWhereACountShouldBe() throws Exception {
        Path file = dir.resolve("short-count.xyz");
        Files.writeString(file, GOOD + "1\nProperties=species:S:1:pos:R:3\nSi 0 0 0\nSi 1 1 1\n");
        ExtXyzFormatException e = assertThrows(ExtXyzFormatException.class, () -> ExtXyz.read(file));
        assertTrue(e.getMessage().startsWith(file + ":8: frame 3, atom count: 'Si 1 1 1'"), e.getMessage());
    }

    @Test
    void lineWithTooFewColumns() throws Exception {
        assertBad("2\nProperties=species:S:1:pos:R:3:forces:R:3\nSi 0 0 0 1 2 3\nSi 1 1 1 1 2\n", 8,
                "property 'forces' column 3", "missing: the line has 6 columns, Properties declares 7");
    }

    @Test
    void lineWithTooManyColumns() throws Exception {
        assertBad("1\nProperties=species:S:1:pos:R:3\nSi 0 0 0 7\n", 7, "atom 1",
                "the line has more than the 4 columns Properties declares: '7'");
    }

    @Test
    void unknownTypeLetter() throws Exception {
        assertBad("1\nProperties=species:S:1:pos:R:3:forces:X:3\nSi 0 0 0 1 2 3\n", 6, "Properties",
                "property 'forces' has unknown type 'X'");
    }

    @Test
    void malformedProperties() throws Exception {
        assertBad("1\nProperties=species:S:1:pos:R\nSi 0 0 0\n", 6, "Properties", "not a list of name:type:columns");
        assertBad("1\nProperties=species:S:1:pos:R:three\nSi 0 0 0\n", 6, "Properties", "column count 'three'");
        assertBad("1\nProperties=species:S:1:pos:R:2\nSi 0 0\n", 6, "Properties", "'pos' is R:2, expected R:3");
        assertBad("1\nProperties=species:S:1\nSi\n", 6, "Properties", "has no 'pos' column");
    }

    @Test
    void nonNumericValueInANumericField() throws Exception {
        assertBad("1\nProperties=species:S:1:pos:R:3:forces:R:3\nSi 0 0 0 1 abc 3\n", 7,
                "property 'forces' column 2", "'abc' is not a number");
        assertBad("1\nProperties=species:S:1:pos:R:3:tags:I:1\nSi 0 0 0 1.5\n", 7, "property 'tags'",
                "'1.5' is not an integer");
        assertBad("1\nProperties=species:S:1:pos:R:3:fixed:L:1\nSi 0 0 0 yes\n", 7, "property 'fixed'",
                "'yes' is not a logical");
        assertBad("1\nProperties=species:S:1:pos:R:3\nSi 0 0 1.0d0\n", 7, "property 'pos' column 3",
                "'1.0d0' is not a number");
    }

    @Test
    void unknownChemicalSymbol() throws Exception {
        assertBad("2\nProperties=species:S:1:pos:R:3\nSi 0 0 0\nXx 1 1 1\n", 8, "property 'species'",
                "unknown chemical symbol 'Xx'");
        assertBad("1\nProperties=Z:I:1:pos:R:3\n0 0 0 0\n", 7, "property 'Z'", "'0' is not an atomic number");
    }

    @Test
    void periodicFrameWithoutLattice() throws Exception {
        assertBad("1\nProperties=species:S:1:pos:R:3 pbc=\"T T F\"\nSi 0 0 0\n", 6, "pbc",
                "makes the frame periodic but there is no Lattice");
    }

    @Test
    void malformedLattice() throws Exception {
        assertBad("1\nLattice=\"4 0 0 0 4 0 0 0\" Properties=species:S:1:pos:R:3\nSi 0 0 0\n", 6, "Lattice",
                "is not 9 numbers");
        assertBad("1\nLattice=\"4 0 0 0 4 0 0 0 x\" Properties=species:S:1:pos:R:3\nSi 0 0 0\n", 6, "Lattice",
                "is not 9 numbers");
        assertBad("1\nLattice=\"4 0 0 8 0 0 0 0 4\" Properties=species:S:1:pos:R:3\nSi 0 0 0\n", 6, "Lattice",
                "zero volume");
    }

    @Test
    void malformedPbc() throws Exception {
        assertBad("1\nLattice=\"4 0 0 0 4 0 0 0 4\" Properties=species:S:1:pos:R:3 pbc=\"T T\"\nSi 0 0 0\n", 6,
                "pbc", "is not 3 (or 1) of T/F");
    }

    @Test
    void unterminatedQuote() throws Exception {
        assertBad("1\nProperties=species:S:1:pos:R:3 config_type=\"bulk energy=1\nSi 0 0 0\n", 6,
                "info 'config_type'", "unterminated quote \" opened at character 44");
    }

    @Test
    void fileEndingAfterTheCountLine() throws Exception {
        assertBad("1\n", 6, "header", "the file ends after the atom count line");
    }
}
