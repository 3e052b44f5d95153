package org.soapstone.engine.structure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A set of atoms in a cell: one frame of an extended-XYZ file, one state of an MD run.
 *
 * <p>Arrays are flat and atom-major: the x, y, z position of atom i are {@code positions()[3i..3i+2]}. Units:
 * positions Å, velocities Å/fs, masses amu. Positions need not lie inside the cell; {@link #wrap()} maps them in.
 *
 * <p>Everything else a file carries is kept: per-atom {@linkplain #properties() properties} (forces, local
 * energies, …) and per-structure {@linkplain #info() info} values (energy, stress, config_type, …), each in the
 * order it was read. Info values are {@code String}, {@code Long}, {@code Double}, {@code Boolean}, or arrays
 * {@code double[]}, {@code long[]}, {@code boolean[]}, {@code String[]}.
 *
 * <p>The arrays returned by {@link #positions()}, {@link #velocities()}, {@link #masses()} and
 * {@link #numbers()} are the structure's own storage, so integrators update them in place.
 */
public final class Structure {
    private final int[] numbers;
    private final double[] positions;
    private final double[] masses;
    private double[] velocities;
    private Cell cell;
    private final LinkedHashMap<String, AtomProperty> properties = new LinkedHashMap<>();
    private final LinkedHashMap<String, Object> info = new LinkedHashMap<>();

    /**
     * A structure with standard masses and no velocities.
     *
     * @param numbers atomic numbers, one per atom
     * @param positions Cartesian positions (Å), 3 per atom
     * @param cell the cell
     */
    public Structure(int[] numbers, double[] positions, Cell cell) {
        this(numbers, positions, standardMasses(numbers), cell);
    }

    /**
     * @param numbers atomic numbers, one per atom
     * @param positions Cartesian positions (Å), 3 per atom
     * @param masses atomic masses (amu), one per atom
     * @param cell the cell
     */
    public Structure(int[] numbers, double[] positions, double[] masses, Cell cell) {
        if (positions.length != 3 * numbers.length) {
            throw new IllegalArgumentException(
                    "positions has " + positions.length + " values for " + numbers.length + " atoms");
        }
        if (masses.length != numbers.length) {
            throw new IllegalArgumentException("masses has " + masses.length + " values for " + numbers.length
                    + " atoms");
        }
        for (int z : numbers) {
            Element.of(z);
        }
        this.numbers = numbers;
        this.positions = positions;
        this.masses = masses;
        this.cell = cell;
    }

    private static double[] standardMasses(int[] numbers) {
        double[] m = new double[numbers.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = Element.of(numbers[i]).mass();
        }
        return m;
    }

    /** @return the number of atoms */
    public int size() {
        return numbers.length;
    }

    /** @return the atomic numbers (live storage) */
    public int[] numbers() {
        return numbers;
    }

    /** @return the chemical symbol of atom {@code i} */
    public String symbol(int i) {
        return Element.of(numbers[i]).symbol();
    }

    /** @return positions (Å), 3 per atom (live storage) */
    public double[] positions() {
        return positions;
    }

    /** @return masses (amu), one per atom (live storage) */
    public double[] masses() {
        return masses;
    }

    /** @return velocities (Å/fs), 3 per atom (live storage), or null if the structure has none */
    public double[] velocities() {
        return velocities;
    }

    /** Sets the velocities (Å/fs), 3 per atom, or null for none; the array becomes the structure's storage. */
    public void setVelocities(double[] v) {
        if (v != null && v.length != positions.length) {
            throw new IllegalArgumentException("velocities has " + v.length + " values for " + size() + " atoms");
        }
        this.velocities = v;
    }

    /** @return the cell */
    public Cell cell() {
        return cell;
    }

    /** Replaces the cell (positions are not changed). */
    public void setCell(Cell cell) {
        this.cell = cell;
    }

    /** @return the cell volume (Å³) */
    public double volume() {
        return cell.volume();
    }

    /** @return the per-atom properties by name, in insertion order (live, modifiable) */
    public Map<String, AtomProperty> properties() {
        return properties;
    }

    /** Adds or replaces a per-atom property, checking that it covers every atom. */
    public void setProperty(String name, AtomProperty p) {
        if (p.atoms() != size()) {
            throw new IllegalArgumentException("property " + name + " covers " + p.atoms() + " atoms, structure has "
                    + size());
        }
        properties.put(name, p);
    }

    /** @return the per-structure values by key, in insertion order (live, modifiable) */
    public Map<String, Object> info() {
        return info;
    }

    /**
     * @param key an info key, e.g. "energy"
     * @return its value as a double, or null if absent
     * @throws IllegalStateException if present but not a number
     */
    public Double infoReal(String key) {
        Object v = info.get(key);
        return switch (v) {
            case null -> null;
            case Double d -> d;
            case Long l -> l.doubleValue();
            default -> throw new IllegalStateException("info '" + key + "' is not a number: " + v);
        };
    }

    /** Writes the fractional coordinates of every atom, 3 per atom. Requires a cell with volume. */
    public double[] fractionalPositions() {
        double[] s = new double[positions.length];
        double[] tmp = new double[3];
        for (int i = 0; i < size(); i++) {
            cell.toFractional(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2], tmp);
            System.arraycopy(tmp, 0, s, 3 * i, 3);
        }
        return s;
    }

    /** Moves every atom into the cell along its periodic directions (fractional coordinates in [0, 1)). */
    public void wrap() {
        if (!cell.anyPeriodic()) {
            return;
        }
        double[] s = new double[3];
        double[] r = new double[3];
        for (int i = 0; i < size(); i++) {
            cell.toFractional(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2], s);
            for (int d = 0; d < 3; d++) {
                if (cell.periodic(d)) {
                    s[d] -= Math.floor(s[d]);
                    if (s[d] >= 1.0) {
                        s[d] = 0.0;
                    }
                }
            }
            cell.toCartesian(s[0], s[1], s[2], r);
            System.arraycopy(r, 0, positions, 3 * i, 3);
        }
    }

    /** @return the minimum-image displacement r_j − r_i (Å) into {@code out[0..2]} */
    public double[] minimumImageDisplacement(int i, int j, double[] out) {
        for (int d = 0; d < 3; d++) {
            out[d] = positions[3 * j + d] - positions[3 * i + d];
        }
        cell.minimumImage(out);
        return out;
    }

    /** @return the minimum-image distance between atoms {@code i} and {@code j} (Å) */
    public double distance(int i, int j) {
        double[] d = minimumImageDisplacement(i, j, new double[3]);
        return Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    }

    /** @return a deep copy: arrays, properties and info values are all copied */
    public Structure copy() {
        Structure c = new Structure(numbers.clone(), positions.clone(), masses.clone(), cell);
        if (velocities != null) {
            c.velocities = velocities.clone();
        }
        properties.forEach((k, p) -> c.properties.put(k, p.copy()));
        info.forEach((k, v) -> c.info.put(k, copyValue(v)));
        return c;
    }

    private static Object copyValue(Object v) {
        return switch (v) {
            case double[] d -> d.clone();
            case long[] l -> l.clone();
            case boolean[] b -> b.clone();
            case String[] s -> s.clone();
            default -> v;
        };
    }

    @Override
    public String toString() {
        return "Structure[" + size() + " atoms, " + cell + ", info=" + info.keySet() + ", properties="
                + properties.keySet() + ", numbers=" + Arrays.toString(Arrays.copyOf(numbers, Math.min(8, size())))
                + "]";
    }
}
