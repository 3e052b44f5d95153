package org.soapstone.engine.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;

/**
 * Writes a {@link Structure} as a LAMMPS data file for {@code atom_style atomic} ({@code units metal}).
 *
 * <p>Each species gets one atom type, numbered 1, 2, … in the order given (the order of the elements on the
 * {@code pair_coeff * * file El1 El2 …} line); the {@code Masses} section gives each type's mass (amu). The cell is
 * written as a restricted-triclinic box ({@link LammpsBox}): positions are rotated into the LAMMPS frame and
 * wrapped into the box along periodic directions; velocities, if the structure has any, are rotated and converted
 * from Å/fs to LAMMPS metal units Å/ps. Numbers are printed as the shortest decimal that reads back to the same double.
 * The file is written to a temporary file in the same directory and then renamed.
 */
public final class LammpsData {
    private static final double ANGSTROM_PER_FS_IN_PS = 1000.0;

    private LammpsData() {}

    /**
     * @param structure atoms (Å, amu, Å/fs) in a cell with volume
     * @param species one element per atom type, type 1 first; must cover every species in the structure
     * @param file the data file to write
     * @return the box and rotation used, to map LAMMPS forces, positions and stresses back
     * @throws IllegalArgumentException if a species has no type, species repeat, or atoms of one species have
     *     different masses
     * @throws IOException if the file cannot be written
     */
    public static LammpsBox write(Structure structure, List<Element> species, Path file) throws IOException {
        int n = structure.size();
        int[] types = types(structure, species);
        double[] masses = typeMasses(structure, species, types);
        Cell cell = structure.cell();
        LammpsBox box = LammpsBox.of(cell);
        double[] r = structure.positions().clone();
        box.toLammps(r);
        wrap(r, box, cell);
        StringBuilder out = new StringBuilder(64 * (n + 10));
        out.append("LAMMPS data file written by Soapstone (atom_style atomic, units metal)\n\n");
        out.append(n).append(" atoms\n").append(species.size()).append(" atom types\n\n");
        out.append("0 ").append(num(box.lx())).append(" xlo xhi\n");
        out.append("0 ").append(num(box.ly())).append(" ylo yhi\n");
        out.append("0 ").append(num(box.lz())).append(" zlo zhi\n");
        if (box.triclinic()) {
            out.append(num(box.xy())).append(' ').append(num(box.xz())).append(' ').append(num(box.yz()))
                    .append(" xy xz yz\n");
        }
        out.append("\nMasses\n\n");
        for (int t = 0; t < species.size(); t++) {
            out.append(t + 1).append(' ').append(num(masses[t])).append(" # ").append(species.get(t).symbol())
                    .append('\n');
        }
        out.append("\nAtoms # atomic\n\n");
        for (int i = 0; i < n; i++) {
            out.append(i + 1).append(' ').append(types[i] + 1).append(' ').append(num(r[3 * i])).append(' ')
                    .append(num(r[3 * i + 1])).append(' ').append(num(r[3 * i + 2])).append('\n');
        }
        double[] v = structure.velocities();
        if (v != null) {
            double[] w = v.clone();
            box.toLammps(w);
            out.append("\nVelocities\n\n");
            for (int i = 0; i < n; i++) {
                out.append(i + 1);
                for (int k = 0; k < 3; k++) {
                    out.append(' ').append(num(w[3 * i + k] * ANGSTROM_PER_FS_IN_PS));
                }
                out.append('\n');
            }
        }
        writeAtomically(file, out);
        return box;
    }

    private static int[] types(Structure s, List<Element> species) {
        for (int t = 0; t < species.size(); t++) {
            if (species.indexOf(species.get(t)) != t) {
                throw new IllegalArgumentException("species " + species.get(t).symbol() + " is listed twice in "
                        + species);
            }
        }
        int[] types = new int[s.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = species.indexOf(Element.of(s.numbers()[i]));
            if (types[i] < 0) {
                throw new IllegalArgumentException("atom " + i + " is " + s.symbol(i)
                        + ", which has no LAMMPS type in " + species);
            }
        }
        return types;
    }

    private static double[] typeMasses(Structure s, List<Element> species, int[] types) {
        double[] m = new double[species.size()];
        boolean[] seen = new boolean[species.size()];
        for (int i = 0; i < s.size(); i++) {
            int t = types[i];
            if (!seen[t]) {
                m[t] = s.masses()[i];
                seen[t] = true;
            } else if (m[t] != s.masses()[i]) {
                throw new IllegalArgumentException("atoms of " + species.get(t).symbol()
                        + " have different masses (" + m[t] + " and " + s.masses()[i]
                        + " amu); a LAMMPS type has one mass");
            }
        }
        for (int t = 0; t < m.length; t++) {
            if (!seen[t]) {
                m[t] = species.get(t).mass();
            }
        }
        return m;
    }

    private static void wrap(double[] r, LammpsBox box, Cell cell) {
        double[] h = box.lattice();
        Cell lammps = new Cell(h, cell.pbc());
        double[] s = new double[3];
        double[] x = new double[3];
        for (int i = 0; i < r.length / 3; i++) {
            lammps.toFractional(r[3 * i], r[3 * i + 1], r[3 * i + 2], s);
            boolean moved = false;
            for (int d = 0; d < 3; d++) {
                if (cell.periodic(d) && (s[d] < 0 || s[d] >= 1)) {
                    s[d] -= Math.floor(s[d]);
                    if (s[d] >= 1) {
                        s[d] = 0;
                    }
                    moved = true;
                }
            }
            if (moved) {
                lammps.toCartesian(s[0], s[1], s[2], x);
                System.arraycopy(x, 0, r, 3 * i, 3);
            }
        }
    }

    private static String num(double x) {
        return Double.toString(x);
    }

    /** Writes {@code text} to a temporary file next to {@code file}, then renames it onto {@code file}. */
    static void writeAtomically(Path file, CharSequence text) throws IOException {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, out -> out.write(bytes));
    }
}
