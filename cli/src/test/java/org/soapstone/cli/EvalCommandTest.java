package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;

class EvalCommandTest {
    @TempDir
    Path dir;

    /** The written energies, forces and stress are LAMMPS's (the reference file's), not just our own. */
    @Test
    void writesLammpsEnergiesForcesAndStressForEveryFrame() throws Exception {
        Path out = dir.resolve("out.xyz");
        CliTesting.Run r = CliTesting.run("eval", "--potential", "sw:" + CliTesting.testData("Si.sw"),
                "--prefix", "pred_", "--threads", "2", SharedData.reference("si_sw_refs.extxyz").toString(),
                "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<Structure> ref = ExtXyz.read(SharedData.reference("si_sw_refs.extxyz"));
        List<Structure> got = ExtXyz.read(out);
        assertEquals(ref.size(), got.size());
        for (int f = 0; f < ref.size(); f++) {
            Structure a = ref.get(f);
            Structure b = got.get(f);
            int n = a.size();
            assertEquals(a.infoReal("energy") / n, b.infoReal("pred_energy") / n, 1e-8, "frame " + f);
            assertEquals(a.infoReal("energy"), b.infoReal("energy"), 0.0, "the input's own values are kept");
            double[] fRef = a.properties().get("forces").reals();
            double[] fGot = b.properties().get("pred_forces").reals();
            for (int k = 0; k < fRef.length; k++) {
                assertEquals(fRef[k], fGot[k], 1e-7, "frame " + f + " force " + k);
            }
            double[] sRef = (double[]) a.info().get("stress");
            double[] sGot = (double[]) b.info().get("pred_stress");
            for (int k = 0; k < 9; k++) {
                assertEquals(sRef[k], sGot[k], 1e-8, "frame " + f + " stress " + k);
            }
            double[] eRef = a.properties().get("local_energy").reals();
            double[] eGot = b.properties().get("pred_energies").reals();
            for (int i = 0; i < n; i++) {
                assertEquals(eRef[i], eGot[i], 1e-8, "frame " + f + " atom " + i);
            }
        }
    }

    @Test
    void badInputNamesFileAndLineExitsNonZeroAndLeavesTheOutputAlone() throws Exception {
        Path in = dir.resolve("bad.xyz");
        Files.writeString(in, """
                2
                Lattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3
                Si 0 0 0
                Si 1.2 1.3 x
                """);
        Path out = dir.resolve("out.xyz");
        Files.writeString(out, "precious");
        CliTesting.Run r = CliTesting.run("eval", "--potential", "sw:" + CliTesting.testData("Si.sw"), in.toString(),
                "-o", out.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("bad.xyz:4"), r.err());
        assertTrue(r.err().contains("pos"), r.err());
        assertEquals("precious", Files.readString(out));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void unknownPotentialKindAndMissingFileAreClearErrors() {
        CliTesting.Run r = CliTesting.run("eval", "--potential", "morse:x", "in.xyz", "-o", "out.xyz");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("unknown kind 'morse'"), r.err());
        CliTesting.Run m = CliTesting.run("eval", "--potential", "sw:" + dir.resolve("nope.sw"),
                SharedData.reference("si_sw_refs.extxyz").toString(), "-o", dir.resolve("o.xyz").toString());
        assertEquals(1, m.exitCode());
        assertTrue(m.err().contains("nope.sw"), m.err());
        assertFalse(Files.exists(dir.resolve("o.xyz")));
    }

    @Test
    void versionIsPrinted() {
        CliTesting.Run r = CliTesting.run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("soapstone "), r.out());
    }
}
