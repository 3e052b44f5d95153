package org.soapstone.engine.io;

import java.util.ArrayList;
import java.util.List;

/**
 * The flat JSON arrays ASE writes for header values it cannot write otherwise ({@code _JSON ["a", "b"]} for a
 * list of strings): read into {@code String[]}, {@code long[]}, {@code double[]} or {@code boolean[]}, and
 * {@code String[]} written back.
 */
final class JsonArray {
    private final String s;
    private int i;

    private JsonArray(String s) {
        this.s = s;
    }

    /**
     * @return the array as {@code String[]}, {@code long[]}, {@code double[]} (also for {@code []}) or
     *     {@code boolean[]}; null if {@code text} is not a flat JSON array of one kind of scalar
     */
    static Object parse(String text) {
        try {
            return new JsonArray(text).array();
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    private Object array() {
        skipSpace();
        expect('[');
        List<Object> items = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            i++;
        } else {
            while (true) {
                skipSpace();
                items.add(scalar());
                skipSpace();
                char c = s.charAt(i++);
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException();
                }
            }
        }
        skipSpace();
        if (i != s.length()) {
            throw new IllegalArgumentException();
        }
        return typed(items);
    }

    private static Object typed(List<Object> items) {
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
        throw new IllegalArgumentException();
    }

    private Object scalar() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        int start = i;
        while (i < s.length() && ",] \t".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        String word = s.substring(start, i);
        return switch (word) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Numbers.isLong(word) ? (Object) Numbers.parseLong(word, 0, word.length())
                    : (Object) Numbers.parseDouble(word, 0, word.length());
        };
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> sb.append(e);
            }
        }
    }

    /** @return {@code values} as a JSON array, in the layout Python's {@code json.dumps} uses */
    static String format(String[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < values.length; k++) {
            sb.append(k == 0 ? "\"" : ", \"");
            for (char c : values[k].toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }

    private char peek() {
        return s.charAt(i);
    }

    private void expect(char c) {
        if (s.charAt(i++) != c) {
            throw new IllegalArgumentException();
        }
    }

    private void skipSpace() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }
}
