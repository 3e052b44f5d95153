package org.soapstone.engine.io;

import java.util.Arrays;
import java.util.List;

/**
 * The flat JSON arrays ASE writes for header values it cannot write otherwise ({@code _JSON ["a", "b"]} for a
 * list of strings): read into {@code String[]}, {@code long[]}, {@code double[]} or {@code boolean[]}, and
 * {@code String[]} written back. Parsing is {@link Json}'s.
 */
final class JsonArray {
    private JsonArray() {}

    /**
     * @return the array as {@code String[]}, {@code long[]}, {@code double[]} (also for {@code []}) or
     *     {@code boolean[]}; null if {@code text} is not a flat JSON array of one kind of scalar
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

    /** @return {@code values} as a JSON array, in the layout Python's {@code json.dumps} uses */
    static String format(String[] values) {
        return Json.format(Arrays.asList(values));
    }
}
