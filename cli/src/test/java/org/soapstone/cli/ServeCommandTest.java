package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.testing.SharedData;

/**
 * {@code soapstone serve} driven by {@code soapstone md --ipi-server}: the MD run through the socket repeats the
 * in-process run (the protocol's exactness against the real peers is tested in the engine and examples).
 */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void mdThroughTheSocketRepeatsTheInProcessRun() throws Exception {
        String sw = "sw:" + CliTesting.testData("Si.sw");
        String name = "soapstone-cli-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path xyz = CliTesting.testData("si-diamond-512.xyz");
        List<String> md = List.of("md", "--ensemble", "nve", "--temperature", "500", "--steps", "20",
                "--thermo-every", "5", "--trajectory-every", "0", "--threads", "1", "--timestep", "1");
        CliTesting.Run direct = CliTesting.run(concat(md, "--potential", sw, "--output", dir.resolve("direct")
                .toString(), xyz.toString()));
        assertEquals(0, direct.exitCode(), direct.err());
        // the client starts first and retries until md's server socket exists
        CompletableFuture<Integer> serve = CompletableFuture.supplyAsync(() -> SoapstoneCommand.commandLine().execute(
                "serve", "--potential", sw, "--socket", "unix:" + name, "--species", "Si", "--threads", "1",
                "--timeout", "20"));
        CliTesting.Run viaSocket = CliTesting.run(concat(md, "--ipi-server", "unix:" + name, "--ipi-timeout", "20",
                "--output", dir.resolve("socket").toString(), xyz.toString()));
        assertEquals(0, viaSocket.exitCode(), viaSocket.err());
        assertEquals(0, serve.get(20, TimeUnit.SECONDS), "serve exits cleanly on EXIT");
        List<String> a = Files.readAllLines(dir.resolve("direct/thermo.log"));
        List<String> b = Files.readAllLines(dir.resolve("socket/thermo.log"));
        assertEquals(a.size(), b.size());
        for (int i = 1; i < a.size(); i++) {
            double[] x = numbers(a.get(i));
            double[] y = numbers(b.get(i));
            for (int c = 2; c <= 4; c++) {
                assertEquals(x[c], y[c], 1e-9 * (1 + Math.abs(x[c])), "thermo line " + i + " column " + c);
            }
        }
        assertTrue(Files.notExists(Path.of("/tmp/ipi_" + name)), "the socket file is removed");
    }

    @Test
    void speciesComesFromASingleSpeciesModelAndIsRequiredOtherwise() {
        CliTesting.Run potential = CliTesting.run("serve", "--potential", "sw:" + CliTesting.testData("Si.sw"),
                "--socket", "unix:soapstone-serve-check");
        assertEquals(1, potential.exitCode());
        assertTrue(potential.err().contains("--species is required"), potential.err());
        CliTesting.Run twoSpecies = CliTesting.run("serve", "--model",
                SharedData.gapFit("sic-2b-soap").resolve("gp.xml").toString(), "--socket", "unix:soapstone-serve-check");
        assertEquals(1, twoSpecies.exitCode());
        assertTrue(twoSpecies.err().contains("describes 2 species"), twoSpecies.err());
        // a Si model needs no --species: the run gets as far as waiting for the driver, which never comes
        CliTesting.Run si = CliTesting.run("serve", "--model", SharedData.gapFit("si-soap").resolve("gp.xml").toString(),
                "--socket", "unix:soapstone-serve-check", "--timeout", "0.5");
        assertEquals(1, si.exitCode());
        assertTrue(si.err().contains("no i-PI server") && !si.err().contains("species"), si.err());
    }

    @Test
    void badSocketAndSpeciesAreOneLineErrors() {
        CliTesting.Run r = CliTesting.run("serve", "--potential", "sw:" + CliTesting.testData("Si.sw"), "--socket",
                "tcp:1234", "--species", "Si");
        assertEquals(1, r.exitCode());
        assertEquals("soapstone serve: error: an i-PI socket is unix:NAME or inet:HOST:PORT, got 'tcp:1234'",
                r.err().strip());
        CliTesting.Run s = CliTesting.run("serve", "--potential", "sw:" + CliTesting.testData("Si.sw"), "--socket",
                "unix:x", "--species", "Si,Xx");
        assertEquals("soapstone serve: error: i-PI species: 'Xx' (entry 2) is not an element symbol", s.err().strip());
    }

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static double[] numbers(String line) {
        String[] f = line.strip().split("\\s+");
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = Double.parseDouble(f[i]);
        }
        return d;
    }
}
