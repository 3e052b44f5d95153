package org.soapstone.engine.io;

import java.util.Arrays;

/**
 * An n-dimensional array as a NumPy {@code .npy} file holds it: element type, shape and the elements in C
 * (row-major) order in a flat Java array ({@code double[]}, {@code long[]} or {@code int[]}, matching the type).
 * Units are whatever the writer documents for the array. The record does not copy the data.
 *
 * @param type the element type
 * @param shape the extent of each axis (each ≥ 0; an empty shape is a scalar with one element)
 * @param data the elements, C order; its length is the product of the shape
 */
public record NpyArray(Type type, int[] shape, Object data) {
    /** The supported element types, little-endian, with their NumPy {@code descr}. */
    public enum Type {
        /** {@code <f8}: double */
        FLOAT64("<f8", 8),
        /** {@code <i8}: long */
        INT64("<i8", 8),
        /** {@code <i4}: int */
        INT32("<i4", 4);

        private final String descr;
        private final int bytes;

        Type(String descr, int bytes) {
            this.descr = descr;
            this.bytes = bytes;
        }

        /** @return NumPy's type string, e.g. {@code <f8} */
        public String descr() {
            return descr;
        }

        /** @return bytes per element */
        public int bytes() {
            return bytes;
        }

        /** @return the type whose descr is {@code descr}, or null if unsupported */
        static Type ofDescr(String descr) {
            for (Type t : values()) {
                if (t.descr.equals(descr)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** Validates the shape and that the data array matches the type and the element count. */
    public NpyArray {
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative extent in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        int length = switch (type) {
            case FLOAT64 -> data instanceof double[] a ? a.length : -1;
            case INT64 -> data instanceof long[] a ? a.length : -1;
            case INT32 -> data instanceof int[] a ? a.length : -1;
        };
        if (length < 0) {
            throw new IllegalArgumentException(type + " array needs " + switch (type) {
                case FLOAT64 -> "double[]";
                case INT64 -> "long[]";
                case INT32 -> "int[]";
            } + " data, got " + (data == null ? "null" : data.getClass().getSimpleName()));
        }
        if (length != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n + " elements, data "
                    + length);
        }
    }

    /** @return a float64 array of the given shape over {@code data} (not copied) */
    public static NpyArray of(double[] data, int... shape) {
        return new NpyArray(Type.FLOAT64, shape, data);
    }

    /** @return an int64 array of the given shape over {@code data} (not copied) */
    public static NpyArray of(long[] data, int... shape) {
        return new NpyArray(Type.INT64, shape, data);
    }

    /** @return an int32 array of the given shape over {@code data} (not copied) */
    public static NpyArray of(int[] data, int... shape) {
        return new NpyArray(Type.INT32, shape, data);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** @return the float64 elements (live) @throws IllegalStateException if the type is not FLOAT64 */
    public double[] doubles() {
        if (!(data instanceof double[] a)) {
            throw new IllegalStateException("array is " + type.descr + ", not <f8");
        }
        return a;
    }

    /** @return the elements as longs (a copy for INT32) @throws IllegalStateException for FLOAT64 */
    public long[] longs() {
        return switch (data) {
            case long[] a -> a;
            case int[] a -> Arrays.stream(a).asLongStream().toArray();
            default -> throw new IllegalStateException("array is " + type.descr + ", not an integer type");
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && a.type == type && Arrays.equals(a.shape, shape)
                && Arrays.deepEquals(new Object[] {data}, new Object[] {a.data});
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + Arrays.hashCode(shape)) + Arrays.deepHashCode(new Object[] {data});
    }

    @Override
    public String toString() {
        return "NpyArray[" + type.descr + " " + Arrays.toString(shape) + "]";
    }
}
