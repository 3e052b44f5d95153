package org.soapstone.engine.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON (RFC 8259) reader and writer for the metadata documents Soapstone writes (a model file's
 * {@code model.json}) and the JSON values ASE puts in extended-XYZ headers. Values map to Java as: object
 * → {@code Map<String, Object>} (insertion-ordered), array → {@code List<Object>}, string → {@link String},
 * number → {@link Long} if written as an integer that fits, else {@link Double}, {@code true}/{@code false} →
 * {@link Boolean}, {@code null} → {@code null}. Like Python's {@code json}, the reader also accepts {@code NaN},
 * {@code Infinity} and {@code -Infinity}; the writer refuses non-finite numbers. Doubles are written in Java's
 * shortest round-trip form, which every conforming reader parses back to the same bits.
 */
public final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /** A JSON text that cannot be parsed; the message gives the line and column. */
    public static final class JsonException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    /**
     * @param text a complete JSON text
     * @return its value (see the class comment for the Java types)
     * @throws JsonException naming the line and column of the first error
     */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipSpace();
        Object v = p.value();
        p.skipSpace();
        if (p.i != text.length()) {
            throw p.error("unexpected text after the value");
        }
        return v;
    }

    /**
     * @param value a value made of the Java types in the class comment ({@link Integer} is accepted for numbers)
     * @return the value as JSON text, objects and arrays of containers indented by two spaces, arrays of scalars on
     *     one line
     * @throws IllegalArgumentException for a non-finite number or a type JSON cannot hold
     */
    public static String format(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, "");
        return out.toString();
    }

    private static void write(StringBuilder out, Object v, String indent) {
        switch (v) {
            case null -> out.append("null");
            case String str -> quote(out, str);
            case Boolean b -> out.append(b);
            case Long l -> out.append(l);
            case Integer n -> out.append(n);
            case Double d -> {
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("JSON cannot hold the number " + d);
                }
                out.append(d);
            }
            case Map<?, ?> map -> {
                if (map.isEmpty()) {
                    out.append("{}");
                    return;
                }
                String inner = indent + "  ";
                out.append("{\n");
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(",\n");
                    }
                    first = false;
                    out.append(inner);
                    quote(out, (String) e.getKey());
                    out.append(": ");
                    write(out, e.getValue(), inner);
                }
                out.append('\n').append(indent).append('}');
            }
            case List<?> list -> {
                boolean flat = list.stream().noneMatch(x -> x instanceof Map || x instanceof List);
                String inner = indent + "  ";
                out.append(flat ? "[" : "[\n");
                for (int k = 0; k < list.size(); k++) {
                    if (k > 0) {
                        out.append(flat ? ", " : ",\n");
                    }
                    if (!flat) {
                        out.append(inner);
                    }
                    write(out, list.get(k), inner);
                }
                out.append(flat ? "]" : "\n" + indent + "]");
            }
            default -> throw new IllegalArgumentException("JSON cannot hold a " + v.getClass().getSimpleName());
        }
    }

    /** Appends {@code str} as a JSON string: quotes, backslashes and control characters escaped. */
    static void quote(StringBuilder out, String str) {
        out.append('"');
        for (int k = 0; k < str.length(); k++) {
            char c = str.charAt(k);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private Object value() {
        if (i >= s.length()) {
            throw error("unexpected end of text, a value expected");
        }
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            default -> word();
        };
    }

    private Map<String, Object> object() {
        i++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            i++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("a string key expected");
            }
            int at = i;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (map.containsKey(key)) {
                i = at;
                throw error("duplicate key \"" + key + "\"");
            }
            map.put(key, value());
            skipSpace();
            char c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                i--;
                throw error("',' or '}' expected");
            }
        }
    }

    private List<Object> array() {
        i++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            i++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value());
            skipSpace();
            char c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                i--;
                throw error("',' or ']' expected");
            }
        }
    }

    private String string() {
        i++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                i--;
                throw error("control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw error("truncated \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    i += 4;
                }
                default -> {
                    i--;
                    throw error("bad escape \\" + e);
                }
            }
        }
    }

    private Object word() {
        int start = i;
        while (i < s.length() && ",]} \t\r\n:".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        String w = s.substring(start, i);
        switch (w) {
            case "true": return Boolean.TRUE;
            case "false": return Boolean.FALSE;
            case "null": return null;
            case "NaN": return Double.NaN;
            case "Infinity": return Double.POSITIVE_INFINITY;
            case "-Infinity": return Double.NEGATIVE_INFINITY;
            default: break;
        }
        if (!w.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            i = start;
            throw error(w.isEmpty() ? "a value expected" : "'" + w + "' is not a JSON value");
        }
        if (w.indexOf('.') < 0 && w.indexOf('e') < 0 && w.indexOf('E') < 0) {
            try {
                return Long.parseLong(w);
            } catch (NumberFormatException ex) {
                // too large for a long: a double, as Python would give a big int
            }
        }
        return Double.parseDouble(w);
    }

    private char peek() {
        if (i >= s.length()) {
            throw error("unexpected end of text");
        }
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + c + "' expected");
        }
        i++;
    }

    private void skipSpace() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private JsonException error(String what) {
        int line = 1;
        int col = 1;
        for (int k = 0; k < Math.min(i, s.length()); k++) {
            if (s.charAt(k) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new JsonException("line " + line + ", column " + col + ": " + what);
    }
}
