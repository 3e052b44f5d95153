package org.soapstone.potentials.manybody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.soapstone.potentials.manybody.ManyBodyTesting.testData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.io.LammpsFormatException;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.sw.StillingerWeber;
import org.soapstone.potentials.sw.SwFile;
import org.soapstone.potentials.sw.SwParameters;
import org.soapstone.potentials.tersoff.Tersoff;
import org.soapstone.potentials.tersoff.TersoffFile;
import org.soapstone.potentials.tersoff.TersoffParameters;

class TripletFileReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static void assertNames(LammpsFormatException e, Path file, int line, String field) {
        assertEquals(file, e.file());
        assertEquals(line, e.line());
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": " + field + ": "), e.getMessage());
    }

    @Test
    void readsEntriesSplitOverLinesWithCommentsAnywhere() throws IOException {
        Path file = write("split.sw", """
                # header
                   \t
                Si Si   # the elements
                Si 2.1683 2.0951 1.80 21.0 1.20
                  -0.333333333333 7.049556277 # more to come
                  # a comment-only line inside an entry
                  0.6022245584  4.0  0.0 0.0
                """);
        TripletTable<SwParameters> t = SwFile.read(file);
        assertEquals(1, t.types());
        assertEquals("Si", t.species().species().get(0).symbol());
        assertEquals(new SwParameters(2.1683, 2.0951, 1.80, 21.0, 1.20, -0.333333333333, 7.049556277, 0.6022245584,
                4.0, 0.0, 0.0), t.get(0, 0, 0));
    }

    @Test
    void readsEveryTripletOfSiliconCarbide() {
        TripletTable<TersoffParameters> t = TersoffFile.read(testData("SiC.tersoff"));
        assertEquals(2, t.types());
        int c = t.species().indexOf(6);
        int si = t.species().indexOf(14);
        assertEquals(0, c);
        assertEquals(1, si);
        // "Si C C" line of the file: R = 2.36, A = 1597.3111, n = 0.787340.
        TersoffParameters siCC = t.get(si, c, c);
        assertEquals(2.36, siCC.bigR());
        assertEquals(1597.3111, siCC.bigA());
        assertEquals(0.787340, siCC.n());
        assertEquals(-1, t.species().indexOf(32));
        assertEquals(0.0, t.get(si, si, c).beta(), "the Si Si C entry carries no bond terms");
    }

    @Test
    void tooManyValuesInAnEntry() throws IOException {
        Path file = write("long.sw", """
                # one value too many on the continuation line
                Si Si Si 2.1683 2.0951 1.80 21.0 1.20 -0.333333333333
                         7.049556277 0.6022245584 4.0 0.0 0.0 1.0
                """);
        LammpsFormatException e = assertThrows(LammpsFormatException.class, () -> SwFile.read(file));
        assertNames(e, file, 3, "entry");
        assertTrue(e.getMessage().contains("15 values, expected 14"), e.getMessage());
    }

    @Test
    void tooFewValuesAtTheEndOfTheFile() throws IOException {
        Path file = write("short.tersoff", """
                Si Si Si 3.0 1.0 1.3258 4.8381 2.0417 0.0000 22.956
                         0.33675 1.3258 95.373 3.0 0.2 3.2394
                """);
        LammpsFormatException e = assertThrows(LammpsFormatException.class, () -> TersoffFile.read(file));
        assertNames(e, file, 1, "entry");
        assertTrue(e.getMessage().contains("after 16 values, expected 17"), e.getMessage());
    }

    @Test
    void nonNumericValue() throws IOException {
        Path file = write("text.sw", """
                Si Si Si 2.1683 2.0951 1.80 21.0 1.20 -0.333333333333
                # B is misspelt below
                         7.049556277 0.60222x45584 4.0 0.0 0.0
                """);
        LammpsFormatException e = assertThrows(LammpsFormatException.class, () -> SwFile.read(file));
        assertNames(e, file, 3, "B");
        assertTrue(e.getMessage().contains("'0.60222x45584' is not a number"), e.getMessage());
    }

    @Test
    void unknownElementSymbol() throws IOException {
        Path file = write("unknown.sw", """
                Si Si Si 2.1683 2.0951 1.80 21.0 1.20 -0.333333333333 7.049556277 0.6022245584 4.0 0.0 0.0

                Si Xx Si 2.1683 2.0951 1.80 21.0 1.20 -0.333333333333 7.049556277 0.6022245584 4.0 0.0 0.0
                """);
        LammpsFormatException e = assertThrows(LammpsFormatException.class, () -> SwFile.read(file));
        assertNames(e, file, 3, "element 2");
        assertTrue(e.getMessage().contains("'Xx' is not a chemical element"), e.getMessage());
    }

    @Test
    void valueOutsideItsRange() throws IOException {
        Path file = write("m2.tersoff", """
                Si Si Si 2.0 1.0 1.3258 4.8381 2.0417 0.0000 22.956
                         0.33675 1.3258 95.373 3.0 0.2 3.2394 3264.7
                """);
        LammpsFormatException e = assertThrows(LammpsFormatException.class, () -> TersoffFile.read(file));
        assertNames(e, file, 1, "m");
        assertTrue(e.getMessage().contains("must be 1 or 3"), e.getMessage());
        Path sigma = write("sigma.sw", """
                Si Si Si 2.1683
                  -2.0951 1.80 21.0 1.20 -0.333333333333 7.049556277 0.6022245584 4.0 0.0 0.0
                """);
        e = assertThrows(LammpsFormatException.class, () -> SwFile.read(sigma));
        assertNames(e, sigma, 2, "sigma");
        Path dr = write("d.tersoff", """
                Si Si Si 3.0 1.0 1.3258 4.8381 2.0417 0.0000 22.956
                         0.33675 1.3258 95.373 3.0 3.2 3.2394 3264.7
                """);
        e = assertThrows(LammpsFormatException.class, () -> TersoffFile.read(dr));
        assertNames(e, dr, 2, "D");
    }

    @Test
    void duplicateEntry() throws IOException {
        String entry = "Si Si Si 2.1683 2.0951 1.80 21.0 1.20 -0.333333333333 7.049556277 0.6022245584 4.0 0.0 0.0\n";
        Path file = write("twice.sw", entry + "# again\n" + entry);
        LammpsFormatException e = assertThrows(LammpsFormatException.class, () -> SwFile.read(file));
        assertNames(e, file, 3, "elements");
        assertTrue(e.getMessage().contains("first is on line 1"), e.getMessage());
    }

    @Test
    void missingTripletForSpeciesInTheStructure() throws IOException {
        // SiC.tersoff without its "Si C Si" entry: fine for pure Si, an error once C is present.
        String text = Files.readString(testData("SiC.tersoff"));
        int cut = text.indexOf("Si  C   Si");
        Path file = write("SiC-missing.tersoff", text.substring(0, cut));
        Tersoff t = new Tersoff(file, new WorkerPool(1));
        Structure si = Crystal.diamond(14, 5.431, 1);
        t.calculate(si);
        Structure sic = si.copy();
        sic.numbers()[3] = 6;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.calculate(sic));
        assertTrue(e.getMessage().contains(file + " has no entry for the element triplet Si C Si"), e.getMessage());
    }

    @Test
    void speciesWithoutEntries() {
        StillingerWeber sw = new StillingerWeber(testData("Si.sw"), new WorkerPool(1));
        Structure s = Crystal.diamond(14, 5.431, 1);
        s.numbers()[5] = 32;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sw.calculate(s));
        assertTrue(e.getMessage().contains("atom 5 is Ge, which is not in Si.sw"), e.getMessage());
    }
}
