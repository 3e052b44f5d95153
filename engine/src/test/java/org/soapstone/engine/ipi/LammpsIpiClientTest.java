package org.soapstone.engine.ipi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.io.LammpsData;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.Lammps;

/**
 * LAMMPS with {@code fix ipi} (the real {@code /usr/bin/lmp}) as the force provider behind {@link IpiCalculator},
 * against LAMMPS's own {@code pair_style sw} run directly on the same structures: a sheared, rattled cell, then
 * new positions, then a strained cell (what NPT sends). LAMMPS converts with its own Bohr and Hartree
 * (0.52917721 Å, 27.21138575 eV), which differ from ASE's (used here) by ~1e-8 relative: the references are
 * scaled by those ratios, and what is left (LAMMPS's positions are scaled by 1 − 1.1e-9) is within 5e-9 relative.
 */
class LammpsIpiClientTest {
    private static final Path SW = Path.of(System.getProperty("soapstone.root"), "test-data", "Si.sw");
    private static final List<Element> SI = List.of(Element.of("Si"));
    private static final double LAMMPS_BOHR = 0.52917721;
    private static final double LAMMPS_HARTREE = 27.21138575;
    private static final double ENERGY_RATIO = IpiUnits.HARTREE / LAMMPS_HARTREE;
    private static final double FORCE_RATIO = IpiUnits.HARTREE_PER_BOHR / (LAMMPS_HARTREE / LAMMPS_BOHR);
    private static final List<String> PAIR = List.of("pair_style sw", "pair_coeff * * " + SW + " Si");

    @Test
    void lammpsFixIpiAnswersLikeLammpsItself() throws Exception {
        Structure base = sheared(FiniteDifferences.rattled(Crystal.diamond(14, 5.431, 2), 0.1, 7));
        Structure moved = FiniteDifferences.rattled(base, 0.05, 8);
        Structure strained = moved.copy();
        strained.setCell(moved.cell().deformed(new double[] {1.01, 0, 0, 0.003, 0.995, 0, 0, 0.002, 1.0}));
        List<Structure> frames = List.of(base, moved, strained);

        Path dir = Files.createTempDirectory("soapstone-lammps-ipi");
        String name = "soapstone-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        LammpsData.write(base, SI, dir.resolve("data.lmp"));
        Files.writeString(dir.resolve("in.lmp"), String.join("\n", "units metal", "atom_style atomic",
                "atom_modify map array sort 0 0", "boundary p p p", "read_data data.lmp", "change_box all triclinic",
                PAIR.get(0), PAIR.get(1), "fix ipi all ipi " + name + " 31415 unix", "run 100000000", ""));
        if (!Files.isExecutable(Lammps.LMP)) {
            fail("LAMMPS is not installed: " + Lammps.LMP + " is missing (Debian package 'lammps'; CI installs it)");
        }
        Process lmp = null;
        try (IpiCalculator calc = IpiCalculator.listen(IpiAddress.parse("unix:" + name), Duration.ofSeconds(30))) {
            ProcessBuilder pb = new ProcessBuilder(Lammps.LMP.toString(), "-in", "in.lmp", "-log", "log.lammps",
                    "-screen", "none").directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.txt").toFile());
            pb.environment().put("OMP_NUM_THREADS", "1");
            lmp = pb.start();
            for (Structure s : frames) {
                CalculationResults ours = calc.calculate(s);
                Lammps.Result ref = Lammps.compute(s, SI, PAIR);
                assertClose(ENERGY_RATIO * ref.energy(), ours.energy, 5e-9, "energy (eV)");
                for (int k = 0; k < ours.forces.length; k++) {
                    assertClose(FORCE_RATIO * ref.forces()[k], ours.forces[k], 5e-9, "force component " + k + " (eV/Å)");
                }
                for (int c = 0; c < 6; c++) {
                    assertClose(ENERGY_RATIO * ref.stress()[c], ours.stress[c], 5e-9, "stress component " + c + " (eV/Å³)");
                }
            }
        } finally {
            if (lmp != null && !lmp.waitFor(20, TimeUnit.SECONDS)) {
                lmp.destroyForcibly();
                fail("LAMMPS did not exit after EXIT:\n" + Files.readString(dir.resolve("log.lammps")));
            }
        }
        assertTrue(Files.readString(dir.resolve("log.lammps")).contains("fix ipi"), "LAMMPS read the fix");
    }

    /** A triclinic cell with a along x and b in the xy plane, as LAMMPS needs. */
    private static Structure sheared(Structure s) {
        Structure t = s.copy();
        Cell c = s.cell().deformed(new double[] {1, 0, 0, 0.04, 1, 0, -0.03, 0.05, 1});
        t.setCell(c);
        double[] r = t.positions();
        double[] frac = s.fractionalPositions();
        double[] out = new double[3];
        for (int i = 0; i < t.size(); i++) {
            c.toCartesian(frac[3 * i], frac[3 * i + 1], frac[3 * i + 2], out);
            System.arraycopy(out, 0, r, 3 * i, 3);
        }
        return t;
    }

    /** |expected − actual| ≤ relative × (1 + |expected|): the protocol's unit constants differ from LAMMPS's. */
    private static void assertClose(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, relative * (1 + Math.abs(expected)), what);
    }
}
