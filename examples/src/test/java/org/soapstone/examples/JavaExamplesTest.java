package org.soapstone.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.testing.SharedData;

/**
 * The Java single-file program and the JShell script in {@code examples/}, run as a user runs them: README's lines as
 * written, on a machine whose default {@code java} is older than 25.
 */
class JavaExamplesTest {
    /** README's line, as written, where the default java is older than 25. */
    @Test
    void nveSiliconWithTheGapModelConservesEnergyAndPrintsSigma() throws Exception {
        SharedData.gapFit("si-soap");
        String command = ExampleRun.readmeCommand("examples/java/NveSilicon.java");
        assertTrue(command.contains("--model ../shared/reference/gap_fit/si-soap/gp.xml"), command);
        List<double[]> rows = ExampleRun.table(ExampleRun.runAsWritten(command));
        assertEquals(5, rows.size(), "steps 0, 5, …, 20");
        assertEquals(600, rows.get(0)[5], 1e-9, "initial temperature (K)");
        for (double[] r : rows) {
            assertEquals(7, r.length, "σ column for a GAP");
            assertTrue(r[6] > 1e-4 && r[6] < 1, "max local σ (eV) " + r[6]);
            assertEquals(rows.get(0)[4], r[4], 2e-4 * 64, "NVE total energy (eV), Verlet fluctuation bound");
        }
        assertTrue(rows.get(4)[5] < 400, "the lattice takes up half the kinetic energy");
    }

    @Test
    void nveSiliconWithStillingerWeberStartsAtTheDiamondCohesiveEnergy() {
        List<double[]> rows = ExampleRun.table(ExampleRun.run(List.of(ExampleRun.jdkTool("java"),
                ExampleRun.VECTOR[0], ExampleRun.VECTOR[1], "-cp", ExampleRun.classPath(),
                "examples/java/NveSilicon.java", "--potential", "sw:test-data/Si.sw", "--steps", "10", "--every", "10")));
        assertEquals(2, rows.size());
        assertEquals(6, rows.get(0).length, "no σ column for a classical potential");
        // SW diamond at its equilibrium lattice constant 5.431 Å: −2ε per atom, ε = 2.1683 eV
        assertEquals(-2 * 2.1683, rows.get(0)[2] / 64, 1e-4, "energy per atom (eV)");
        assertEquals(rows.get(0)[4], rows.get(1)[4], 2e-4 * 64, "NVE total energy (eV)");
    }

    /** README's line, as written, where the default java is older than 25. */
    @Test
    void quickEvalJshellReproducesTheLammpsReferenceCells() throws Exception {
        SharedData.reference("si_sw_refs.extxyz");
        List<double[]> rows = ExampleRun.table(ExampleRun.runAsWritten(
                ExampleRun.readmeCommand("examples/jshell/quick-eval.jsh")));
        assertEquals(8, rows.size(), "the 8 cells of si_sw_refs.extxyz");
        for (double[] r : rows) {
            assertEquals(r[2], r[1], 1e-12 * Math.abs(r[2]), "energy (eV) against LAMMPS");
            assertTrue(r[3] < 1e-8, "force difference (eV/Å) against LAMMPS: " + r[3]);
        }
    }
}
