package org.soapstone.potentials.zbl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.Lammps;
import org.soapstone.potentials.pair.PairTestSupport;

class ZblTest {
    static final double INNER = 1.5, OUTER = 2.4;
    static final WorkerPool ONE = new WorkerPool(1);
    static final WorkerPool TWO = new WorkerPool(2);
    static final List<String> SI_C = List.of("pair_style zbl " + INNER + " " + OUTER, "pair_coeff 1 1 14 14",
            "pair_coeff 1 2 14 6", "pair_coeff 2 2 6 6");

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
    }

    static Zbl zbl(WorkerPool pool) {
        return new Zbl(new ZblParameters(INNER, OUTER), 0.3, pool);
    }

    /** Si/C on a compressed fcc lattice (nearest neighbours 1.77 Å), rattled so distances span inner..outer. */
    static Structure compressed(long seed) {
        return PairTestSupport.alloy(PairTestSupport.rattledFcc(14, 2.5, 3, 0.3, seed), 6, seed);
    }

    @Test
    void distancesCrossTheSwitchingRegion() {
        Structure s = compressed(1);
        int below = 0, inside = 0;
        for (int i = 0; i < s.size(); i++) {
            for (int j = i + 1; j < s.size(); j++) {
                double r = s.distance(i, j);
                below += r < INNER ? 1 : 0;
                inside += r > INNER && r < OUTER ? 1 : 0;
            }
        }
        assertTrue(below > 10 && inside > 10, "pairs on both sides of the inner radius: " + below + ", " + inside);
    }

    @Test
    void compressedSiCAgreesWithLammps() {
        Lammps.assertAgrees(zbl(ONE), compressed(1), List.of(Element.of("Si"), Element.of("C")), SI_C, 1e-8, 1e-7,
                1e-8);
    }

    @Test
    void triclinicSiCAgreesWithLammpsAndThreadCountDoesNotMatter() {
        Structure s = PairTestSupport.triclinic(compressed(2));
        Lammps.assertAgrees(zbl(ONE), s, List.of(Element.of("Si"), Element.of("C")), SI_C, 1e-8, 1e-7, 1e-8);
        PairTestSupport.assertSameResults(zbl(ONE), zbl(TWO), s, 1e-12);
    }

    @Test
    void leftHandedTriclinicCellAgreesWithLammps() {
        Structure s = PairTestSupport.leftHanded(PairTestSupport.triclinic(compressed(4)));
        Lammps.assertAgrees(zbl(ONE), s, List.of(Element.of("Si"), Element.of("C")), SI_C, 1e-8, 1e-7, 1e-8);
    }

    @Test
    void forcesAndStressMatchFiniteDifferences() {
        Structure s = PairTestSupport.triclinic(compressed(3));
        FiniteDifferences.assertForcesMatch(zbl(ONE), s, 1e-5, 1e-6);
        FiniteDifferences.assertStressMatches(zbl(ONE), s, 1e-6, 1e-7);
    }

    @Test
    void energyForceAndCurvatureVanishAtTheOuterCutoff() {
        Zbl zbl = zbl(ONE);
        double h = 1e-4;
        double e0 = dimer(zbl, OUTER - 1e-9).energy;
        double em = dimer(zbl, OUTER - h).energy;
        double emm = dimer(zbl, OUTER - 2 * h).energy;
        assertEquals(0, e0, 1e-12);
        assertEquals(0, (e0 - em) / h, 1e-6, "slope at the cutoff");
        assertEquals(0, (e0 - 2 * em + emm) / (h * h), 1e-2, "curvature at the cutoff");
        assertTrue(dimer(zbl, 0.5).energy > 10, "strongly repulsive at short range");
    }

    private static CalculationResults dimer(Zbl zbl, double r) {
        return zbl.calculate(new Structure(new int[] {14, 6}, new double[] {0, 0, 0, 0, 0, r}, Cell.none()));
    }

    @Test
    void radiiAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ZblParameters(2.0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ZblParameters(0, 1.0));
    }
}
