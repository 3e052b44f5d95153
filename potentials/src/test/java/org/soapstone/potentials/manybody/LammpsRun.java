package org.soapstone.potentials.manybody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;

/**
 * Runs {@code /usr/bin/lmp} on one orthorhombic structure with a many-body pair style and reads back the energy
 * (eV), forces (eV/Å), per-atom energies (eV, {@code compute pe/atom}) and stress (eV/Å³, ASE sign, Voigt order,
 * from LAMMPS's pressure tensor in bar), all printed with 16 significant digits.
 */
public final class LammpsRun {
    private static final Path LMP = Path.of("/usr/bin/lmp");
    /** LAMMPS's own eV/Å³ → bar factor for metal units ({@code force->nktv2p}). */
    private static final double NKTV2P = 1.6021765e6;

    /** Energy (eV). */
    public double energy;
    /** Forces (eV/Å), 3 per atom in the structure's order. */
    public double[] forces;
    /** Per-atom energies (eV). */
    public double[] energies;
    /** Stress (eV/Å³), ASE sign, Voigt order xx yy zz yz xz xy. */
    public final double[] stress = new double[6];

    private LammpsRun() {}

    /**
     * @param s an orthorhombic periodic structure (the cell's lattice vectors along x, y, z)
     * @param pairStyle e.g. "tersoff"
     * @param potential the potential file
     * @param elements the element of each LAMMPS atom type, in type order
     * @param dir a scratch directory
     * @return LAMMPS's results; fails the test if lmp is missing or does not finish
     */
    public static LammpsRun run(Structure s, String pairStyle, Path potential, List<String> elements, Path dir)
            throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(LMP), "LAMMPS is needed for this test: install Debian's lammps package "
                + "(/usr/bin/lmp not found)");
        double[] h = s.cell().matrix();
        for (int k : new int[] {1, 2, 3, 5, 6, 7}) {
            assertEquals(0.0, h[k], "the LAMMPS cross-check writes orthorhombic cells only");
        }
        Structure w = s.copy();
        w.wrap();
        StringBuilder data = new StringBuilder("soapstone cross-check\n\n");
        data.append(w.size()).append(" atoms\n").append(elements.size()).append(" atom types\n\n");
        data.append(fmt("0 %.17g xlo xhi\n0 %.17g ylo yhi\n0 %.17g zlo zhi\n\nMasses\n\n", h[0], h[4], h[8]));
        for (int t = 0; t < elements.size(); t++) {
            data.append(fmt("%d %.17g\n", t + 1, Element.of(elements.get(t)).mass()));
        }
        data.append("\nAtoms # atomic\n\n");
        double[] r = w.positions();
        for (int a = 0; a < w.size(); a++) {
            int type = elements.indexOf(w.symbol(a)) + 1;
            assertTrue(type > 0, "no LAMMPS type for " + w.symbol(a));
            data.append(fmt("%d %d %.17g %.17g %.17g\n", a + 1, type, r[3 * a], r[3 * a + 1], r[3 * a + 2]));
        }
        Files.writeString(dir.resolve("structure.data"), data);
        String input = String.join("\n",
                "units metal",
                "atom_style atomic",
                "boundary p p p",
                "atom_modify map array",
                "read_data structure.data",
                "pair_style " + pairStyle,
                "pair_coeff * * " + potential.toAbsolutePath() + " " + String.join(" ", elements),
                "compute pe all pe/atom",
                "thermo_style custom step pe pxx pyy pzz pyz pxz pxy",
                "thermo_modify format float %.16g",
                "dump d all custom 1 forces.dump id fx fy fz c_pe",
                "dump_modify d sort id format float %.16g",
                "run 0",
                "");
        Files.writeString(dir.resolve("in.lmp"), input);
        Process p = new ProcessBuilder(LMP.toString(), "-in", "in.lmp", "-log", "log.lammps", "-screen", "none")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("lmp.out").toFile())
                .start();
        int code = p.waitFor();
        if (code != 0) {
            fail("lmp exited with " + code + ":\n" + Files.readString(dir.resolve("lmp.out"))
                    + (Files.exists(dir.resolve("log.lammps")) ? Files.readString(dir.resolve("log.lammps")) : ""));
        }
        LammpsRun out = new LammpsRun();
        List<String> log = Files.readAllLines(dir.resolve("log.lammps"));
        int header = -1;
        for (int k = 0; k < log.size(); k++) {
            if (log.get(k).trim().startsWith("Step ")) {
                header = k;
            }
        }
        assertTrue(header >= 0, "no thermo output in log.lammps");
        String[] v = log.get(header + 1).trim().split("\\s+");
        out.energy = Double.parseDouble(v[1]);
        for (int c = 0; c < 6; c++) {
            out.stress[c] = -Double.parseDouble(v[2 + c]) / NKTV2P;
        }
        out.forces = new double[3 * s.size()];
        out.energies = new double[s.size()];
        List<String> dump = Files.readAllLines(dir.resolve("forces.dump"));
        List<String> rows = new ArrayList<>();
        boolean atoms = false;
        for (String line : dump) {
            if (line.startsWith("ITEM: ATOMS")) {
                atoms = true;
            } else if (atoms) {
                rows.add(line);
            }
        }
        assertEquals(s.size(), rows.size(), "atoms in the LAMMPS dump");
        for (String row : rows) {
            String[] f = row.trim().split("\\s+");
            int a = Integer.parseInt(f[0]) - 1;
            for (int k = 0; k < 3; k++) {
                out.forces[3 * a + k] = Double.parseDouble(f[1 + k]);
            }
            out.energies[a] = Double.parseDouble(f[4]);
        }
        return out;
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
