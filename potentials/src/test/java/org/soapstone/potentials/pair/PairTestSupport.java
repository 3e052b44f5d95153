package org.soapstone.potentials.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

/** Test structures and checks shared by the Lennard-Jones, ZBL and EAM tests. */
public final class PairTestSupport {
    private PairTestSupport() {}

    /** @return an fcc crystal of element z (lattice constant a Å, n³ cubic cells) rattled by ±amp Å */
    public static Structure rattledFcc(int z, double a, int n, double amp, long seed) {
        return FiniteDifferences.rattled(Crystal.fcc(z, a, n), amp, seed);
    }

    /** @return {@code s} with each atom's element replaced by {@code zb} with probability ½ (standard masses) */
    public static Structure alloy(Structure s, int zb, long seed) {
        Random rng = new Random(seed);
        int[] z = s.numbers().clone();
        for (int i = 0; i < z.length; i++) {
            if (rng.nextBoolean()) {
                z[i] = zb;
            }
        }
        return new Structure(z, s.positions().clone(), s.cell());
    }

    /**
     * @return {@code s} under a general (non-symmetric) deformation: a sheared, stretched and rotated triclinic
     *     cell whose a vector is not along x, positions carried along
     */
    public static Structure triclinic(Structure s) {
        return FiniteDifferences.deformed(s, new double[] {1.02, 0.11, -0.06, 0.09, 0.97, 0.13, -0.04, 0.07, 1.01});
    }

    /** @return {@code s} with lattice vectors a and b swapped: the same crystal in a left-handed cell */
    public static Structure leftHanded(Structure s) {
        double[] h = s.cell().matrix();
        Structure t = s.copy();
        t.setCell(new Cell(new double[] {h[3], h[4], h[5], h[0], h[1], h[2], h[6], h[7], h[8]}, s.cell().pbc()));
        return t;
    }

    /**
     * Asserts that two calculators give the same energy per atom, per-atom energies, forces and stress within
     * {@code tol} (eV, eV/Å, eV/Å³).
     */
    public static void assertSameResults(Calculator a, Calculator b, Structure s, double tol) {
        CalculationResults ra = a.calculate(s);
        CalculationResults rb = b.calculate(s);
        assertEquals(ra.energy / s.size(), rb.energy / s.size(), tol, "energy per atom");
        for (int k = 0; k < ra.forces.length; k++) {
            assertEquals(ra.forces[k], rb.forces[k], tol, "force " + k);
        }
        for (int i = 0; i < ra.energies.length; i++) {
            assertEquals(ra.energies[i], rb.energies[i], tol, "energy of atom " + i);
        }
        for (int c = 0; c < 6; c++) {
            assertEquals(ra.stress[c], rb.stress[c], tol, "stress " + c);
        }
    }
}
