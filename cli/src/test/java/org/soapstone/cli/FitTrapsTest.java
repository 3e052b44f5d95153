package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.PotentialSpec;

/**
 * Traps of gap_fit's conventions said out loud: frames whose labels sit under other names than gap_fit's defaults
 * (ASE writes 'forces', gap_fit reads 'force') get a warning on standard error naming the likely key, the fit still
 * keeps gap_fit's default; and the model file gets the permissions of every other output (it was 0600).
 */
class FitTrapsTest {
    private static final String GAP = "gap={soap cutoff=3.5 n_max=3 l_max=2 atom_sigma=0.5 zeta=2 delta=1 "
            + "covariance_type=dot_product n_sparse=6 sparse_method=random}";

    @TempDir
    Path dir;

    /** Three rattled 8-atom SW silicon cells, energy under {@code energyKey}, forces under {@code forceKey}. */
    private Path frames(String energyKey, String forceKey) throws Exception {
        var sw = PotentialSpec.parse("sw:" + CliTesting.testData("Si.sw"));
        List<Structure> frames = new ArrayList<>();
        java.util.Random random = new java.util.Random(5);
        for (int k = 0; k < 3; k++) {
            Structure s = Crystal.diamond(14, 5.431, 1);
            double[] r = s.positions();
            for (int i = 0; i < r.length; i++) {
                r[i] += 0.1 * random.nextGaussian();
            }
            CalculationResults res = sw.calculate(s);
            s.info().put(energyKey, res.energy);
            s.setProperty(forceKey, AtomProperty.real(3, res.forces.clone()));
            frames.add(s);
        }
        Path file = dir.resolve(energyKey + "-" + forceKey + ".xyz");
        ExtXyz.write(file, frames);
        return file;
    }

    private CliTesting.Run fit(Path frames, Path model) {
        return CliTesting.run("fit", "at_file=" + frames, GAP, "default_sigma={0.01 0.1 0.1 0}", "e0=0",
                "rnd_seed=1", "gp_file=" + model, "--calibration", "none");
    }

    @Test
    void framesWithForcesWhereGapFitReadsForceGetAWarningNamingTheKey() throws Exception {
        CliTesting.Run r = fit(frames("energy", "forces"), dir.resolve("a.gap"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("soapstone fit: warning: no frame has 'force'; frames have 'forces' — did you mean "
                + "force_parameter_name=forces?"), r.err());
        assertTrue(r.out().contains("fitting 3 energies ('energy'), 0 force components ('force')"),
                "gap_fit's default is kept: " + r.out());
        CliTesting.Run named = CliTesting.run("fit", "at_file=" + frames("energy", "forces"), GAP,
                "default_sigma={0.01 0.1 0.1 0}", "e0=0", "gp_file=" + dir.resolve("b.gap"),
                "force_parameter_name=forces", "--calibration", "none");
        assertEquals(0, named.exitCode(), named.err());
        assertTrue(!named.err().contains("warning"), "no warning once named: " + named.err());
    }

    @Test
    void anEnergyUnderAnotherKeyGetsAWarningToo() throws Exception {
        CliTesting.Run r = fit(frames("REF_energy", "force"), dir.resolve("c.gap"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("no frame has 'energy'; frames have 'REF_energy' — did you mean "
                + "energy_parameter_name=REF_energy?"), r.err());
    }

    @Test
    void theModelFileFollowsTheUmaskLikeEveryOtherOutput() throws Exception {
        Path model = dir.resolve("m.gap");
        Path xml = dir.resolve("m.xml");
        assertEquals(0, fit(frames("energy", "force"), model).exitCode());
        assertEquals(0, fit(frames("energy", "force"), xml).exitCode());
        Path plain = Files.createFile(dir.resolve("plain"));
        var expected = Files.getPosixFilePermissions(plain);
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("m.")).toList()) {
                assertEquals(expected, Files.getPosixFilePermissions(p), p.getFileName().toString());
            }
        }
    }
}
