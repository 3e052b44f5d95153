package org.soapstone.potentials.eam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.io.LammpsFormatException;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.Lammps;
import org.soapstone.potentials.pair.PairTestSupport;

class EamTest {
    static final Path DATA = Path.of(System.getProperty("soapstone.root"), "test-data");
    static final Path CU = DATA.resolve("Cu_u3.eam");
    static final Path CU_NI = DATA.resolve("CuNi.eam.alloy");
    static final WorkerPool ONE = new WorkerPool(1);
    static final WorkerPool TWO = new WorkerPool(2);

    @TempDir
    Path tmp;

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
    }

    static Eam copper(WorkerPool pool) throws IOException {
        return new Eam(EamTables.funcfl(List.of(CU)), 0.5, pool);
    }

    static Eam copperNickel(WorkerPool pool) throws IOException {
        return new Eam(EamTables.setfl(CU_NI), 0.5, pool);
    }

    @Test
    void funcflCopperAgreesWithLammps() throws IOException {
        Structure s = PairTestSupport.rattledFcc(29, 3.615, 3, 0.15, 1);
        Lammps.assertAgrees(copper(ONE), s, List.of(Element.of("Cu")), List.of("pair_style eam",
                "pair_coeff 1 1 " + CU), 1e-8, 1e-7, 1e-8);
    }

    @Test
    void setflAlloyAgreesWithLammps() throws IOException {
        Structure s = PairTestSupport.alloy(PairTestSupport.rattledFcc(29, 3.58, 3, 0.15, 2), 28, 2);
        Lammps.assertAgrees(copperNickel(ONE), s, List.of(Element.of("Cu"), Element.of("Ni")),
                List.of("pair_style eam/alloy", "pair_coeff * * " + CU_NI + " Cu Ni"), 1e-8, 1e-7, 1e-8);
    }

    @Test
    void triclinicAlloyAgreesWithLammpsAndThreadCountDoesNotMatter() throws IOException {
        Structure s = PairTestSupport.triclinic(
                PairTestSupport.alloy(PairTestSupport.rattledFcc(29, 3.58, 3, 0.2, 3), 28, 3));
        Lammps.assertAgrees(copperNickel(ONE), s, List.of(Element.of("Ni"), Element.of("Cu")),
                List.of("pair_style eam/alloy", "pair_coeff * * " + CU_NI + " Ni Cu"), 1e-8, 1e-7, 1e-8);
        PairTestSupport.assertSameResults(copperNickel(ONE), copperNickel(TWO), s, 1e-12);
    }

    @Test
    void twoFuncflFilesMixLikeLammps() throws IOException {
        Path second = tmp.resolve("Ni_fake.eam");
        List<String> lines = new ArrayList<>(Files.readAllLines(CU));
        lines.set(1, lines.get(1).replaceFirst("29", "28"));
        Files.write(second, lines);
        Structure s = PairTestSupport.alloy(PairTestSupport.rattledFcc(29, 3.615, 2, 0.15, 4), 28, 4);
        Eam eam = new Eam(EamTables.funcfl(List.of(CU, second)), 0.5, ONE);
        Lammps.assertAgrees(eam, s, List.of(Element.of("Cu"), Element.of("Ni")), List.of("pair_style eam",
                "pair_coeff 1 1 " + CU, "pair_coeff 2 2 " + second), 1e-8, 1e-7, 1e-8);
    }

    @Test
    void finnisSinclairNiAlHAgreesWithLammpsAndFiniteDifferences() throws IOException {
        Path file = DATA.resolve("NiAlH_jea.eam.fs");
        Structure s = PairTestSupport.alloy(PairTestSupport.alloy(
                PairTestSupport.rattledFcc(28, 3.55, 2, 0.15, 8), 13, 8), 1, 9);
        Eam eam = new Eam(EamTables.finnisSinclair(file), 0.5, ONE);
        assertEquals(EamFormat.FINNIS_SINCLAIR, eam.tables().format());
        Lammps.assertAgrees(eam, s, List.of(Element.of("H"), Element.of("Al"), Element.of("Ni")),
                List.of("pair_style eam/fs", "pair_coeff * * " + file + " H Al Ni"), 1e-8, 1e-7, 1e-8);
        FiniteDifferences.assertForcesMatch(eam, s, 1e-5, 1e-6);
    }

    @Test
    void forcesAndStressMatchFiniteDifferences() throws IOException {
        Structure cu = PairTestSupport.rattledFcc(29, 3.615, 2, 0.15, 5);
        FiniteDifferences.assertForcesMatch(copper(ONE), cu, 1e-5, 1e-6);
        FiniteDifferences.assertStressMatches(copper(ONE), cu, 1e-6, 1e-7);
        Structure alloy = PairTestSupport.triclinic(
                PairTestSupport.alloy(PairTestSupport.rattledFcc(29, 3.58, 2, 0.15, 6), 28, 6));
        FiniteDifferences.assertForcesMatch(copperNickel(ONE), alloy, 1e-5, 1e-6);
        FiniteDifferences.assertStressMatches(copperNickel(ONE), alloy, 1e-6, 1e-7);
    }

    @Test
    void truncatedTableNamesFileLineAndField() throws IOException {
        List<String> lines = Files.readAllLines(CU);
        Path cut = tmp.resolve("cut.eam");
        Files.write(cut, lines.subList(0, 250));
        LammpsFormatException e = assertThrows(LammpsFormatException.class, () -> EamTables.funcfl(List.of(cut)));
        assertEquals(251, e.line());
        assertEquals("rho(r) value 236 of 500", e.field());
        assertTrue(e.getMessage().contains("cut.eam:251"), e.getMessage());
    }

    @Test
    void nonNumericValueNamesFileLineAndField() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(CU_NI));
        lines.set(9, lines.get(9).replaceFirst("0\\.\\d+E[+-]\\d+", "0.12x"));
        Path bad = tmp.resolve("bad.eam.alloy");
        Files.write(bad, lines);
        LammpsFormatException e = assertThrows(LammpsFormatException.class, () -> EamTables.setfl(bad));
        assertEquals(10, e.line());
        assertTrue(e.field().startsWith("F(rho) of Ni value"), e.field());
        assertTrue(e.getMessage().contains("'0.12x'"), e.getMessage());
    }

    @Test
    void speciesMissingFromTheFileIsNamed() throws IOException {
        Structure s = PairTestSupport.alloy(PairTestSupport.rattledFcc(29, 3.6, 1, 0.0, 1), 13, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> copperNickel(ONE).calculate(s));
        assertTrue(e.getMessage().contains("Al") && e.getMessage().contains("CuNi.eam.alloy"), e.getMessage());
    }
}
