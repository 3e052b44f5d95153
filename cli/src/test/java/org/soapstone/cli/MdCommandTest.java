package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;
import org.soapstone.potentials.PotentialSpec;

class MdCommandTest {
    @TempDir
    Path dir;

    private CliTesting.Run md(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("md", "--potential",
                "sw:" + CliTesting.testData("Si.sw"), "--timestep", "1", "--output", out.toString(),
                "--thermo-every", "10", "--trajectory-every", "20"));
        args.addAll(List.of(extra));
        args.add(CliTesting.testData("si-diamond-512.xyz").toString());
        return CliTesting.run(args.toArray(String[]::new));
    }

    @Test
    void nveRunWritesThermoTrajectoryAndFinalStateThatAreConsistent() throws Exception {
        Path out = dir.resolve("nve");
        CliTesting.Run r = md(out, "--ensemble", "nve", "--temperature", "1000", "--steps", "100");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("loop time"), r.out());
        java.util.regex.Matcher half = java.util.regex.Pattern.compile(
                "second half \\(last 50 steps, after JIT warm-up\\): ([0-9.eE+-]+) µs/atom-step").matcher(r.out());
        assertTrue(half.find() && Double.parseDouble(half.group(1)) > 0, r.out());
        List<String> thermo = Files.readAllLines(out.resolve("thermo.log"));
        assertTrue(thermo.get(0).startsWith("#") && thermo.get(0).contains("temperature_K"), thermo.get(0));
        assertEquals(1 + 11, thermo.size(), "steps 0, 10, …, 100");
        double[] first = row(thermo.get(1));
        double[] last = row(thermo.get(11));
        assertEquals(1000.0, first[5], 1e-6, "initial velocities at exactly the requested temperature");
        assertEquals(first[4], last[4], 3e-4 * 512, "NVE conserves the total energy (Verlet fluctuation ~1e-4 eV/atom)");
        assertTrue(last[5] < 800, "half the kinetic energy goes into potential energy in a harmonic-like solid");

        List<Structure> traj = ExtXyz.read(out.resolve("trajectory.xyz"));
        assertEquals(6, traj.size(), "frames at steps 0, 20, …, 100");
        Structure fin = ExtXyz.read(out.resolve("final.xyz")).get(0);
        assertArrayEquals(traj.get(5).positions(), fin.positions(), 0.0);
        // The trajectory's forces and energy are those of the potential at the written positions.
        CalculationResults res = PotentialSpec.parse("sw:" + CliTesting.testData("Si.sw")).calculate(fin);
        assertArrayEquals(res.forces, fin.properties().get("forces").reals(), 1e-10);
        assertEquals(res.energy, fin.infoReal("energy"), 1e-9);
        assertEquals(last[2], res.energy, 1e-6, "thermo log's potential energy");
    }

    @Test
    void nvtRampHeadsForTheTargetAndTheSameSeedRepeatsTheRun() throws Exception {
        CliTesting.Run a = md(dir.resolve("a"), "--ensemble", "nvt", "--thermostat", "bussi", "--tau", "10",
                "--temperature", "300:1500", "--steps", "200", "--seed", "7", "--threads", "2");
        assertEquals(0, a.exitCode(), a.err());
        CliTesting.Run b = md(dir.resolve("b"), "--ensemble", "nvt", "--thermostat", "bussi", "--tau", "10",
                "--temperature", "300:1500", "--steps", "200", "--seed", "7", "--threads", "2");
        assertEquals(0, b.exitCode(), b.err());
        assertEquals(Files.readString(dir.resolve("a/final.xyz")), Files.readString(dir.resolve("b/final.xyz")));
        List<String> thermo = Files.readAllLines(dir.resolve("a/thermo.log"));
        double tEnd = row(thermo.get(thermo.size() - 1))[5];
        assertTrue(tEnd > 1000 && tEnd < 2000, "ramped towards 1500 K, got " + tEnd);
    }

    @Test
    void gapModelRunsMdThroughTheSameCommand() throws Exception {
        Path out = dir.resolve("gap");
        Path model = SharedData.gapFit("si-soap").resolve("gp.xml");
        CliTesting.Run r = CliTesting.run("md", "--model", model.toString(), "--temperature", "600", "--steps", "20",
                "--thermo-every", "20", "--trajectory-every", "0", "--output", out.toString(),
                CliTesting.testData("si-diamond-512.xyz").toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> thermo = Files.readAllLines(out.resolve("thermo.log"));
        double[] first = row(thermo.get(1));
        double[] last = row(thermo.get(2));
        assertEquals(first[4], last[4], 3e-4 * 512, "NVE with the GAP conserves the total energy");
        Structure fin = ExtXyz.read(out.resolve("final.xyz")).get(0);
        double direct = new org.soapstone.engine.gap.ReferenceGapCalculator(
                org.soapstone.engine.gap.GapModel.readQuip(model)).calculate(fin).energy;
        assertEquals(direct, last[2], 1e-6, "thermo log's potential energy is the GAP's");
    }

    @Test
    void badOptionsAreClearErrors() {
        CliTesting.Run r = md(dir.resolve("x"), "--ensemble", "nvt", "--steps", "10");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("--temperature"), r.err());
        CliTesting.Run t = md(dir.resolve("y"), "--ensemble", "nvt", "--temperature", "hot", "--steps", "10");
        assertEquals(1, t.exitCode());
        assertTrue(t.err().contains("'hot'"), t.err());
    }

    private static double[] row(String line) {
        String[] f = line.trim().split("\\s+");
        double[] v = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            v[k] = Double.parseDouble(f[k]);
        }
        return v;
    }
}
