package org.soapstone.potentials.tersoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.soapstone.potentials.manybody.ManyBodyTesting.assertInvariances;
import static org.soapstone.potentials.manybody.ManyBodyTesting.assertSameResults;
import static org.soapstone.potentials.manybody.ManyBodyTesting.randomSpecies;
import static org.soapstone.potentials.manybody.ManyBodyTesting.testData;
import static org.soapstone.potentials.manybody.ManyBodyTesting.triclinicDiamond;

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

class TersoffTest {
    private static final WorkerPool ONE = new WorkerPool(1);
    private static final WorkerPool TWO = new WorkerPool(2);

    private static Tersoff silicon(WorkerPool pool) {
        return new Tersoff(testData("Si.tersoff"), pool);
    }

    private static Tersoff siliconCarbide(WorkerPool pool) {
        return new Tersoff(testData("SiC.tersoff"), pool);
    }

    /** 64 diamond sites, a random mix of Si and C, rattled. */
    private static Structure randomSiC(double rattle, long seed) {
        return FiniteDifferences.rattled(randomSpecies(Crystal.diamond(14, 4.36, 2), 14, 6, seed), rattle, seed + 1);
    }

    @Test
    void perfectDiamondHasThePublishedCohesiveEnergyAndNoForces() {
        Structure s = Crystal.diamond(14, 5.431, 2);
        CalculationResults r = silicon(ONE).calculate(s);
        // Tersoff's Si (PRB 37, 6991): −4.6304 eV per atom at a = 5.431 Å.
        assertEquals(-4.6304, r.energy / s.size(), 5e-5);
        for (int a = 0; a < s.size(); a++) {
            assertEquals(r.energy / s.size(), r.energies[a], 1e-12, "per-atom energy of atom " + a);
            for (int k = 0; k < 3; k++) {
                assertEquals(0, r.forces[3 * a + k], 1e-12, "force on atom " + a);
            }
        }
    }

    @Test
    void forcesAndStressMatchFiniteDifferencesInASmallTriclinicCell() {
        Structure s = triclinicDiamond(14, 5.431, 1, 0.15, 1);
        Tersoff t = silicon(ONE);
        FiniteDifferences.assertForcesMatch(t, s, 1e-5, 1e-7);
        FiniteDifferences.assertStressMatches(t, s, 1e-5, 1e-8);
    }

    @Test
    void forcesAndStressMatchFiniteDifferencesInARattledTriclinicCell() {
        Structure s = triclinicDiamond(14, 5.431, 2, 0.2, 2);
        Tersoff t = silicon(TWO);
        FiniteDifferences.assertForcesMatch(t, s, 1e-5, 1e-7);
        FiniteDifferences.assertStressMatches(t, s, 1e-5, 1e-8);
    }

    @Test
    void siliconCarbideForcesAndStressMatchFiniteDifferences() {
        Structure s = randomSpecies(triclinicDiamond(14, 4.36, 2, 0.12, 3), 14, 6, 4);
        Tersoff t = siliconCarbide(TWO);
        FiniteDifferences.assertForcesMatch(t, s, 1e-5, 1e-6);
        FiniteDifferences.assertStressMatches(t, s, 1e-5, 1e-7);
        assertInvariances(t, s);
    }

    @Test
    void siliconCarbideMatchesLammps(@TempDir Path dir) throws Exception {
        Structure s = randomSiC(0.15, 5);
        CalculationResults ours = siliconCarbide(ONE).calculate(s);
        LammpsRun lmp = LammpsRun.run(s, "tersoff", testData("SiC.tersoff"), List.of("Si", "C"), dir);
        assertAgreesWithLammps(lmp, ours, s.size());
    }

    @Test
    void siliconMatchesLammps(@TempDir Path dir) throws Exception {
        Structure s = FiniteDifferences.rattled(Crystal.diamond(14, 5.431, 2), 0.2, 6);
        CalculationResults ours = silicon(TWO).calculate(s);
        LammpsRun lmp = LammpsRun.run(s, "tersoff", testData("Si.tersoff"), List.of("Si"), dir);
        assertAgreesWithLammps(lmp, ours, s.size());
    }

    private static void assertAgreesWithLammps(LammpsRun lmp, CalculationResults ours, int atoms) {
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
        Structure s = randomSpecies(triclinicDiamond(14, 4.36, 3, 0.15, 9), 14, 6, 10);
        CalculationResults one = siliconCarbide(ONE).calculate(s);
        Tersoff two = siliconCarbide(TWO);
        assertSameResults(one, two.calculate(s), 1e-12);
        assertSameResults(one, two.calculate(s), 1e-12);
    }
}
