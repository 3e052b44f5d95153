package org.soapstone.engine.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads LAMMPS {@code dump custom} text files: every frame's timestep, box and per-atom columns, atoms sorted by
 * id.
 *
 * <p>The {@code ITEM: ATOMS} header names the columns; {@code id type x y z} are required, {@code vx vy vz}
 * (velocities), {@code fx fy fz} (forces) and {@code c_pe} (per-atom energy from {@code compute pe pe/atom}) are
 * read when present, other columns are ignored. Values are in the units of the run (for {@code units metal}: Å,
 * Å/ps, eV/Å, eV), in the LAMMPS frame; {@link LammpsBox#fromLammps} maps vectors back to a structure's frame.
 */
public final class LammpsDump {
    /** The per-atom energy column read into {@link Frame#energies()}: LAMMPS's name for {@code compute pe pe/atom}. */
    public static final String ENERGY_COLUMN = "c_pe";

    /**
     * One dumped frame, atoms in increasing id order. Arrays are flat, 3 per atom where vectors.
     *
     * @param timestep the LAMMPS timestep
     * @param lattice the box's lattice vectors as rows (Å): (lx,0,0), (xy,ly,0), (xz,yz,lz)
     * @param origin the box's lower corner (xlo, ylo, zlo) (Å)
     * @param ids atom ids
     * @param types atom types (1-based)
     * @param positions x y z (Å)
     * @param velocities vx vy vz (Å/ps), or null if not dumped
     * @param forces fx fy fz (eV/Å), or null if not dumped
     * @param energies per-atom energies (eV), or null if not dumped
     */
    public record Frame(long timestep, double[] lattice, double[] origin, int[] ids, int[] types,
            double[] positions, double[] velocities, double[] forces, double[] energies) {
        /** @return the number of atoms */
        public int size() {
            return ids.length;
        }
    }

    private LammpsDump() {}

    /**
     * @param file a {@code dump custom} text file
     * @return its frames in file order
     * @throws LammpsFormatException naming the file, line and field if the file is malformed or truncated
     * @throws IOException if the file cannot be read
     */
    public static List<Frame> read(Path file) throws IOException {
        List<Frame> frames = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Lines lines = new Lines(file, in);
            String line;
            while ((line = lines.nextOrNull()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                frames.add(readFrame(lines, line));
            }
        }
        return frames;
    }

    private static Frame readFrame(Lines lines, String first) throws IOException {
        lines.expect(first, "ITEM: TIMESTEP");
        long timestep = lines.parseLong(lines.next("timestep"), "timestep");
        lines.expect(lines.next("ITEM: NUMBER OF ATOMS"), "ITEM: NUMBER OF ATOMS");
        long count = lines.parseLong(lines.next("number of atoms"), "number of atoms");
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw lines.error("number of atoms", "out of range: " + count);
        }
        int n = (int) count;
        String boxHeader = lines.next("ITEM: BOX BOUNDS");
        lines.expect(boxHeader, "ITEM: BOX BOUNDS");
        boolean tilted = boxHeader.contains("xy");
        double[][] bounds = new double[3][];
        String[] axes = {"x", "y", "z"};
        for (int d = 0; d < 3; d++) {
            String[] f = lines.fields(lines.next(axes[d] + " bounds"));
            int want = tilted ? 3 : 2;
            if (f.length < want) {
                throw lines.error(axes[d] + " bounds", "expected " + want + " numbers, got " + f.length);
            }
            bounds[d] = new double[want];
            for (int k = 0; k < want; k++) {
                bounds[d][k] = lines.parseDouble(f[k], axes[d] + " bounds value " + (k + 1));
            }
        }
        double xy = tilted ? bounds[0][2] : 0, xz = tilted ? bounds[1][2] : 0, yz = tilted ? bounds[2][2] : 0;
        double xlo = bounds[0][0] - Math.min(Math.min(0, xy), Math.min(xz, xy + xz));
        double xhi = bounds[0][1] - Math.max(Math.max(0, xy), Math.max(xz, xy + xz));
        double ylo = bounds[1][0] - Math.min(0, yz);
        double yhi = bounds[1][1] - Math.max(0, yz);
        double[] lattice = {xhi - xlo, 0, 0, xy, yhi - ylo, 0, xz, yz, bounds[2][1] - bounds[2][0]};
        double[] origin = {xlo, ylo, bounds[2][0]};

        String atomsHeader = lines.next("ITEM: ATOMS");
        lines.expect(atomsHeader, "ITEM: ATOMS");
        List<String> columns = Arrays.asList(lines.fields(atomsHeader.substring("ITEM: ATOMS".length())));
        int cId = lines.column(columns, "id", true);
        int cType = lines.column(columns, "type", true);
        int[] cX = {lines.column(columns, "x", true), lines.column(columns, "y", true), lines.column(columns, "z", true)};
        int[] cV = {lines.column(columns, "vx", false), lines.column(columns, "vy", false),
            lines.column(columns, "vz", false)};
        int[] cF = {lines.column(columns, "fx", false), lines.column(columns, "fy", false),
            lines.column(columns, "fz", false)};
        int cE = lines.column(columns, ENERGY_COLUMN, false);
        boolean hasV = cV[0] >= 0 && cV[1] >= 0 && cV[2] >= 0;
        boolean hasF = cF[0] >= 0 && cF[1] >= 0 && cF[2] >= 0;

        long[] idRows = new long[n];
        int[] types = new int[n];
        double[] x = new double[3 * n];
        double[] v = hasV ? new double[3 * n] : null;
        double[] f = hasF ? new double[3 * n] : null;
        double[] e = cE >= 0 ? new double[n] : null;
        for (int a = 0; a < n; a++) {
            String[] row = lines.fields(lines.next("atom row " + (a + 1) + " of " + n));
            if (row.length < columns.size()) {
                throw lines.error("atom row " + (a + 1), "expected " + columns.size() + " columns, got "
                        + row.length);
            }
            idRows[a] = (lines.parseLong(row[cId], "column id") << 32) | a;
            types[a] = (int) lines.parseLong(row[cType], "column type");
            for (int k = 0; k < 3; k++) {
                x[3 * a + k] = lines.parseDouble(row[cX[k]], "column " + columns.get(cX[k]));
                if (hasV) {
                    v[3 * a + k] = lines.parseDouble(row[cV[k]], "column " + columns.get(cV[k]));
                }
                if (hasF) {
                    f[3 * a + k] = lines.parseDouble(row[cF[k]], "column " + columns.get(cF[k]));
                }
            }
            if (e != null) {
                e[a] = lines.parseDouble(row[cE], "column " + ENERGY_COLUMN);
            }
        }
        Arrays.sort(idRows);
        int[] ids = new int[n];
        int[] order = new int[n];
        for (int a = 0; a < n; a++) {
            ids[a] = (int) (idRows[a] >>> 32);
            order[a] = (int) (idRows[a] & 0xffffffffL);
        }
        return new Frame(timestep, lattice, origin, ids, permute(types, order), permute(x, order, 3),
                permute(v, order, 3), permute(f, order, 3), permute(e, order, 1));
    }

    private static int[] permute(int[] a, int[] order) {
        int[] out = new int[a.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = a[order[i]];
        }
        return out;
    }

    private static double[] permute(double[] a, int[] order, int width) {
        if (a == null) {
            return null;
        }
        double[] out = new double[a.length];
        for (int i = 0; i < order.length; i++) {
            System.arraycopy(a, width * order[i], out, width * i, width);
        }
        return out;
    }

    /** Line-numbered reading with errors that name the file, line and field. */
    private static final class Lines {
        private final Path file;
        private final BufferedReader in;
        private long number;

        Lines(Path file, BufferedReader in) {
            this.file = file;
            this.in = in;
        }

        String nextOrNull() throws IOException {
            String line = in.readLine();
            if (line != null) {
                number++;
            }
            return line;
        }

        String next(String field) throws IOException {
            String line = nextOrNull();
            if (line == null) {
                throw new LammpsFormatException(file, number + 1, field, "file ends here");
            }
            return line;
        }

        void expect(String line, String prefix) {
            if (!line.startsWith(prefix)) {
                throw error(prefix, "expected a line starting '" + prefix + "', got '" + line + "'");
            }
        }

        String[] fields(String line) {
            String t = line.strip();
            return t.isEmpty() ? new String[0] : t.split("\\s+");
        }

        int column(List<String> columns, String name, boolean required) {
            int c = columns.indexOf(name);
            if (c < 0 && required) {
                throw error("ITEM: ATOMS", "no column '" + name + "' among " + columns);
            }
            return c;
        }

        long parseLong(String s, String field) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw error(field, "not an integer: '" + s.strip() + "'");
            }
        }

        double parseDouble(String s, String field) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw error(field, "not a number: '" + s + "'");
            }
        }

        LammpsFormatException error(String field, String problem) {
            return new LammpsFormatException(file, number, field, problem);
        }
    }
}
