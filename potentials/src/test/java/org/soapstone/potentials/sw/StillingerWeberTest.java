package org.soapstone.potentials.sw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.soapstone.potentials.manybody.ManyBodyTesting.assertAgreesWithLammps;
import static org.soapstone.potentials.manybody.ManyBodyTesting.assertInvariances;
import static org.soapstone.potentials.manybody.ManyBodyTesting.assertPerfectCrystal;
import static org.soapstone.potentials.manybody.ManyBodyTesting.assertSameResults;
import static org.soapstone.potentials.manybody.ManyBodyTesting.randomSpecies;
import static org.soapstone.potentials.manybody.ManyBodyTesting.testData;
import static org.soapstone.potentials.manybody.ManyBodyTesting.triclinicDiamond;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

class StillingerWeberTest {
    private static final WorkerPool ONE = new WorkerPool(1);
    private static final WorkerPool TWO = new WorkerPool(2);

    private static StillingerWeber silicon(WorkerPool pool) {
        return new StillingerWeber(testData("Si.sw"), pool);
    }

    @Test
    void perfectDiamondHasThePublishedCohesiveEnergyAndNoForces() {
        Structure s = Crystal.diamond(14, 5.431, 2);
        // Stillinger & Weber's Si: −2.1683 eV × 2.0 per atom at a = 5.431 Å.
        assertPerfectCrystal(silicon(ONE), s, -4.3366);
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

    /** The two-element file: GaN.sw's shape with distinct values for every triplet, (i,j,k) ≠ (i,k,j) for some. */
    private static final String[] DISTINCT = {
        "Ga Ga Ga 1.2000000 2.100 1.6 32.5 1.2 -0.333333333333 7.917 0.72 4.0 0.0 0.0",
        "N  N  N  1.2000000 1.300 1.8 30.0 1.1 -0.30 7.917 0.72 4.0 0.0 0.0",
        "Ga N  N  2.1700000 1.695 1.8 32.5 1.2 -0.333333333333 7.5 0.70 4.0 0.0 0.0",
        "N  Ga Ga 2.1700000 1.695 1.8 29.5 1.3 -0.31 7.5 0.70 4.0 0.0 0.0",
    };
    /** The four mixed triplets' three-body values ε, λ, cosθ₀: Ga Ga N, Ga N Ga, N Ga N, N N Ga. */
    private static final String[] MIXED = {
        "1.6136914 0.0 0.0 31.5 0.0 -0.35 0.0 0.0 0.0 0.0 0.0",
        "1.7 0.0 0.0 30.5 0.0 -0.32 0.0 0.0 0.0 0.0 0.0",
        "1.5 0.0 0.0 28.0 0.0 -0.34 0.0 0.0 0.0 0.0 0.0",
        "1.4 0.0 0.0 33.0 0.0 -0.29 0.0 0.0 0.0 0.0 0.0",
    };

    /** Writes the two-element file with the given values for Ga Ga N, Ga N Ga, N Ga N, N N Ga. */
    private static Path twoElementFile(Path dir, String name, String ggn, String gng, String ngn, String nng)
            throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "# two elements, distinct parameters for each of the 8 triplets\n"
                + String.join("\n", DISTINCT) + "\nGa Ga N " + ggn + "\nGa N Ga " + gng + "\nN Ga N " + ngn
                + "\nN N Ga " + nng + "\n");
        return file;
    }

    private static Structure galliumNitride(double rattle, long seed) {
        return randomSpecies(triclinicDiamond(31, 4.5, 2, rattle, seed), 31, 7, seed + 1);
    }

    @Test
    void twoElementForcesAndStressMatchFiniteDifferences(@TempDir Path dir) throws IOException {
        Path file = twoElementFile(dir, "distinct.sw", MIXED[0], MIXED[1], MIXED[2], MIXED[3]);
        Structure s = galliumNitride(0.15, 3);
        StillingerWeber sw = new StillingerWeber(SwFile.read(file), 0.5, ONE);
        FiniteDifferences.assertForcesMatch(sw, s, 1e-5, 1e-7);
        FiniteDifferences.assertStressMatches(sw, s, 1e-5, 1e-8);
        assertInvariances(sw, s);
    }

    @Test
    void unequalIjkAndIkjEntriesGiveTheMeanOfTheTwo(@TempDir Path dir) throws IOException {
        // With (i,j,k) ≠ (i,k,j), the three-body term is the mean of the two entries' terms: the mean of the
        // energies with both entries set to the (i,j,k) values and with both set to the (i,k,j) values.
        Structure s = galliumNitride(0.15, 12);
        double mixed = energy(twoElementFile(dir, "mixed.sw", MIXED[0], MIXED[1], MIXED[2], MIXED[3]), s);
        double first = energy(twoElementFile(dir, "first.sw", MIXED[0], MIXED[0], MIXED[2], MIXED[2]), s);
        double second = energy(twoElementFile(dir, "second.sw", MIXED[1], MIXED[1], MIXED[3], MIXED[3]), s);
        assertNotEquals(first, second, 1e-3);
        assertEquals(0.5 * (first + second), mixed, 1e-10);
    }

    private static double energy(Path file, Structure s) {
        return new StillingerWeber(file, ONE).calculate(s).energy;
    }

    @Test
    void toleranceShortensTheCutoffAsLammpsDoes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Si-tol.sw");
        Files.writeString(file, "Si Si Si 2.1683 2.0951 1.80 21.0 1.20 -0.333333333333\n"
                + "  7.049556277 0.6022245584 4.0 0.0 0.005\n");
        // LAMMPS: aσ + σ/ln(tol) when γ ≥ 1.
        assertEquals(1.80 * 2.0951 + 2.0951 / Math.log(0.005), SwFile.read(file).get(0, 0, 0).pairCutoff(), 1e-15);
        // Rattled second neighbours (3.68 Å ± 0.35) fall both sides of the shortened cutoff (3.38 Å) and the full
        // one (3.77 Å).
        Structure s = FiniteDifferences.rattled(Crystal.diamond(14, 5.2, 2), 0.2, 13);
        StillingerWeber sw = new StillingerWeber(file, ONE);
        assertAgreesWithLammps(sw, "sw", s, file, "Si");
        assertNotEquals(silicon(ONE).calculate(s).energy, sw.calculate(s).energy, 1e-6);
    }

    @Test
    void galliumNitrideMatchesLammps() {
        Structure s = FiniteDifferences.rattled(randomSpecies(Crystal.diamond(31, 4.5, 2), 31, 7, 5), 0.15, 6);
        Path file = testData("GaN.sw");
        assertAgreesWithLammps(new StillingerWeber(file, ONE), "sw", s, file, "Ga", "N");
    }

    @Test
    void siliconInATriclinicCellMatchesLammps() {
        Structure s = triclinicDiamond(14, 5.431, 2, 0.2, 7);
        assertAgreesWithLammps(silicon(TWO), "sw", s, testData("Si.sw"), "Si");
    }

    @Test
    void isolatedClusterHasForcesButNoStress() {
        Structure bulk = FiniteDifferences.rattled(Crystal.diamond(14, 5.431, 1), 0.1, 14);
        Structure cluster = new Structure(bulk.numbers(), bulk.positions(), Cell.none());
        StillingerWeber sw = silicon(ONE);
        FiniteDifferences.assertForcesMatch(sw, cluster, 1e-5, 1e-7);
        CalculationResults r = sw.calculate(cluster);
        assertFalse(r.has(Property.STRESS), "a structure without a cell volume has no stress");
        assertTrue(r.energy > bulk.size() * -4.3366, "a cluster is less bound than the crystal");
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
