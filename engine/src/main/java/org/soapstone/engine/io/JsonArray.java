package org.soapstone.engine.io;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JSON arrays ASE writes for header values it cannot write otherwise ({@code _JSON ["a", "b"]} for a list of
 * strings, {@code _JSON [[1.0, 0.0], [0.0, 1.0]]} for a matrix): read into {@code String[]}, {@code long[]},
 * {@code double[]} or {@code boolean[]} — a rectangular nested array of numbers flattened in row-major order — and
 * {@code String[]} written back. Parsing is {@link Json}'s.
 */
final class JsonArray {
    private JsonArray() {}

    /**
     * @return the array as {@code String[]}, {@code long[]}, {@code double[]} (also for {@code []}) or
     *     {@code boolean[]}; null if {@code text} is neither a flat JSON array of one kind of scalar nor a rectangular
     *     nested array of numbers
     */
    static Object parse(String text) {
        try {
            return Json.parse(text) instanceof List<?> items ? typed(items) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Object typed(List<?> items) {
        int n = items.size();
        if (n > 0 && items.stream().allMatch(o -> o instanceof List<?>)) {
            return rows(items);
        }
        if (items.stream().allMatch(o -> o instanceof String)) {
            return n == 0 ? new double[0] : items.toArray(new String[0]);
        }
        if (items.stream().allMatch(o -> o instanceof Boolean)) {
            boolean[] b = new boolean[n];
            for (int k = 0; k < n; k++) {
                b[k] = (Boolean) items.get(k);
            }
            return b;
        }
        if (items.stream().allMatch(o -> o instanceof Long)) {
            return items.stream().mapToLong(o -> (Long) o).toArray();
        }
        if (items.stream().allMatch(o -> o instanceof Long || o instanceof Double)) {
            return items.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
        }
        return null;
    }

    /** @return the rows of a rectangular nested array of numbers, flattened row-major; null otherwise */
    private static Object rows(List<?> items) {
        Object[] rows = new Object[items.size()];
        int width = -1;
        boolean integers = true;
        for (int i = 0; i < rows.length; i++) {
            rows[i] = typed((List<?>) items.get(i));
            int w = rows[i] instanceof long[] l ? l.length : rows[i] instanceof double[] d ? d.length : -1;
            if (w < 0 || (width >= 0 && w != width)) {
                return null;
            }
            width = w;
            integers &= rows[i] instanceof long[];
        }
        if (integers) {
            return Stream.of(rows).flatMapToLong(r -> Arrays.stream((long[]) r)).toArray();
        }
        return Stream.of(rows).flatMapToDouble(r -> r instanceof long[] l
                ? Arrays.stream(l).asDoubleStream() : Arrays.stream((double[]) r)).toArray();
    }

    /** @return {@code values} as a JSON array, in the layout Python's {@code json.dumps} uses */
    static String format(String[] values) {
        return Json.format(Arrays.asList(values));
    }
}
