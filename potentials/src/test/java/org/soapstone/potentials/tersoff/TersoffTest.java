package org.soapstone.potentials.tersoff;

import static org.soapstone.potentials.manybody.ManyBodyTesting.assertAgreesWithLammps;
import static org.soapstone.potentials.manybody.ManyBodyTesting.assertInvariances;
import static org.soapstone.potentials.manybody.ManyBodyTesting.assertPerfectCrystal;
import static org.soapstone.potentials.manybody.ManyBodyTesting.assertSameResults;
import static org.soapstone.potentials.manybody.ManyBodyTesting.randomSpecies;
import static org.soapstone.potentials.manybody.ManyBodyTesting.testData;
import static org.soapstone.potentials.manybody.ManyBodyTesting.triclinicDiamond;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

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
        // Tersoff's Si (PRB 37, 6991): −4.6304 eV per atom at a = 5.431 Å.
        assertPerfectCrystal(silicon(ONE), s, -4.6304);
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
    void siliconCarbideMatchesLammps() {
        // 64 atoms in an orthorhombic cell, written as a LAMMPS data file and run with lmp by the test.
        Structure s = randomSiC(0.15, 5);
        assertAgreesWithLammps(siliconCarbide(ONE), "tersoff", s, testData("SiC.tersoff"), "Si", "C");
    }

    @Test
    void siliconInATriclinicCellMatchesLammps() {
        Structure s = triclinicDiamond(14, 5.431, 2, 0.2, 6);
        assertAgreesWithLammps(silicon(TWO), "tersoff", s, testData("Si.tersoff"), "Si");
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
