package org.soapstone.engine.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;

/**
 * Soapstone's predictions for gap_fit models against QUIP's own {@code quip} output on every frame of
 * {@code test-data/gap_fit/<model>/quip-predictions.xyz} (see {@code test-data/gap_fit/README.md}): energies to
 * 1e-6 eV/atom, forces to 1e-6 eV/Å (quip printed them with 8 decimals), virials to 1e-5 eV, local energies to
 * 1e-6 eV and {@code gap_variance} to 1e-6 relative — plus half a unit of the 8th decimal, the resolution with
 * which quip printed it (its values are ~1e-5–1e-3 eV², so 1e-6 relative alone is below the printed digits).
 */
class QuipAgreementTest {
    /** Half a unit of the 8th decimal, quip's printing resolution for per-atom values. */
    private static final double PRINTED_HALF_DIGIT = 0.5e-8 * (1 + 1e-9);

    static Path dir(String model) {
        return Path.of(System.getProperty("soapstone.root"), "test-data", "gap_fit", model);
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
            GapCalculator calc = new GapCalculator(gap, pool);
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
}
