package org.soapstone.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.cli.SoapstoneCommand;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.AseScript;

/**
 * ASE for real: {@code examples/python/ase_md.py} runs ASE's VelocityVerlet (20 steps) with
 * {@code SocketIOCalculator} from {@code soapstone_ase.py}, which starts {@code soapstone serve} as a subprocess;
 * the energies, forces and stresses ASE received on every frame equal {@code soapstone eval} on those frames.
 */
class AseExampleTest {
    @TempDir
    Path dir;

    /**
     * README's line as written, where {@code soapstone} is not on the PATH and the default java is older than 25:
     * soapstone_ase.py finds the repository's launcher, which finds JDK 25 (it failed with
     * {@code FileNotFoundError: 'soapstone'}).
     */
    @Test
    void readmeLineRunsAsWritten() throws Exception {
        String command = ExampleRun.readmeCommand("examples/python/ase_md.py");
        String out = ExampleRun.runAsWritten(command);
        List<double[]> rows = ExampleRun.table(out.replaceAll("(?m)^serve:.*$", ""));
        assertEquals(21, rows.size(), "steps 0 to 20: " + out);
        assertEquals(rows.get(0)[3], rows.get(20)[3], 2e-4 * 64, "NVE total energy (eV) over 20 fs");
    }

    @Test
    void aseMdThroughSoapstoneServeMatchesSoapstoneEval() throws Exception {
        String sw = "sw:" + ExampleRun.ROOT.resolve("test-data/Si.sw");
        Path frames = dir.resolve("ase-frames.xyz");
        String out = AseScript.runFile(ExampleRun.ROOT.resolve("examples/python/ase_md.py"), "--potential", sw,
                "--steps", "20", "--output", frames.toString(), "--soapstone",
                String.join(" ", ExampleRun.soapstone()));
        assertEquals(21, ExampleRun.table(out.replaceAll("(?m)^serve:.*$", "")).size(), out);

        Path evaluated = dir.resolve("eval.xyz");
        assertEquals(0, SoapstoneCommand.commandLine().execute("eval", "--potential", sw, "--threads", "1", "--prefix",
                "soapstone_", frames.toString(), "-o", evaluated.toString()));
        List<Structure> ours = ExtXyz.read(evaluated);
        assertEquals(21, ours.size(), "steps 0 to 20");
        for (int f = 0; f < ours.size(); f++) {
            Structure s = ours.get(f);
            assertEquals(s.infoReal("soapstone_energy"), s.infoReal("energy"), 1e-8, "energy (eV), frame " + f);
            double[] ase = s.properties().get("forces").reals();
            double[] soap = s.properties().get("soapstone_forces").reals();
            for (int k = 0; k < ase.length; k++) {
                assertEquals(soap[k], ase[k], 1e-8, "force component " + k + " (eV/Å), frame " + f);
            }
            double[] aseStress = (double[]) s.info().get("stress");
            double[] soapStress = (double[]) s.info().get("soapstone_stress");
            for (int k = 0; k < 9; k++) {
                assertEquals(soapStress[k], aseStress[k], 1e-12, "stress component " + k + " (eV/Å³), frame " + f);
            }
        }
        double moved = Math.abs(ours.get(20).positions()[0] - ours.get(0).positions()[0]);
        assertTrue(moved > 1e-3, "ASE moved the atoms (" + moved + " Å)");
    }
}
