package org.soapstone.potentials.manybody;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.Lammps;

/** Shared structures and checks for the tests of the many-body potentials. */
public final class ManyBodyTesting {
    private ManyBodyTesting() {}

    /** @return the path of {@code name} in the repository's {@code test-data/} */
    public static Path testData(String name) {
        String root = System.getProperty("soapstone.root");
        if (root == null) {
            throw new IllegalStateException("system property soapstone.root is not set (surefire sets it)");
        }
        return Path.of(root, "test-data", name);
    }

    /**
     * @return an n×n×n diamond of element {@code z} with lattice constant {@code a} (Å), sheared into a triclinic
     *     cell and rattled by ±{@code rattle} Å
     */
    public static Structure triclinicDiamond(int z, double a, int n, double rattle, long seed) {
        double[] shear = {1.02, 0.05, -0.03, 0.04, 0.97, 0.06, -0.02, 0.03, 1.01};
        return FiniteDifferences.rattled(FiniteDifferences.deformed(Crystal.diamond(z, a, n), shear), rattle, seed);
    }

    /** @return {@code s} with each atom given species {@code z1} or {@code z2} at random (both present) */
    public static Structure randomSpecies(Structure s, int z1, int z2, long seed) {
        Random rng = new Random(seed);
        int[] numbers = new int[s.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = rng.nextBoolean() ? z1 : z2;
        }
        numbers[0] = z1;
        numbers[1] = z2;
        return new Structure(numbers, s.positions().clone(), s.cell());
    }

    /** @return a copy of {@code s} rigidly rotated by the rotation matrix {@code rot} (row-major), cell included */
    public static Structure rotated(Structure s, double[] rot) {
        double[] h = s.cell().matrix();
        double[] hr = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                hr[3 * i + k] = rot[3 * k] * h[3 * i] + rot[3 * k + 1] * h[3 * i + 1] + rot[3 * k + 2] * h[3 * i + 2];
            }
        }
        Structure t = new Structure(s.numbers().clone(), s.positions().clone(), new Cell(hr, s.cell().pbc()));
        double[] r = t.positions();
        for (int a = 0; a < t.size(); a++) {
            double x = r[3 * a], y = r[3 * a + 1], z = r[3 * a + 2];
            for (int k = 0; k < 3; k++) {
                r[3 * a + k] = rot[3 * k] * x + rot[3 * k + 1] * y + rot[3 * k + 2] * z;
            }
        }
        return t;
    }

    /** @return the rotation by {@code angle} (rad) about the unit axis (ux, uy, uz), row-major */
    public static double[] rotation(double ux, double uy, double uz, double angle) {
        double c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
        return new double[] {
            t * ux * ux + c, t * ux * uy - s * uz, t * ux * uz + s * uy,
            t * ux * uy + s * uz, t * uy * uy + c, t * uy * uz - s * ux,
            t * ux * uz - s * uy, t * uy * uz + s * ux, t * uz * uz + c
        };
    }

    /**
     * Asserts the invariances of an energy model on {@code s}: energy unchanged by a translation and by a rigid
     * rotation, forces rotated with the structure, total force zero, per-atom energies summing to the energy.
     */
    public static void assertInvariances(Calculator calc, Structure s) {
        CalculationResults base = calc.calculate(s);
        double scale = Math.max(1, Math.abs(base.energy));
        Structure shifted = s.copy();
        double[] r = shifted.positions();
        for (int k = 0; k < r.length; k++) {
            r[k] += (k % 3 == 0 ? 0.731 : k % 3 == 1 ? -1.377 : 2.913);
        }
        assertEquals(base.energy, calc.calculate(shifted).energy, 1e-11 * scale, "energy after a translation");
        double[] rot = rotation(0.48, -0.6, 0.64, 0.83);
        CalculationResults turned = calc.calculate(rotated(s, rot));
        assertEquals(base.energy, turned.energy, 1e-11 * scale, "energy after a rotation");
        double[] sum = new double[3];
        double esum = 0;
        for (int a = 0; a < s.size(); a++) {
            for (int k = 0; k < 3; k++) {
                double expected = rot[3 * k] * base.forces[3 * a] + rot[3 * k + 1] * base.forces[3 * a + 1]
                        + rot[3 * k + 2] * base.forces[3 * a + 2];
                assertEquals(expected, turned.forces[3 * a + k], 1e-10, "rotated force " + k + " of atom " + a);
                sum[k] += base.forces[3 * a + k];
            }
            esum += base.energies[a];
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(0, sum[k], 1e-10, "total force component " + k);
        }
        assertEquals(base.energy, esum, 1e-10 * scale, "sum of per-atom energies");
    }

    /** Asserts that two results agree to {@code tol} in every energy, force, stress and per-atom energy. */
    public static void assertSameResults(CalculationResults expected, CalculationResults actual, double tol) {
        assertEquals(expected.energy, actual.energy, tol, "energy");
        for (int k = 0; k < expected.forces.length; k++) {
            assertEquals(expected.forces[k], actual.forces[k], tol, "force " + k);
        }
        for (int c = 0; c < 6; c++) {
            assertEquals(expected.stress[c], actual.stress[c], tol, "stress " + c);
        }
        for (int a = 0; a < expected.energies.length; a++) {
            assertEquals(expected.energies[a], actual.energies[a], tol, "energy of atom " + a);
        }
    }

    /**
     * Asserts that a perfect crystal {@code s} has the energy per atom {@code energyPerAtom} (eV, within 5e-5 eV),
     * every atom that same per-atom energy and no force.
     */
    public static void assertPerfectCrystal(Calculator calc, Structure s, double energyPerAtom) {
        CalculationResults r = calc.calculate(s);
        assertEquals(energyPerAtom, r.energy / s.size(), 5e-5);
        for (int a = 0; a < s.size(); a++) {
            assertEquals(r.energy / s.size(), r.energies[a], 1e-12, "per-atom energy of atom " + a);
            for (int k = 0; k < 3; k++) {
                assertEquals(0, r.forces[3 * a + k], 1e-12, "force on atom " + a);
            }
        }
    }

    /**
     * Runs lmp with {@code pair_style pairStyle} and {@code file}, LAMMPS types in the order of {@code elements},
     * and asserts that {@code calc} agrees with it (energy 1e-8 eV, forces 1e-7 eV/Å, stress 1e-8 eV/Å³).
     */
    public static void assertAgreesWithLammps(
            Calculator calc, String pairStyle, Structure s, Path file, String... elements) {
        Lammps.assertAgrees(calc, s, Stream.of(elements).map(Element::of).toList(),
                List.of("pair_style " + pairStyle, "pair_coeff * * " + file + " " + String.join(" ", elements)),
                1e-8, 1e-7, 1e-8);
    }
}
