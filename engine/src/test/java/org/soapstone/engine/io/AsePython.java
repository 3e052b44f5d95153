package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.AseScript;

/**
 * Runs ASE scripts (by {@link AseScript}) that dump frames as JSON, and compares ASE's view of a frame with ours,
 * value by value and bit for bit.
 */
final class AsePython {
    /**
     * Python prelude: {@code dump(atoms)} gives numbers, positions, cell, pbc, masses, every info value as
     * [type, value] and every array as [letter, columns, flat values]; 3×3 info matrices (which ASE reshapes in
     * Fortran order) are flattened in Fortran order, i.e. back to the order in the file.
     */
    static final String DUMP = """
            import sys, json
            import numpy as np
            import ase.io
            def typed(v):
                if isinstance(v, (bool, np.bool_)): return ['b', bool(v)]
                if isinstance(v, (int, np.integer)): return ['i', int(v)]
                if isinstance(v, (float, np.floating)): return ['f', float(v)]
                if isinstance(v, str): return ['s', v]
                a = np.asarray(v)
                flat = a.flatten(order='F') if a.ndim == 2 else a.ravel()
                k = a.dtype.kind
                if k == 'b': return ['b[]', [bool(x) for x in flat]]
                if k in 'iu': return ['i[]', [int(x) for x in flat]]
                if k == 'f': return ['f[]', [float(x) for x in flat]]
                return ['s[]', [str(x) for x in flat]]
            def column(a):
                kind = {'f': 'R', 'i': 'I', 'b': 'L', 'U': 'S', 'O': 'S'}[a.dtype.kind]
                conv = {'R': float, 'I': int, 'L': bool, 'S': str}[kind]
                return [kind, 1 if a.ndim == 1 else a.shape[1], [conv(x) for x in a.ravel()]]
            def dump(atoms):
                return {'numbers': [int(z) for z in atoms.numbers],
                        'positions': [float(x) for x in atoms.positions.ravel()],
                        'cell': [float(x) for x in atoms.cell.array.ravel()],
                        'pbc': [bool(b) for b in atoms.pbc],
                        'masses': [float(m) for m in atoms.get_masses()],
                        'info': {k: typed(v) for k, v in atoms.info.items()},
                        'arrays': {k: column(a) for k, a in atoms.arrays.items() if k not in ('numbers', 'positions')}}
            """;

    private AsePython() {}

    /** Runs {@code script} (after {@link #DUMP}) with {@code args}; returns its standard output parsed as JSON. */
    static Object run(String script, String... args) {
        return Json.parse(AseScript.run(DUMP + script, args));
    }

    /** Asserts that our structure holds exactly what ASE's {@code dump} printed for the same frame. */
    @SuppressWarnings("unchecked")
    static void assertMatches(Map<String, Object> ase, Structure s, String where) {
        assertArrayEquals(longs(ase.get("numbers")), toLongs(s.numbers()), where + ": numbers");
        StructureAssertions.assertBits(doubles(ase.get("positions")), s.positions(), where + ": positions");
        StructureAssertions.assertBits(doubles(ase.get("cell")), s.cell().matrix(), where + ": cell");
        assertArrayEquals(booleans(ase.get("pbc")), s.cell().pbc(), where + ": pbc");
        StructureAssertions.assertBits(doubles(ase.get("masses")), s.masses(), where + ": masses");

        Map<String, Object> info = (Map<String, Object>) ase.get("info");
        assertEquals(new ArrayList<>(info.keySet()), new ArrayList<>(s.info().keySet()), where + ": info keys");
        for (Map.Entry<String, Object> e : info.entrySet()) {
            List<Object> tv = (List<Object>) e.getValue();
            assertInfo((String) tv.get(0), tv.get(1), s.info().get(e.getKey()), where + ": info " + e.getKey());
        }

        Map<String, Object> arrays = (Map<String, Object>) ase.get("arrays");
        TreeSet<String> ours = new TreeSet<>(s.properties().keySet());
        if (ours.remove("Z")) {
            // species and Z both present: ASE takes the numbers from Z, we keep Z as a property
            AtomProperty z = s.properties().get("Z");
            assertArrayEquals(longs(ase.get("numbers")), (long[]) z.data(), where + ": Z column");
        }
        if (s.velocities() != null) {
            ours.add("velo");
            assertColumn((List<Object>) arrays.get("velo"), AtomProperty.real(3, s.velocities()), where + ": velo");
        }
        TreeSet<String> theirs = new TreeSet<>(arrays.keySet());
        if (theirs.remove("masses")) {
            StructureAssertions.assertBits(doubles(((List<Object>) arrays.get("masses")).get(2)), s.masses(),
                    where + ": masses column");
        }
        assertEquals(theirs, ours, where + ": per-atom arrays");
        for (String name : s.properties().keySet()) {
            if (!name.equals("Z")) {
                assertColumn((List<Object>) arrays.get(name), s.properties().get(name), where + ": " + name);
            }
        }
    }

    private static void assertColumn(List<Object> ase, AtomProperty p, String where) {
        assertNotNull(ase, where + ": missing in ASE");
        assertEquals(ase.get(0), String.valueOf(p.type().letter()), where + ": type");
        assertEquals(((Long) ase.get(1)).intValue(), p.columns(), where + ": columns");
        Object values = ase.get(2);
        switch (p.data()) {
            case double[] d -> StructureAssertions.assertBits(doubles(values), d, where);
            case long[] l -> assertArrayEquals(longs(values), l, where);
            case boolean[] b -> assertArrayEquals(booleans(values), b, where);
            case String[] t -> assertArrayEquals(((List<?>) values).toArray(new String[0]), t, where);
            default -> fail();
        }
    }

    private static void assertInfo(String type, Object expected, Object actual, String where) {
        assertNotNull(actual, where + ": missing");
        switch (type) {
            case "i" -> assertEquals(expected, actual, where);
            case "f" -> StructureAssertions.assertBits(new double[] {(Double) expected},
                    new double[] {assertInstanceOf(Double.class, actual, where)}, where);
            case "b", "s" -> assertEquals(expected, actual, where);
            case "i[]" -> assertArrayEquals(longs(expected), assertInstanceOf(long[].class, actual, where), where);
            case "f[]" -> StructureAssertions.assertBits(doubles(expected),
                    assertInstanceOf(double[].class, actual, where), where);
            case "b[]" -> assertArrayEquals(booleans(expected), assertInstanceOf(boolean[].class, actual, where),
                    where);
            case "s[]" -> assertArrayEquals(((List<?>) expected).toArray(new String[0]),
                    assertInstanceOf(String[].class, actual, where), where);
            default -> fail("unknown type " + type);
        }
    }

    static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }

    static long[] longs(Object list) {
        return ((List<?>) list).stream().mapToLong(o -> (Long) o).toArray();
    }

    static boolean[] booleans(Object list) {
        List<?> l = (List<?>) list;
        boolean[] b = new boolean[l.size()];
        for (int k = 0; k < b.length; k++) {
            b[k] = (Boolean) l.get(k);
        }
        return b;
    }

    private static long[] toLongs(int[] a) {
        long[] l = new long[a.length];
        for (int k = 0; k < a.length; k++) {
            l[k] = a[k];
        }
        return l;
    }
}
