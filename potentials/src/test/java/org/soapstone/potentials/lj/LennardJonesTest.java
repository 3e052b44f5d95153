package org.soapstone.potentials.lj;

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

class LennardJonesTest {
    static final Element AR = Element.of("Ar");
    static final Element KR = Element.of("Kr");
    static final double EPS = 0.0104, SIGMA = 3.40, CUT = 7.5;
    static final WorkerPool ONE = new WorkerPool(1);
    static final WorkerPool TWO = new WorkerPool(2);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
    }

    static LennardJones argon(WorkerPool pool) {
        return new LennardJones(LennardJonesParameters.of(List.of(new LjPair(AR, AR, EPS, SIGMA, CUT))), 0.5, pool);
    }

    static LennardJonesParameters argonKrypton(LjMixing rule, List<LjPair> unlike) {
        return LennardJonesParameters.mixed(List.of(new LjPair(AR, AR, EPS, SIGMA, CUT),
                new LjPair(KR, KR, 0.0141, 3.65, 8.0)), rule, unlike);
    }

    @Test
    void dimerHasItsMinimumAtTwoToTheSixthSigma() {
        LennardJones lj = argon(ONE);
        double r0 = Math.pow(2, 1.0 / 6.0) * SIGMA;
        double shift = 4 * EPS * (Math.pow(SIGMA / CUT, 12) - Math.pow(SIGMA / CUT, 6));
        CalculationResults at = lj.calculate(dimer(r0));
        assertEquals(-EPS - shift, at.energy, 1e-15);
        assertEquals(0.5 * at.energy, at.energies[0], 1e-16);
        for (double f : at.forces) {
            assertEquals(0, f, 1e-15);
        }
        assertTrue(lj.calculate(dimer(r0 - 0.01)).energy > at.energy);
        assertTrue(lj.calculate(dimer(r0 + 0.01)).energy > at.energy);
        assertEquals(0, lj.calculate(dimer(CUT + 1e-9)).energy, 0, "nothing beyond the cutoff");
        assertEquals(0, lj.calculate(dimer(CUT - 1e-9)).energy, 1e-12, "shifted to zero at the cutoff");
    }

    private static Structure dimer(double r) {
        return new Structure(new int[] {18, 18}, new double[] {0, 0, 0, r, 0, 0}, Cell.none());
    }

    @Test
    void forcesSumToZeroAndMatchFiniteDifferences() {
        Structure s = PairTestSupport.rattledFcc(18, 5.26, 2, 0.2, 11);
        LennardJones lj = argon(ONE);
        CalculationResults r = lj.calculate(s);
        for (int k = 0; k < 3; k++) {
            double sum = 0;
            for (int i = 0; i < s.size(); i++) {
                sum += r.forces[3 * i + k];
            }
            assertEquals(0, sum, 1e-14);
        }
        FiniteDifferences.assertForcesMatch(lj, s, 1e-4, 1e-8);
        FiniteDifferences.assertStressMatches(lj, s, 1e-5, 1e-9);
    }

    @Test
    void argonAgreesWithLammps() {
        Structure s = PairTestSupport.rattledFcc(18, 5.26, 3, 0.15, 5);
        Lammps.assertAgrees(argon(ONE), s, List.of(AR),
                List.of("pair_style lj/cut " + CUT, "pair_coeff 1 1 " + EPS + " " + SIGMA, "pair_modify shift yes"),
                1e-8, 1e-7, 1e-8);
    }

    @Test
    void arithmeticMixingAgreesWithLammps() {
        Structure s = PairTestSupport.alloy(PairTestSupport.rattledFcc(18, 5.4, 3, 0.15, 6), 36, 2);
        Lammps.assertAgrees(new LennardJones(argonKrypton(LjMixing.ARITHMETIC, List.of()), 0.5, ONE), s,
                List.of(AR, KR), List.of("pair_style lj/cut 7.0", "pair_coeff 1 1 0.0104 3.40 7.5",
                        "pair_coeff 2 2 0.0141 3.65 8.0", "pair_modify mix arithmetic shift yes"),
                1e-8, 1e-7, 1e-8);
    }

    @Test
    void triclinicWithExplicitUnlikePairAgreesWithLammpsAndFiniteDifferences() {
        Structure s = PairTestSupport.triclinic(
                PairTestSupport.alloy(PairTestSupport.rattledFcc(18, 5.4, 3, 0.15, 7), 36, 3));
        LjPair unlike = new LjPair(KR, AR, 0.0125, 3.5, 7.8);
        LennardJones lj = new LennardJones(argonKrypton(LjMixing.GEOMETRIC, List.of(unlike)), 0.5, ONE);
        Lammps.assertAgrees(lj, s, List.of(AR, KR), List.of("pair_style lj/cut 7.0",
                "pair_coeff 1 1 0.0104 3.40 7.5", "pair_coeff 2 2 0.0141 3.65 8.0",
                "pair_coeff 1 2 0.0125 3.5 7.8", "pair_modify mix geometric shift yes"), 1e-8, 1e-7, 1e-8);
        FiniteDifferences.assertStressMatches(lj, s, 1e-5, 1e-9);
        PairTestSupport.assertSameResults(lj,
                new LennardJones(argonKrypton(LjMixing.GEOMETRIC, List.of(unlike)), 0.5, TWO), s, 1e-12);
    }

    @Test
    void parametersAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new LjPair(AR, AR, -1, SIGMA, CUT));
        assertThrows(IllegalArgumentException.class, () -> new LjPair(AR, AR, EPS, 0, CUT));
        assertThrows(IllegalArgumentException.class, () -> new LjPair(AR, AR, EPS, SIGMA, Double.NaN));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> LennardJonesParameters.of(List.of(new LjPair(AR, AR, EPS, SIGMA, CUT),
                        new LjPair(KR, KR, EPS, SIGMA, CUT))));
        assertTrue(missing.getMessage().contains("Ar-Kr"), missing.getMessage());
        Structure neon = new Structure(new int[] {10}, new double[3], Cell.cubic(10));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> argon(ONE).calculate(neon));
        assertTrue(unknown.getMessage().contains("Ne"), unknown.getMessage());
    }
}
