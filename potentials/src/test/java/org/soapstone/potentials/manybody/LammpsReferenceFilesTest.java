package org.soapstone.potentials.manybody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.soapstone.potentials.manybody.ManyBodyTesting.testData;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;
import org.soapstone.potentials.sw.StillingerWeber;
import org.soapstone.potentials.tersoff.Tersoff;

/**
 * Stillinger–Weber and Tersoff against the shared LAMMPS reference files (8 Si cells each: 64 and 512 atoms,
 * rattled, strained, one triclinic; energy, stress, forces and per-atom energies from LAMMPS 29 Sep 2021).
 */
class LammpsReferenceFilesTest {
    private static final WorkerPool TWO = new WorkerPool(2);

    @Test
    void stillingerWeberMatchesLammps() throws IOException {
        assertMatches(new StillingerWeber(testData("Si.sw"), TWO), "si_sw_refs.extxyz");
    }

    @Test
    void tersoffMatchesLammps() throws IOException {
        assertMatches(new Tersoff(testData("Si.tersoff"), TWO), "si_tersoff_refs.extxyz");
    }

    private static void assertMatches(Calculator calc, String file) throws IOException {
        List<Structure> frames = ExtXyz.read(SharedData.reference(file));
        assertEquals(8, frames.size(), "frames in " + file);
        boolean triclinic = false;
        for (Structure s : frames) {
            String name = file + " frame " + s.info().get("name");
            CalculationResults r = calc.calculate(s);
            int n = s.size();
            Double energy = s.infoReal("energy");
            assertNotNull(energy, name + ": no energy");
            assertEquals(energy / n, r.energy / n, 1e-8, name + ": energy per atom");
            double[] forces = s.properties().get("forces").reals();
            double[] local = s.properties().get("local_energy").reals();
            for (int a = 0; a < n; a++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(forces[3 * a + k], r.forces[3 * a + k], 1e-7, name + ": force " + k + " of atom " + a);
                }
                assertEquals(local[a], r.energies[a], 1e-8, name + ": energy of atom " + a);
            }
            double[] stress = (double[]) s.info().get("stress");
            double[] ours = r.stressMatrix();
            for (int c = 0; c < 9; c++) {
                assertEquals(stress[c], ours[c], 1e-8, name + ": stress component " + c);
            }
            double[] h = s.cell().matrix();
            triclinic |= h[1] != 0 || h[2] != 0 || h[3] != 0 || h[5] != 0 || h[6] != 0 || h[7] != 0;
        }
        assertEquals(true, triclinic, file + " should hold a triclinic cell");
    }
}
