package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.io.LammpsData;
import org.soapstone.engine.ipi.IpiUnits;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.Lammps;

/**
 * {@code soapstone learn --reference-ipi}: the real {@code /usr/bin/lmp} with {@code fix ipi} and
 * {@code pair_style sw} is the reference of a short learning run on 64-atom diamond silicon, and every training
 * frame it labelled must carry the energy and forces that {@code soapstone eval --potential sw:Si.sw} computes
 * on the same frame. LAMMPS converts i-PI's atomic units with its own Bohr and Hartree (0.52917721 Å,
 * 27.21138575 eV), ~1e-8 relative from ASE's: the eval references are scaled by those ratios.
 */
class LearnIpiReferenceTest {
    private static final double ENERGY_RATIO = IpiUnits.HARTREE / 27.21138575;
    private static final double FORCE_RATIO = IpiUnits.HARTREE_PER_BOHR / (27.21138575 / 0.52917721);

    @TempDir
    Path dir;

    @Test
    void lammpsFixIpiLabelsTheTrainingFramesWithSwEnergiesAndForces() throws Exception {
        if (!Files.isExecutable(Lammps.LMP)) {
            fail("LAMMPS is not installed: " + Lammps.LMP + " is missing (Debian package 'lammps'; CI installs it)");
        }
        Path sw = CliTesting.testData("Si.sw");
        Structure si = Crystal.diamond(14, 5.431, 2);
        Path start = dir.resolve("si64.xyz");
        ExtXyz.write(start, List.of(si));
        LammpsData.write(si, List.of(Element.of("Si")), dir.resolve("data.lmp"));
        String name = "soapstone-learn-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Files.writeString(dir.resolve("in.lmp"), String.join("\n", "units metal", "atom_style atomic",
                "atom_modify map array sort 0 0", "boundary p p p", "read_data data.lmp", "change_box all triclinic",
                "pair_style sw", "pair_coeff * * " + sw + " Si", "fix ipi all ipi " + name + " 31415 unix",
                "run 100000000", ""));
        Path out = dir.resolve("learn");
        CompletableFuture<CliTesting.Run> learn = CompletableFuture.supplyAsync(() -> CliTesting.run("learn",
                "--reference-ipi", "unix:" + name, "--reference-timeout", "20", "--descriptor",
                "soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 zeta=4 delta=1 covariance_type=dot_product "
                        + "n_sparse=8", "--temperature", "1200", "--timestep", "1", "--steps", "40",
                "--std-tolerance", "0.005", "--min-steps", "5", "--threads", "2", "--output", out.toString(),
                start.toString()));
        Path socket = Path.of("/tmp/ipi_" + name);
        for (int k = 0; k < 200 && !Files.exists(socket) && !learn.isDone(); k++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(socket), "learn did not open " + socket + (learn.isDone() ? ": " + learn.get().err()
                : ""));
        ProcessBuilder pb = new ProcessBuilder(Lammps.LMP.toString(), "-in", "in.lmp", "-log", "log.lammps",
                "-screen", "none").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process lmp = pb.start();
        CliTesting.Run r;
        try {
            r = learn.get(60, TimeUnit.SECONDS);
        } finally {
            if (!lmp.waitFor(20, TimeUnit.SECONDS)) {
                lmp.destroyForcibly();
                fail("LAMMPS did not exit after learn sent EXIT:\n" + Files.readString(dir.resolve("log.lammps")));
            }
        }
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(Files.readString(dir.resolve("log.lammps")).contains("fix ipi"), "LAMMPS read the fix");

        Path training = out.resolve("training.xyz");
        List<Structure> frames = ExtXyz.read(training);
        assertTrue(frames.size() >= 3, "LAMMPS labelled only " + frames.size() + " frames");
        Path evaluated = dir.resolve("sw.xyz");
        CliTesting.Run e = CliTesting.run("eval", "--potential", "sw:" + sw, "--prefix", "sw_", training.toString(),
                "-o", evaluated.toString());
        assertEquals(0, e.exitCode(), e.err());
        List<Structure> ref = ExtXyz.read(evaluated);
        assertEquals(frames.size(), ref.size());
        for (int f = 0; f < frames.size(); f++) {
            assertEquals(ENERGY_RATIO * ref.get(f).infoReal("sw_energy"), frames.get(f).infoReal("energy"), 1e-6,
                    "frame " + f + " energy (eV)");
            double[] want = ref.get(f).properties().get("sw_forces").reals();
            double[] got = frames.get(f).properties().get("forces").reals();
            for (int c = 0; c < want.length; c++) {
                assertEquals(FORCE_RATIO * want[c], got[c], 1e-6, "frame " + f + " force component " + c + " (eV/Å)");
            }
        }
        // the frames are MD states, not the lattice: the labels differ from frame to frame
        assertTrue(Math.abs(frames.getLast().infoReal("energy") - frames.getFirst().infoReal("energy")) > 1e-3);
    }

    @Test
    void noClientWithinTheTimeoutIsAClearError() throws Exception {
        String name = "soapstone-learn-nobody-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path start = dir.resolve("si8.xyz");
        ExtXyz.write(start, List.of(Crystal.diamond(14, 5.431, 1)));
        CliTesting.Run r = CliTesting.run("learn", "--reference-ipi", "unix:" + name, "--reference-timeout", "1",
                "--descriptor", "soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 zeta=4 delta=1 "
                        + "covariance_type=dot_product n_sparse=4", "--temperature", "300", "--steps", "5",
                "--output", dir.resolve("nobody").toString(), start.toString());
        assertTrue(r.exitCode() != 0, r.out());
        assertTrue(r.err().contains("no i-PI client connected") && r.err().contains(name), r.err());
        assertTrue(!Files.exists(Path.of("/tmp/ipi_" + name)), "the socket file is removed at the end");
    }
}
