package org.soapstone.potentials.sw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.soapstone.potentials.manybody.ManyBodyTesting.assertInvariances;
import static org.soapstone.potentials.manybody.ManyBodyTesting.assertSameResults;
import static org.soapstone.potentials.manybody.ManyBodyTesting.randomSpecies;
import static org.soapstone.potentials.manybody.ManyBodyTesting.testData;
import static org.soapstone.potentials.manybody.ManyBodyTesting.triclinicDiamond;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.potentials.manybody.LammpsRun;

class StillingerWeberTest {
    private static final WorkerPool ONE = new WorkerPool(1);
    private static final WorkerPool TWO = new WorkerPool(2);

    private static StillingerWeber silicon(WorkerPool pool) {
        return new StillingerWeber(testData("Si.sw"), pool);
    }

    @Test
    void perfectDiamondHasThePublishedCohesiveEnergyAndNoForces() {
        Structure s = Crystal.diamond(14, 5.431, 2);
        CalculationResults r = silicon(ONE).calculate(s);
        // Stillinger & Weber's Si: −2.1683 eV × 2.0 per atom at a = 5.431 Å.
        assertEquals(-4.3366, r.energy / s.size(), 5e-5);
        for (int a = 0; a < s.size(); a++) {
            assertEquals(r.energy / s.size(), r.energies[a], 1e-12, "per-atom energy of atom " + a);
            for (int k = 0; k < 3; k++) {
                assertEquals(0, r.forces[3 * a + k], 1e-12, "force on atom " + a);
            }
        }
    }

    @Test
    void forcesAndStressMatchFiniteDifferencesInASmallTriclinicCell() {
        // 8 atoms in a cell narrower than twice the cutoff: atoms interact with their own images.
        Structure s = triclinicDiamond(14, 5.431, 1, 0.15, 1);
        StillingerWeber sw = silicon(ONE);
        FiniteDifferences.assertForcesMatch(sw, s, 1e-5, 1e-7);
        FiniteDifferences.assertStressMatches(sw, s, 1e-5, 1e-8);
    }

    @Test
    void forcesAndStressMatchFiniteDifferencesInARattledTriclinicCell() {
        Structure s = triclinicDiamond(14, 5.431, 2, 0.2, 2);
        StillingerWeber sw = silicon(TWO);
        FiniteDifferences.assertForcesMatch(sw, s, 1e-5, 1e-7);
        FiniteDifferences.assertStressMatches(sw, s, 1e-5, 1e-8);
    }

    @Test
    void twoElementForcesAndStressMatchFiniteDifferences(@TempDir Path dir) throws IOException {
        // GaN.sw's entries with every triplet given its own values, and (i,j,k) ≠ (i,k,j) for some.
        Path file = dir.resolve("GaN-distinct.sw");
        Files.writeString(file, """
                # two elements, distinct parameters for each of the 8 triplets
                Ga Ga Ga 1.2000000 2.100 1.6 32.5 1.2 -0.333333333333 7.917 0.72 4.0 0.0 0.0
                N  N  N  1.2000000 1.300 1.8 30.0 1.1 -0.30 7.917 0.72 4.0 0.0 0.0
                Ga Ga N  1.6136914 0.0   0.0 31.5 0.0 -0.35 0.0   0.0  0.0 0.0 0.0
                Ga N  N  2.1700000 1.695 1.8 32.5 1.2 -0.333333333333 7.5 0.70 4.0 0.0 0.0
                N  Ga Ga 2.1700000 1.695 1.8 29.5 1.3 -0.31 7.5 0.70 4.0 0.0 0.0
                N  Ga N  1.5       0.0   0.0 28.0 0.0 -0.34 0.0   0.0  0.0 0.0 0.0
                N  N  Ga 1.4       0.0   0.0 33.0 0.0 -0.29 0.0   0.0  0.0 0.0 0.0
                Ga N  Ga 1.7       0.0   0.0 30.5 0.0 -0.32 0.0   0.0  0.0 0.0 0.0
                """);
        Structure s = randomSpecies(triclinicDiamond(31, 4.5, 2, 0.15, 3), 31, 7, 4);
        StillingerWeber sw = new StillingerWeber(SwFile.read(file), 0.5, ONE);
        FiniteDifferences.assertForcesMatch(sw, s, 1e-5, 1e-7);
        FiniteDifferences.assertStressMatches(sw, s, 1e-5, 1e-8);
        assertInvariances(sw, s);
    }

    @Test
    void galliumNitrideMatchesLammps(@TempDir Path dir) throws Exception {
        Structure s = FiniteDifferences.rattled(randomSpecies(Crystal.diamond(31, 4.5, 2), 31, 7, 5), 0.15, 6);
        Path file = testData("GaN.sw");
        CalculationResults ours = new StillingerWeber(file, ONE).calculate(s);
        LammpsRun lmp = LammpsRun.run(s, "sw", file, List.of("Ga", "N"), dir);
        assertAgreesWithLammps(lmp, ours, s.size());
    }

    @Test
    void siliconMatchesLammps(@TempDir Path dir) throws Exception {
        Structure s = FiniteDifferences.rattled(Crystal.diamond(14, 5.431, 2), 0.2, 7);
        Path file = testData("Si.sw");
        CalculationResults ours = silicon(TWO).calculate(s);
        LammpsRun lmp = LammpsRun.run(s, "sw", file, List.of("Si"), dir);
        assertAgreesWithLammps(lmp, ours, s.size());
    }

    static void assertAgreesWithLammps(LammpsRun lmp, CalculationResults ours, int atoms) {
        assertEquals(lmp.energy, ours.energy, 1e-8 * atoms, "energy");
        for (int k = 0; k < 3 * atoms; k++) {
            assertEquals(lmp.forces[k], ours.forces[k], 1e-7, "force component " + k % 3 + " of atom " + k / 3);
        }
        for (int a = 0; a < atoms; a++) {
            assertEquals(lmp.energies[a], ours.energies[a], 1e-8, "energy of atom " + a);
        }
        for (int c = 0; c < 6; c++) {
            assertEquals(lmp.stress[c], ours.stress[c], 1e-8, "stress Voigt component " + c);
        }
    }

    @Test
    void invariances() {
        assertInvariances(silicon(TWO), triclinicDiamond(14, 5.431, 2, 0.2, 8));
    }

    @Test
    void oneAndTwoThreadsAgree() {
        Structure s = triclinicDiamond(14, 5.431, 3, 0.2, 9);
        CalculationResults one = silicon(ONE).calculate(s);
        CalculationResults two = silicon(TWO).calculate(s);
        assertSameResults(one, two, 1e-12);
        // The per-worker buffers are cleared between calls: a second call gives the same results.
        StillingerWeber sw = silicon(TWO);
        sw.calculate(s);
        assertSameResults(two, sw.calculate(s), 0);
    }

    @Test
    void verletListIsReusedForSmallMovesAndResultsStayExact() {
        Structure s = triclinicDiamond(14, 5.431, 2, 0.1, 10);
        StillingerWeber sw = new StillingerWeber(SwFile.read(testData("Si.sw")), 1.0, ONE);
        sw.calculate(s);
        Structure moved = FiniteDifferences.rattled(s, 0.2, 11);
        CalculationResults reused = sw.calculate(moved);
        assertEquals(1, sw.neighbourListBuilds(), "a move below half the skin must not rebuild the list");
        CalculationResults fresh = silicon(ONE).calculate(moved);
        assertSameResults(fresh, reused, 1e-12);
        assertNotEquals(0, reused.energy);
    }
}
