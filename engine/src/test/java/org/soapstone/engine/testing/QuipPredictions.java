package org.soapstone.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;

/**
 * The output of QUIP's {@code quip E=T F=T V=T [L=T]} (its {@code AT} lines, prefix removed) as a reference: per
 * frame {@code energy} (eV, full precision) and {@code virial} (eV, 3×3 row-major, printed with 8 decimals), per
 * atom {@code force} (eV/Å, 8 decimals) and, where quip printed them, {@code local_energy} (eV) and a variance.
 * {@link #check} compares a calculator with it frame by frame at the given tolerances and reports the largest
 * differences.
 */
public final class QuipPredictions {
    /** The test-data folder of the references made with QUIP built from its sources (see its README). */
    public static final String FOLDER = "quip-reference";

    private QuipPredictions() {}

    /** @return {@code test-data/quip-reference/<name>} in the repository */
    public static Path dir(String name) {
        return Path.of(System.getProperty("soapstone.root", "."), "test-data", FOLDER, name);
    }

    /**
     * Tolerances of a comparison.
     *
     * @param energyPerAtom |ΔE|/N (eV/atom)
     * @param force |ΔF| per component (eV/Å)
     * @param virial |ΔW| per component (eV)
     * @param localEnergy |ΔE_i| (eV); NaN to skip local energies
     */
    public record Tolerances(double energyPerAtom, double force, double virial, double localEnergy) {
        /** The bar of gap_fit/quip parity: 1e-6 eV/atom, 2e-6 eV/Å, 1e-5 eV for virials, 1e-6 eV local energies. */
        public static final Tolerances QUIP = new Tolerances(1e-6, 2e-6, 1e-5, 1e-6);
    }

    /**
     * Compares {@code calc} with every frame of {@code file}.
     *
     * @return the largest differences found: energy per atom, force, virial, local energy
     */
    public static double[] check(Calculator calc, Path file, Tolerances tol) throws IOException {
        List<Structure> frames = ExtXyz.read(file);
        assertTrue(frames.size() >= 1, file + " holds no frames");
        double[] max = new double[4];
        for (int f = 0; f < frames.size(); f++) {
            Structure s = frames.get(f);
            int n = s.size();
            String where = file.getParent().getFileName() + "/" + file.getFileName() + " frame " + f;
            CalculationResults r = calc.calculate(s);
            double eRef = s.infoReal("energy");
            max[0] = Math.max(max[0], Math.abs(r.energy - eRef) / n);
            assertEquals(eRef / n, r.energy / n, tol.energyPerAtom(), where + ": energy per atom (eV)");
            double[] fRef = reals(s, "force");
            for (int k = 0; k < 3 * n; k++) {
                max[1] = Math.max(max[1], Math.abs(r.forces[k] - fRef[k]));
                assertEquals(fRef[k], r.forces[k], tol.force(), where + " atom " + k / 3 + " force " + k % 3);
            }
            if (s.cell().hasVolume() && s.info().get("virial") instanceof double[] vRef) {
                double[] v = r.virial(s.volume());
                for (int k = 0; k < 9; k++) {
                    max[2] = Math.max(max[2], Math.abs(v[k] - vRef[k]));
                    assertEquals(vRef[k], v[k], tol.virial(), where + ": virial component " + k + " (eV)");
                }
            }
            if (!Double.isNaN(tol.localEnergy()) && s.properties().containsKey("local_energy")) {
                double[] local = reals(s, "local_energy");
                for (int i = 0; i < n; i++) {
                    max[3] = Math.max(max[3], Math.abs(r.energies[i] - local[i]));
                    assertEquals(local[i], r.energies[i], tol.localEnergy(), where + " atom " + i + ": local energy");
                }
            }
        }
        System.out.printf("%s vs quip: max |dE|/atom %.2e eV, |dF| %.2e eV/A, |dW| %.2e eV, |dE_i| %.2e eV%n",
                file.getParent().getFileName() + "/" + file.getFileName(), max[0], max[1], max[2], max[3]);
        return max;
    }

    /** @return the per-atom reals {@code name} of a quip frame */
    public static double[] reals(Structure s, String name) {
        AtomProperty p = s.properties().get(name);
        assertNotNull(p, "quip output has no per-atom '" + name + "'; has " + s.properties().keySet());
        return p.reals();
    }
}
