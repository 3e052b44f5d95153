package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;

/** {@code soapstone eval --model gp.xml}: a gap_fit model run end to end, against quip's own predictions. */
class EvalModelTest {
    @TempDir
    Path dir;

    @Test
    void gapFitModelGivesQuipsEnergiesForcesAndLocalEnergies() throws Exception {
        Path model = SharedData.gapFit("sic-2b-soap");
        Path in = model.resolve("quip-predictions.xyz");
        Path out = dir.resolve("out.xyz");
        CliTesting.Run r = CliTesting.run("eval", "--model", model.resolve("gp.xml").toString(), "--prefix", "pred_",
                "--threads", "2", in.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<Structure> ref = ExtXyz.read(in);
        List<Structure> got = ExtXyz.read(out);
        assertEquals(ref.size(), got.size());
        for (int f = 0; f < ref.size(); f++) {
            Structure a = ref.get(f);
            Structure b = got.get(f);
            int n = a.size();
            assertEquals(a.infoReal("energy") / n, b.infoReal("pred_energy") / n, 1e-6, "frame " + f);
            double[] fRef = a.properties().get("force").reals();
            double[] fGot = b.properties().get("pred_forces").reals();
            for (int k = 0; k < fRef.length; k++) {
                assertEquals(fRef[k], fGot[k], 1e-6, "frame " + f + " force " + k);
            }
            double[] eRef = a.properties().get("local_energy").reals();
            double[] eGot = b.properties().get("pred_energies").reals();
            for (int i = 0; i < n; i++) {
                assertEquals(eRef[i], eGot[i], 1e-6, "frame " + f + " atom " + i);
            }
        }
    }

    @Test
    void neitherModelNorPotentialOrIpiServerWithAModelIsAnError() throws Exception {
        Path model = SharedData.gapFit("si-soap").resolve("gp.xml");
        Path in = SharedData.reference("si_sw_refs.extxyz");
        Path out = dir.resolve("out.xyz");
        CliTesting.Run neither = CliTesting.run("eval", in.toString(), "-o", out.toString());
        assertNotEquals(0, neither.exitCode());
        assertTrue(neither.err().contains("--model") && neither.err().contains("--potential"), neither.err());
        CliTesting.Run ipi = CliTesting.run("eval", "--model", model.toString(), "--ipi-server", "unix:never",
                in.toString(), "-o", out.toString());
        assertNotEquals(0, ipi.exitCode());
        assertTrue(ipi.err().contains("--ipi-server") && ipi.err().contains("--model"), ipi.err());
        assertTrue(Files.notExists(out), "no output on a usage error");
    }

    @Test
    void missingSparseXFileIsReportedWithFileAndElement() throws Exception {
        Path src = SharedData.gapFit("si-soap");
        Path copy = dir.resolve("gp.xml");
        Files.copy(src.resolve("gp.xml"), copy);
        CliTesting.Run r = CliTesting.run("eval", "--model", copy.toString(), SharedData.reference("si_sw_refs.extxyz")
                .toString(), "-o", dir.resolve("out.xyz").toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains(copy.toString()) && r.err().contains("gpCoordinates"), r.err());
    }
}
