package org.soapstone.engine.gap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;

/**
 * Soapstone's predictions for gap_fit models against QUIP's own {@code quip} output on every frame of
 * the shared {@code reference/gap_fit/<model>/quip-predictions.xyz} (see its README): energies to
 * 1e-6 eV/atom, forces to 1e-6 eV/Å (quip printed them with 8 decimals), virials to 1e-5 eV, local energies to
 * 1e-6 eV and {@code gap_variance} to 1e-6 relative — plus half a unit of the 8th decimal, the resolution with
 * which quip printed it (its values are ~1e-5–1e-3 eV², so 1e-6 relative alone is below the printed digits).
 */
class QuipAgreementTest {
    /** Half a unit of the 8th decimal, quip's printing resolution for per-atom values. */
    private static final double PRINTED_HALF_DIGIT = 0.5e-8 * (1 + 1e-9);

    static Path dir(String model) {
        return SharedData.gapFit(model);
    }

    private static double[] reals(Structure s, String name) {
        AtomProperty p = s.properties().get(name);
        assertNotNull(p, "quip-predictions.xyz has no per-atom '" + name + "'; has " + s.properties().keySet());
        return p.reals();
    }

    @ParameterizedTest
    @ValueSource(strings = {"si-soap", "sic-2b-soap"})
    void energiesForcesVirialsLocalEnergiesAndVariancesMatchQuip(String model) throws Exception {
        GapModel gap = GapModel.readQuip(dir(model).resolve("gp.xml"));
        List<Structure> frames = ExtXyz.read(dir(model).resolve("quip-predictions.xyz"));
        assertTrue(frames.size() >= 9, "too few reference frames");
        double maxE = 0, maxF = 0, maxV = 0, maxL = 0, maxVar = 0;
        try (WorkerPool pool = new WorkerPool(2)) {
            ReferenceGapCalculator calc = new ReferenceGapCalculator(gap, pool);
            for (int f = 0; f < frames.size(); f++) {
                Structure s = frames.get(f);
                int n = s.size();
                String where = model + " frame " + f;
                CalculationResults r = calc.calculate(s);
                double eRef = s.infoReal("energy");
                maxE = Math.max(maxE, Math.abs(r.energy - eRef) / n);
                assertEquals(eRef / n, r.energy / n, 1e-6, where + ": energy per atom (eV)");
                double[] fRef = forces(s);
                double[] local = reals(s, "local_energy");
                double[] var = reals(s, "gap_variance");
                double[] ourVar = calc.localVariance(s);
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < 3; k++) {
                        maxF = Math.max(maxF, Math.abs(r.forces[3 * i + k] - fRef[3 * i + k]));
                        assertEquals(fRef[3 * i + k], r.forces[3 * i + k], 1e-6, where + " atom " + i + " force " + k);
                    }
                    maxL = Math.max(maxL, Math.abs(r.energies[i] - local[i]));
                    assertEquals(local[i], r.energies[i], 1e-6, where + " atom " + i + ": local_energy (eV)");
                    // quip printed gap_variance with 8 decimals: 1e-6 relative plus half the last printed digit
                    double dv = Math.abs(ourVar[i] - var[i]);
                    maxVar = Math.max(maxVar, dv);
                    assertTrue(dv <= 1e-6 * Math.abs(var[i]) + PRINTED_HALF_DIGIT, where + " atom " + i
                            + ": gap_variance " + ourVar[i] + " vs quip " + var[i]);
                }
                if (s.cell().hasVolume()) {
                    double[] vRef = (double[]) s.info().get("virial");
                    double[] v = r.virial(s.volume());
                    for (int k = 0; k < 9; k++) {
                        maxV = Math.max(maxV, Math.abs(v[k] - vRef[k]));
                        assertEquals(vRef[k], v[k], 1e-5, where + ": virial component " + k + " (eV)");
                    }
                }
            }
        }
        System.out.printf("%s vs quip: max |dE|/atom %.2e eV, |dF| %.2e eV/A, |dW| %.2e eV, |dE_i| %.2e eV,"
                + " |d gap_variance| %.2e eV^2%n", model, maxE, maxF, maxV, maxL, maxVar);
    }

    private static double[] forces(Structure s) {
        AtomProperty p = s.properties().get("force");
        if (p == null) {
            p = s.properties().get("forces");
        }
        assertNotNull(p, "quip-predictions.xyz has no forces; has " + s.properties().keySet());
        return p.reals();
    }

    /**
     * The si-soap cluster frame, which quip saw in a box larger than cluster + cutoff, gives quip's numbers as an
     * open cluster.
     */
    @Test
    void isolatedClusterWithoutCellMatchesQuip() throws Exception {
        GapModel gap = GapModel.readQuip(dir("si-soap").resolve("gp.xml"));
        List<Structure> frames = ExtXyz.read(dir("si-soap").resolve("quip-predictions.xyz"));
        Structure boxed = frames.get(frames.size() - 1);
        Structure open = new Structure(boxed.numbers().clone(), boxed.positions().clone(), Cell.none());
        try (WorkerPool pool = new WorkerPool(1)) {
            CalculationResults r = new ReferenceGapCalculator(gap, pool).calculate(open);
            assertEquals(boxed.infoReal("energy"), r.energy, 1e-6 * open.size(), "cluster energy (eV)");
            assertArrayEquals(forces(boxed), r.forces, 1e-6, "cluster forces (eV/Å)");
            assertTrue(!r.has(Property.STRESS), "no stress without a cell");
        }
    }

    /** Results do not depend on the number of workers (up to the order of the force sums). */
    @Test
    void oneAndTwoWorkersAgree() throws Exception {
        GapModel gap = GapModel.readQuip(dir("sic-2b-soap").resolve("gp.xml"));
        Structure s = ExtXyz.read(dir("sic-2b-soap").resolve("quip-predictions.xyz")).get(0);
        try (WorkerPool one = new WorkerPool(1); WorkerPool two = new WorkerPool(2)) {
            ReferenceGapCalculator c1 = new ReferenceGapCalculator(gap, one);
            ReferenceGapCalculator c2 = new ReferenceGapCalculator(gap, two);
            CalculationResults r1 = c1.calculate(s);
            CalculationResults r2 = c2.calculate(s);
            assertEquals(r1.energy, r2.energy, 1e-12 * Math.abs(r1.energy));
            assertArrayEquals(r1.forces, r2.forces, 1e-12);
            assertArrayEquals(r1.stress, r2.stress, 1e-14);
            assertArrayEquals(r1.energies, r2.energies, 1e-12);
            assertArrayEquals(c1.localVariance(s), c2.localVariance(s), 1e-15);
        }
    }
}
