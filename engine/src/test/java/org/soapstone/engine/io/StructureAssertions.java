package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.Bits;

/** Bit-exact comparison of two structures: every array, every property, every info value. */
final class StructureAssertions {
    private StructureAssertions() {}

    static void assertIdentical(Structure expected, Structure actual, String where) {
        assertArrayEquals(expected.numbers(), actual.numbers(), where + ": numbers");
        assertBits(expected.positions(), actual.positions(), where + ": positions");
        assertBits(expected.masses(), actual.masses(), where + ": masses");
        if (expected.velocities() == null) {
            assertEquals(null, actual.velocities(), where + ": velocities");
        } else {
            assertBits(expected.velocities(), actual.velocities(), where + ": velocities");
        }
        assertBits(expected.cell().matrix(), actual.cell().matrix(), where + ": cell");
        assertArrayEquals(expected.cell().pbc(), actual.cell().pbc(), where + ": pbc");
        assertEquals(new ArrayList<>(expected.properties().keySet()), new ArrayList<>(actual.properties().keySet()),
                where + ": property names in order");
        for (Map.Entry<String, AtomProperty> e : expected.properties().entrySet()) {
            assertEquals(e.getValue(), actual.properties().get(e.getKey()), where + ": property " + e.getKey());
        }
        assertEquals(new ArrayList<>(expected.info().keySet()), new ArrayList<>(actual.info().keySet()),
                where + ": info keys in order");
        for (Map.Entry<String, Object> e : expected.info().entrySet()) {
            Object a = actual.info().get(e.getKey());
            assertEquals(e.getValue().getClass(), a.getClass(), where + ": type of info " + e.getKey());
            assertTrue(Arrays.deepEquals(new Object[] {e.getValue()}, new Object[] {a}),
                    where + ": info " + e.getKey() + " " + Arrays.deepToString(new Object[] {e.getValue()}) + " vs "
                            + Arrays.deepToString(new Object[] {a}));
        }
    }

    /** Bitwise equality of doubles (distinguishes −0.0 from 0.0; NaN equals NaN). */
    static void assertBits(double[] expected, double[] actual, String what) {
        Bits.assertSameBits(expected, actual, what);
    }
}
