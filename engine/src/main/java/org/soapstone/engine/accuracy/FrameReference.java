package org.soapstone.engine.accuracy;

import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;

/**
 * The reference values of one frame, copied out of it before a calculation may overwrite them: energy (eV, NaN if
 * absent), forces (eV/Å, 3N atom-major, null if absent), virial (eV, row-major 3×3, null if absent — taken from the
 * frame's virial, else −stress × V) and the frame's group ({@code "default"} when it has none).
 *
 * @param configType the frame's group
 * @param atoms the number of atoms
 * @param volume the cell volume (Å³), NaN if the cell has none
 * @param energy the reference energy (eV), NaN if absent
 * @param forces the reference forces (eV/Å), null if absent
 * @param virial the reference virial W = −σV (eV, row-major 3×3), null if absent
 */
public record FrameReference(String configType, int atoms, double volume, double energy, double[] forces,
        double[] virial) {
    /** The group of frames without a config_type. */
    public static final String DEFAULT_GROUP = "default";

    public FrameReference {
        if (configType == null || atoms < 0) {
            throw new IllegalArgumentException("a frame reference needs a group and a non-negative atom count");
        }
        if (forces != null && forces.length != 3 * atoms) {
            throw new IllegalArgumentException("reference forces have " + forces.length + " values for " + atoms
                    + " atoms");
        }
        if (virial != null && virial.length != 9) {
            throw new IllegalArgumentException("a reference virial has 9 values, not " + virial.length);
        }
    }

    /**
     * Copies the reference values of a frame.
     *
     * @param s the frame, before any calculation writes into it
     * @param names where the reference values are
     * @return its references
     * @throws IllegalArgumentException naming the field if a reference value has the wrong type or shape
     */
    public static FrameReference read(Structure s, ReferenceNames names) {
        Object group = s.info().get(names.configType());
        String configType = group == null ? DEFAULT_GROUP : String.valueOf(group);
        double volume = s.cell().hasVolume() ? s.volume() : Double.NaN;
        Double e = energy(s, names.energy());
        double[] virial = matrix(s, names.virial(), 1.0);
        if (virial == null && !Double.isNaN(volume)) {
            virial = matrix(s, names.stress(), -volume);
        }
        return new FrameReference(configType, s.size(), volume, e == null ? Double.NaN : e, forces(s,
                names.forces()), virial);
    }

    /** @return whether the frame has a reference energy */
    public boolean hasEnergy() {
        return !Double.isNaN(energy);
    }

    /** @return the reference stress −W/V (eV/Å³, Voigt xx, yy, zz, yz, xz, xy), null without virial or volume */
    public double[] stressVoigt() {
        return virial == null || Double.isNaN(volume) ? null : CalculationResults.matrixToVoigt(virial, -1.0 / volume);
    }

    private static Double energy(Structure s, String key) {
        Object v = s.info().get(key);
        return switch (v) {
            case null -> null;
            case Double d -> d;
            case Long l -> l.doubleValue();
            default -> throw new IllegalArgumentException("reference energy '" + key + "' is not a number: " + v);
        };
    }

    private static double[] forces(Structure s, String name) {
        AtomProperty p = s.properties().get(name);
        if (p == null) {
            return null;
        }
        if (p.type() != AtomProperty.Type.REAL || p.columns() != 3) {
            throw new IllegalArgumentException("reference forces '" + name + "' must be 3 real columns, not "
                    + p.columns() + " of type " + p.type());
        }
        return p.reals().clone();
    }

    /** @return a 3×3 row-major matrix from 9 values or a Voigt 6-vector, times scale; null if absent */
    private static double[] matrix(Structure s, String key, double scale) {
        Object v = s.info().get(key);
        double[] values = switch (v) {
            case null -> null;
            case double[] d -> d;
            case long[] l -> java.util.Arrays.stream(l).asDoubleStream().toArray();
            default -> throw new IllegalArgumentException("reference '" + key + "' is not 9 numbers: " + v);
        };
        if (values == null) {
            return null;
        }
        if (values.length == 6) {
            return CalculationResults.voigtToMatrix(values, scale);
        }
        if (values.length != 9) {
            throw new IllegalArgumentException("reference '" + key + "' has " + values.length
                    + " numbers, expected 9 (3×3) or 6 (Voigt)");
        }
        double[] m = new double[9];
        for (int k = 0; k < 9; k++) {
            m[k] = scale * values[k];
        }
        return m;
    }
}
