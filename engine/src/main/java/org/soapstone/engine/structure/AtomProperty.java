package org.soapstone.engine.structure;

import java.util.Arrays;

/**
 * A per-atom property of a structure beyond species, positions, masses and velocities: forces, local energies,
 * tags, anything a file carries. Stored flat, atom-major: component {@code c} of atom {@code i} is at
 * {@code i * columns + c}.
 *
 * @param type the value type, as in extended XYZ's {@code Properties=name:type:cols}
 * @param columns the number of values per atom (≥ 1)
 * @param data a {@code double[]} (REAL), {@code long[]} (INTEGER), {@code boolean[]} (LOGICAL) or
 *     {@code String[]} (STRING) of length atoms × columns
 */
public record AtomProperty(Type type, int columns, Object data) {

    /** The value type of a property, with its extended-XYZ letter. */
    public enum Type {
        REAL('R'), INTEGER('I'), LOGICAL('L'), STRING('S');

        private final char letter;

        Type(char letter) {
            this.letter = letter;
        }

        /** @return the extended-XYZ type letter: R, I, L or S */
        public char letter() {
            return letter;
        }

        /**
         * @param letter an extended-XYZ type letter
         * @return the type it denotes
         * @throws IllegalArgumentException for a letter other than R, I, L, S
         */
        public static Type ofLetter(char letter) {
            for (Type t : values()) {
                if (t.letter == letter) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown property type '" + letter + "' (expected R, I, L or S)");
        }
    }

    public AtomProperty {
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be ≥ 1, got " + columns);
        }
        boolean ok = switch (type) {
            case REAL -> data instanceof double[];
            case INTEGER -> data instanceof long[];
            case LOGICAL -> data instanceof boolean[];
            case STRING -> data instanceof String[];
        };
        if (!ok) {
            throw new IllegalArgumentException("data of type " + data.getClass().getSimpleName() + " for a " + type
                    + " property");
        }
    }

    /** A real-valued property with {@code columns} values per atom. */
    public static AtomProperty real(int columns, double[] values) {
        return new AtomProperty(Type.REAL, columns, values);
    }

    /** @return the number of atoms this property covers */
    public int atoms() {
        int length = switch (data) {
            case double[] d -> d.length;
            case long[] l -> l.length;
            case boolean[] b -> b.length;
            case String[] s -> s.length;
            default -> throw new IllegalStateException();
        };
        return length / columns;
    }

    /** @return the values as {@code double[]}; only for REAL properties */
    public double[] reals() {
        if (type != Type.REAL) {
            throw new IllegalStateException("property is " + type + ", not REAL");
        }
        return (double[]) data;
    }

    /** @return a deep copy */
    public AtomProperty copy() {
        Object c = switch (data) {
            case double[] d -> d.clone();
            case long[] l -> l.clone();
            case boolean[] b -> b.clone();
            case String[] s -> s.clone();
            default -> throw new IllegalStateException();
        };
        return new AtomProperty(type, columns, c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AtomProperty p && type == p.type && columns == p.columns
                && Arrays.deepEquals(new Object[] {data}, new Object[] {p.data});
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.deepHashCode(new Object[] {data});
    }
}
