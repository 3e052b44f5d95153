package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.Lammps;

class LammpsDataTest {
    @TempDir
    Path tmp;

    /** A general (rotated, strongly skewed) triclinic cell with two species and atoms outside the cell. */
    static Structure triclinic() {
        double[] h = {5.1, 0.7, -0.4, 3.9, 4.6, 0.9, -2.7, 1.3, 5.4};
        Cell cell = new Cell(h, new boolean[] {true, true, true});
        int n = 12;
        int[] z = new int[n];
        double[] r = new double[3 * n];
        java.util.Random rng = new java.util.Random(7);
        double[] x = new double[3];
        for (int i = 0; i < n; i++) {
            z[i] = i % 3 == 0 ? 28 : 29;
            cell.toCartesian(1.6 * rng.nextDouble() - 0.3, 1.6 * rng.nextDouble() - 0.3,
                    1.6 * rng.nextDouble() - 0.3, x);
            System.arraycopy(x, 0, r, 3 * i, 3);
        }
        return new Structure(z, r, cell);
    }

    @Test
    void boxIsAnOrthogonalMapOfTheCell() {
        Structure s = triclinic();
        LammpsBox box = LammpsBox.of(s.cell());
        double[] q = box.rotation();
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double dot = q[3 * a] * q[3 * b] + q[3 * a + 1] * q[3 * b + 1] + q[3 * a + 2] * q[3 * b + 2];
                assertEquals(a == b ? 1 : 0, dot, 1e-14);
            }
        }
        assertTrue(Math.abs(box.xy()) <= box.lx() / 2 && Math.abs(box.xz()) <= box.lx() / 2
                && Math.abs(box.yz()) <= box.ly() / 2, "tilts reduced into LAMMPS limits");
        assertEquals(s.volume(), box.lx() * box.ly() * box.lz(), 1e-10);
        double[] v = {0.3, -1.2, 2.5};
        double[] w = v.clone();
        box.toLammps(w);
        box.fromLammps(w);
        for (int k = 0; k < 3; k++) {
            assertEquals(v[k], w[k], 1e-14);
        }
    }

    /** The triclinic structure with lattice vectors a and b swapped: a left-handed cell. */
    static Structure leftHanded() {
        Structure s = triclinic();
        double[] h = s.cell().matrix();
        double[] swapped = {h[3], h[4], h[5], h[0], h[1], h[2], h[6], h[7], h[8]};
        s.setCell(new Cell(swapped, s.cell().pbc()));
        return s;
    }

    @Test
    void boxMatchesAsePrism() throws IOException, InterruptedException {
        for (Structure s : List.of(triclinic(), leftHanded())) {
            double[] h = s.cell().matrix();
            StringBuilder cell = new StringBuilder();
            for (double x : h) {
                cell.append(Double.toString(x)).append(',');
            }
            String script = "import numpy as np\nfrom ase.calculators.lammps import Prism\n"
                    + "p = Prism(np.array([" + cell + "]).reshape(3, 3))\n"
                    + "print(' '.join(repr(float(x)) for x in list(p.rot_mat.flatten()) + list(p.get_lammps_prism())))\n";
            double[] ase = python(script);
            LammpsBox box = LammpsBox.of(s.cell());
            double[] q = box.rotation();
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(ase[3 * i + k], q[3 * k + i], 1e-12, "ASE rot_mat = Qᵀ, entry " + i + "," + k);
                }
            }
            assertEquals(ase[9], box.lx(), 1e-12);
            assertEquals(ase[10], box.ly(), 1e-12);
            assertEquals(ase[11], box.lz(), 1e-12);
            // the reduced box must span the same lattice as the rotated cell, H Qᵀ (an integer change of basis);
            // ASE 3.22.1's own tilt flipping is not compared: for this strongly skewed cell it yields a box that is
            // not a basis of the lattice
            double[] inv = new Cell(box.lattice(), s.cell().pbc()).inverseMatrix();
            for (int i = 0; i < 3; i++) {
                double[] rotated = {h[3 * i], h[3 * i + 1], h[3 * i + 2]};
                box.toLammps(rotated);
                for (int k = 0; k < 3; k++) {
                    double m = rotated[0] * inv[k] + rotated[1] * inv[3 + k] + rotated[2] * inv[6 + k];
                    assertEquals(Math.rint(m), m, 1e-12, "cell vector " + i + " is a lattice vector of the box");
                }
            }
        }
    }

    private static double[] python(String script) throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            throw new AssertionError("/usr/bin/python3 is missing; install python3-ase");
        }
        Process p = new ProcessBuilder(python.toString(), "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError("python3 with ASE failed:\n" + out);
        }
        String[] f = out.strip().split("\\s+");
        double[] v = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            v[k] = Double.parseDouble(f[k]);
        }
        return v;
    }

    @Test
    void lammpsErrorIsReportedWithTheLogTail() {
        AssertionError e = assertThrows(AssertionError.class, () -> Lammps.compute(triclinic(),
                List.of(Element.of("Cu"), Element.of("Ni")), List.of("pair_style no_such_style")));
        assertTrue(e.getMessage().contains("LAMMPS failed") && e.getMessage().contains("ERROR"), e.getMessage());
    }

    @Test
    void triclinicRoundTripThroughLammpsKeepsEveryDistance() {
        assertRoundTripKeepsDistances(triclinic());
    }

    @Test
    void leftHandedCellRoundTripThroughLammpsKeepsEveryDistance() {
        Structure s = leftHanded();
        double[] q = LammpsBox.of(s.cell()).rotation();
        double det = q[0] * (q[4] * q[8] - q[5] * q[7]) - q[1] * (q[3] * q[8] - q[5] * q[6])
                + q[2] * (q[3] * q[7] - q[4] * q[6]);
        assertEquals(-1, det, 1e-14, "a left-handed cell maps to LAMMPS by a reflection");
        assertRoundTripKeepsDistances(s);
    }

    private static void assertRoundTripKeepsDistances(Structure s) {
        List<Lammps.Frame> frames = Lammps.run(s, List.of(Element.of("Cu"), Element.of("Ni")),
                List.of("pair_style zero 3.0", "pair_coeff * *"), List.of(), 0, 1);
        assertEquals(1, frames.size());
        Structure back = new Structure(s.numbers().clone(), frames.getFirst().positions(), s.cell());
        for (int i = 0; i < s.size(); i++) {
            for (int j = 0; j < s.size(); j++) {
                assertEquals(s.distance(i, j), back.distance(i, j), 1e-12, "distance " + i + "-" + j);
            }
        }
    }

    @Test
    void mdRunWithoutForcesMovesAtomsAlongTheirVelocities() {
        Structure s = triclinic();
        double[] v = new double[3 * s.size()];
        java.util.Random rng = new java.util.Random(9);
        for (int k = 0; k < v.length; k++) {
            v[k] = 0.02 * (2 * rng.nextDouble() - 1);
        }
        s.setVelocities(v);
        List<Lammps.Frame> frames = Lammps.run(s, List.of(Element.of("Cu"), Element.of("Ni")),
                List.of("pair_style zero 3.0", "pair_coeff * *"), List.of("fix nve all nve", "timestep 0.001"),
                10, 5);
        assertEquals(List.of(0L, 5L, 10L), frames.stream().map(Lammps.Frame::step).toList());
        Lammps.Frame last = frames.getLast();
        double[] d = new double[3];
        for (int i = 0; i < s.size(); i++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(v[3 * i + k], last.velocities()[3 * i + k], 1e-14, "velocity (Å/fs) of atom " + i);
                d[k] = last.positions()[3 * i + k] - (s.positions()[3 * i + k] + 10.0 * v[3 * i + k]);
            }
            s.cell().minimumImage(d);
            assertEquals(0, Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]), 1e-12,
                    "atom " + i + " moved by 10 fs × v, up to a lattice vector");
        }
    }

    @Test
    void dataFileListsTypesMassesAndVelocities() throws IOException {
        Structure s = FiniteDifferences.rattled(triclinic(), 0.1, 3);
        s.setVelocities(new double[3 * s.size()]);
        Path file = tmp.resolve("data.lmp");
        LammpsData.write(s, List.of(Element.of("Cu"), Element.of("Ni"), Element.of("Al")), file);
        String text = Files.readString(file);
        assertTrue(text.contains("3 atom types"));
        assertTrue(text.contains("1 63.546 # Cu"), text);
        assertTrue(text.contains("3 26.9815385 # Al"), text);
        assertTrue(text.contains("\nVelocities\n"));
        assertTrue(text.contains(" xy xz yz\n"));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void speciesWithoutTypeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LammpsData.write(triclinic(), List.of(Element.of("Cu")), tmp.resolve("d")));
        assertTrue(e.getMessage().contains("Ni"), e.getMessage());
    }

    @Test
    void dumpErrorsNameFileLineAndField() throws IOException {
        String good = """
                ITEM: TIMESTEP
                0
                ITEM: NUMBER OF ATOMS
                2
                ITEM: BOX BOUNDS pp pp pp
                0 4
                0 4
                0 4
                ITEM: ATOMS id type x y z fx fy fz c_pe
                2 1 1 1 1 0.5 0 0 -1.5
                1 1 0 0 0 -0.5 0 0 -2.5
                """;
        Path ok = tmp.resolve("ok.dump");
        Files.writeString(ok, good);
        LammpsDump.Frame f = LammpsDump.read(ok).getFirst();
        assertEquals(1, f.ids()[0]);
        assertEquals(-0.5, f.forces()[0]);
        assertEquals(-1.5, f.energies()[1]);
        assertEquals(4.0, f.lattice()[8]);

        Path bad = tmp.resolve("bad.dump");
        Files.writeString(bad, good.replace("0.5 0 0 -1.5", "0.5 abc 0 -1.5"));
        LammpsFormatException e = assertThrows(LammpsFormatException.class, () -> LammpsDump.read(bad));
        assertEquals(10, e.line());
        assertEquals("column fy", e.field());
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());

        Path cut = tmp.resolve("cut.dump");
        Files.writeString(cut, good.substring(0, good.lastIndexOf("1 1 0 0 0")));
        e = assertThrows(LammpsFormatException.class, () -> LammpsDump.read(cut));
        assertEquals(11, e.line());
        assertEquals("atom row 2 of 2", e.field());
    }
}
