package org.soapstone.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.cli.SoapstoneCommand;
import org.soapstone.engine.testing.Lammps;

/**
 * {@code examples/lammps/in.soapstone-reference}: LAMMPS ({@code /usr/bin/lmp}, {@code fix ipi}) as the force
 * provider of {@code soapstone md --ipi-server}; the run equals {@code soapstone md --potential sw} to the relative
 * 1e-8 by which LAMMPS's Bohr and Hartree differ from ASE's.
 */
class LammpsExampleTest {
    @TempDir
    Path dir;

    @Test
    void lammpsAsTheReferenceCalculatorOfSoapstoneMd() throws Exception {
        if (!Files.isExecutable(Lammps.LMP)) {
            fail("LAMMPS is not installed: " + Lammps.LMP + " is missing (Debian package 'lammps'; CI installs it)");
        }
        String name = "soapstone-example-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path socket = Path.of("/tmp/ipi_" + name);
        List<String> md = List.of("md", "--ensemble", "nve", "--temperature", "1000", "--steps", "20",
                "--thermo-every", "5", "--trajectory-every", "0", "--threads", "1");
        String xyz = ExampleRun.ROOT.resolve("test-data/si-diamond-512.xyz").toString();
        CompletableFuture<Integer> viaLammps = CompletableFuture.supplyAsync(() -> SoapstoneCommand.commandLine().execute(
                with(md, "--ipi-server", "unix:" + name, "--ipi-timeout", "60", "--output",
                        dir.resolve("lammps").toString(), xyz)));
        for (int i = 0; i < 200 && !Files.exists(socket); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(socket), "soapstone md listens on " + socket);
        Process lmp = new ProcessBuilder(Lammps.LMP.toString(), "-in", "examples/lammps/in.soapstone-reference",
                "-var", "socket", name, "-var", "potential", "test-data/Si.sw", "-log", dir.resolve("log.lammps")
                        .toString(), "-screen", "none").directory(ExampleRun.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("lmp.out").toFile()).start();
        try {
            assertEquals(0, viaLammps.get(60, TimeUnit.SECONDS), "soapstone md with LAMMPS as the calculator");
        } finally {
            if (!lmp.waitFor(20, TimeUnit.SECONDS)) {
                lmp.destroyForcibly();
            }
        }
        assertEquals(0, SoapstoneCommand.commandLine().execute(with(md, "--potential", "sw:test-data/Si.sw".replace(
                "test-data", ExampleRun.ROOT.resolve("test-data").toString()), "--output",
                dir.resolve("direct").toString(), xyz)));
        List<double[]> a = ExampleRun.table(Files.readString(dir.resolve("direct/thermo.log")));
        List<double[]> b = ExampleRun.table(Files.readString(dir.resolve("lammps/thermo.log")));
        assertEquals(5, a.size());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            for (int c = 2; c <= 4; c++) {
                assertEquals(a.get(i)[c], b.get(i)[c], 3e-8 * Math.abs(a.get(i)[c]),
                        "thermo row " + i + " column " + c + " (eV)");
            }
        }
    }

    private static String[] with(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }
}
