package org.soapstone.engine.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed values of the extended-XYZ header (the {@code Structure.info()} values) and their text form.
 *
 * <p>Reading follows ASE's {@code key_val_str_to_dict}: the raw value is split at whitespace and commas; if every
 * part is an integer that fits a long the value is a {@code Long} (one part) or {@code long[]}; else if every part
 * is a real number, {@code Double} or {@code double[]}; else if every part is a boolean ({@code T F True False
 * true false}), {@code Boolean} or {@code boolean[]}; else a value starting with {@code _JSON } holding a flat
 * JSON array becomes the corresponding array ({@code String[]} for strings); anything else is the {@code String}
 * itself. ASE 3.22 itself only reads {@code T}/{@code F} as booleans.
 *
 * <p>Writing produces text that both this reader and ASE read back to the same value: reals in Java's shortest
 * round-trip form, booleans as {@code T}/{@code F}, arrays space-separated in quotes, {@code String[]} and empty
 * arrays as {@code _JSON [...]} (ASE's form), strings quoted and escaped when they need it.
 */
final class InfoValues {
    private InfoValues() {}

    /** @return the typed value of a raw (unquoted) header value */
    static Object parse(String raw) {
        List<String> parts = split(raw);
        if (parts.isEmpty()) {
            return raw;
        }
        if (parts.stream().allMatch(Numbers::isLong)) {
            long[] v = new long[parts.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = Numbers.parseLong(parts.get(i), 0, parts.get(i).length());
            }
            return v.length == 1 ? (Object) v[0] : v;
        }
        if (parts.stream().allMatch(Numbers::isDouble)) {
            double[] v = new double[parts.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = Numbers.parseDouble(parts.get(i), 0, parts.get(i).length());
            }
            return v.length == 1 ? (Object) v[0] : v;
        }
        if (parts.stream().allMatch(InfoValues::isBoolean)) {
            boolean[] v = new boolean[parts.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = parseBoolean(parts.get(i));
            }
            return v.length == 1 ? (Object) v[0] : v;
        }
        if (raw.startsWith("_JSON ")) {
            Object array = JsonArray.parse(raw.substring(6));
            if (array != null) {
                return array;
            }
        }
        return raw;
    }

    /** @return the numbers of a raw value as doubles, or null if it is not a list of numbers */
    static double[] reals(String raw) {
        List<String> parts = split(raw);
        double[] v = new double[parts.size()];
        for (int i = 0; i < v.length; i++) {
            String p = parts.get(i);
            if (!Numbers.isDouble(p)) {
                return null;
            }
            v[i] = Numbers.parseDouble(p, 0, p.length());
        }
        return v;
    }

    /** @return true for the boolean spellings extended-XYZ readers accept: T F True False true false */
    static boolean isBoolean(String s) {
        return switch (s) {
            case "T", "F", "True", "False", "true", "false" -> true;
            default -> false;
        };
    }

    /** @return the value of a boolean spelling; call only if {@link #isBoolean} */
    static boolean parseBoolean(String s) {
        return s.charAt(0) == 'T' || s.charAt(0) == 't';
    }

    private static List<String> split(String raw) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        int n = raw.length();
        while (i < n) {
            while (i < n && isSeparator(raw.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSeparator(raw.charAt(i))) {
                i++;
            }
            if (i > start) {
                parts.add(raw.substring(start, i));
            }
        }
        return parts;
    }

    private static boolean isSeparator(char c) {
        return c == ',' || Character.isWhitespace(c);
    }

    /**
     * @param key the info key, for the error message
     * @param value a {@code String}, {@code Long}, {@code Integer}, {@code Double}, {@code Float}, {@code Boolean},
     *     {@code double[]}, {@code long[]}, {@code boolean[]} or {@code String[]}
     * @return the header text of the value, quoted if needed
     * @throws IllegalArgumentException for another type, a non-finite float in an array, or a line break
     */
    static String format(String key, Object value) {
        return switch (value) {
            case String s -> quote(key, s);
            case Long l -> l.toString();
            case Integer i -> i.toString();
            case Double d -> d.toString();
            case Float f -> Double.toString(f);
            case Boolean b -> b ? "T" : "F";
            case double[] d when d.length == 0 -> "\"_JSON []\"";
            case long[] l when l.length == 0 -> "\"_JSON []\"";
            case boolean[] b when b.length == 0 -> "\"_JSON []\"";
            case double[] d -> {
                StringBuilder sb = new StringBuilder("\"");
                for (int i = 0; i < d.length; i++) {
                    sb.append(i == 0 ? "" : " ").append(d[i]);
                }
                yield sb.append('"').toString();
            }
            case long[] l -> {
                StringBuilder sb = new StringBuilder("\"");
                for (int i = 0; i < l.length; i++) {
                    sb.append(i == 0 ? "" : " ").append(l[i]);
                }
                yield sb.append('"').toString();
            }
            case boolean[] b -> {
                StringBuilder sb = new StringBuilder("\"");
                for (int i = 0; i < b.length; i++) {
                    sb.append(i == 0 ? "" : " ").append(b[i] ? 'T' : 'F');
                }
                yield sb.append('"').toString();
            }
            case String[] s -> quote(key, "_JSON " + JsonArray.format(s));
            default -> throw new IllegalArgumentException("info '" + key + "' has a value of unsupported type "
                    + value.getClass().getSimpleName());
        };
    }

    /**
     * @return {@code s} as it must appear in the header: unchanged if it has no special character, else in double
     *     quotes with {@code "} and {@code \} escaped by a backslash
     * @throws IllegalArgumentException if {@code s} contains a line break
     */
    static String quote(String key, String s) {
        boolean plain = !s.isEmpty();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException("info '" + key + "' contains a line break");
            }
            if (Character.isWhitespace(c) || "\"'{}[]=,\\".indexOf(c) >= 0) {
                plain = false;
            }
        }
        if (plain) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
