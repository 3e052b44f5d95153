package org.soapstone.engine.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.AseScript;
import org.soapstone.engine.testing.FiniteDifferences;

/**
 * The command reference against an external code: ASE's Lennard-Jones calculator run as a script. Its forces must
 * be the finite-difference derivatives of its energies as read back (atom order, sign, units of the round trip),
 * and failures must name the command, exit code and standard error.
 */
class CommandReferenceTest {
    @TempDir
    Path dir;

    private static final String LJ = """
            import sys
            from ase.io import read, write
            from ase.calculators.lj import LennardJones
            atoms = read(sys.argv[1])
            atoms.calc = LennardJones(sigma=2.1, epsilon=0.3, rc=8.0)
            atoms.get_potential_energy()
            write(sys.argv[2], atoms, format='extxyz')
            """;

    private static Structure molecule() {
        return new Structure(new int[] {14, 14, 14}, new double[] {0, 0, 0, 2.3, 0.2, -0.1, 0.7, 2.1, 0.4},
                Cell.none());
    }

    @Test
    void aseLennardJonesForcesAreTheDerivativesOfItsEnergy() throws Exception {
        AseScript.run("import ase"); // fails clearly if ASE is missing
        Path script = dir.resolve("lj.py");
        Files.writeString(script, LJ);
        CommandReference ref = new CommandReference("/usr/bin/python3 " + script, dir.resolve("work"),
                Duration.ofSeconds(60));
        Structure s = molecule();
        CalculationResults r = new CalculationResults();
        ref.calculate(s, EnumSet.of(Property.ENERGY, Property.FORCES), r);
        // analytic LJ energy of the three pairs, shifted at rc as ASE does
        double e = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                double d = s.distance(i, j);
                e += lj(d) - lj(8.0);
            }
        }
        assertEquals(e, r.energy, 1e-10, "energy as ASE computed it");
        FiniteDifferences.assertForcesMatch(ref, s, 1e-4, 1e-6);
    }

    private static double lj(double r) {
        double x = Math.pow(2.1 / r, 6);
        return 4 * 0.3 * (x * x - x);
    }

    @Test
    void failingCommandNamesExitCodeAndStandardError() {
        CommandReference ref = new CommandReference("echo 'SCF did not converge' >&2; exit 3", dir,
                Duration.ofSeconds(60));
        ReferenceFailedException e = assertThrows(ReferenceFailedException.class,
                () -> ref.calculate(molecule(), EnumSet.of(Property.ENERGY, Property.FORCES), new CalculationResults()));
        assertTrue(e.getMessage().contains("exit code 3") && e.getMessage().contains("SCF did not converge"),
                e.getMessage());
    }

    @Test
    void slowCommandTimesOut() {
        CommandReference ref = new CommandReference("sleep 30 #", dir, Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        ReferenceFailedException e = assertThrows(ReferenceFailedException.class,
                () -> ref.calculate(molecule(), EnumSet.of(Property.ENERGY, Property.FORCES), new CalculationResults()));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertTrue((System.nanoTime() - t0) * 1e-9 < 20, "the command was killed, not waited for");
    }

    @Test
    void outputWithoutForcesIsRejected() throws Exception {
        Path script = dir.resolve("bad.py");
        Files.writeString(script, """
                import sys
                open(sys.argv[2], 'w').write('3\\nenergy=-1.0 Properties=species:S:1:pos:R:3\\n'
                    'Si 0 0 0\\nSi 1 0 0\\nSi 0 1 0\\n')
                """);
        CommandReference ref = new CommandReference("/usr/bin/python3 " + script, dir, Duration.ofSeconds(60));
        ReferenceFailedException e = assertThrows(ReferenceFailedException.class,
                () -> ref.calculate(molecule(), EnumSet.of(Property.ENERGY, Property.FORCES), new CalculationResults()));
        assertTrue(e.getMessage().contains("forces") && e.getMessage().contains("reference-output.xyz"),
                e.getMessage());
    }
}
