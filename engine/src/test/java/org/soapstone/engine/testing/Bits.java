package org.soapstone.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

/** Bitwise equality of doubles (distinguishes −0.0 from 0.0; NaN equals NaN), the test of a deterministic result. */
public final class Bits {
    private Bits() {}

    /** @throws AssertionError naming the first index at which the bits differ */
    public static void assertSameBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(actual[i])) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]
                        + " (differs by " + (actual[i] - expected[i]) + ")");
            }
        }
    }

    /** The same names, and the same bits under each. */
    public static void assertSameBits(Map<String, double[]> expected, Map<String, double[]> actual, String where) {
        assertEquals(expected.keySet(), actual.keySet(), where + ": results");
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            assertSameBits(e.getValue(), actual.get(e.getKey()), where + ": " + e.getKey());
        }
    }
}
