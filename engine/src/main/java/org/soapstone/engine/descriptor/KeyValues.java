package org.soapstone.engine.descriptor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.soapstone.engine.io.Spelling;

/**
 * The {@code key=value} fields of a QUIP/gap_fit argument string, split as QUIP's {@code param_read_line} does:
 * fields separated by spaces or commas outside matching {@code {}}, {@code ''} and {@code ""}; keys
 * case-insensitive; a later field overrides an earlier one; a bare key means {@code key=T}. Typed getters
 * record which keys were read so that {@link #rejectUnknown} can name any key nobody asked for.
 */
final class KeyValues {
    private final String type;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> spelling = new LinkedHashMap<>();
    private final Set<String> known = new TreeSet<>();

    private KeyValues(String type) {
        this.type = type;
    }

    /** @return the type word (first field) and the remaining fields of {@code text} */
    static KeyValues parse(String text) {
        List<String> fields = split(text);
        if (fields.isEmpty()) {
            throw new DescriptorStringException("empty descriptor string; expected e.g. 'soap cutoff=5.0 ...'");
        }
        String first = fields.get(0);
        if (first.contains("=")) {
            throw new DescriptorStringException("descriptor string '" + text.strip()
                    + "' must start with the descriptor type (" + DescriptorString.TYPES + "), not '" + first + "'");
        }
        KeyValues kv = new KeyValues(first.toLowerCase(Locale.ROOT));
        for (String f : fields.subList(1, fields.size())) {
            int eq = f.indexOf('=');
            if (eq == 0) {
                throw new DescriptorStringException("malformed field '" + f + "' in '" + text.strip() + "'");
            }
            String key = eq < 0 ? f : f.substring(0, eq);
            String value = eq < 0 ? null : unquote(f.substring(eq + 1));
            String lower = key.toLowerCase(Locale.ROOT);
            kv.values.put(lower, value);
            kv.spelling.put(lower, key);
        }
        return kv;
    }

    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char open = 0;
        for (int k = 0; k < text.length(); k++) {
            char ch = text.charAt(k);
            if (open != 0) {
                cur.append(ch);
                if ((open == '{' && ch == '}') || (open != '{' && ch == open)) {
                    open = 0;
                }
            } else if (ch == '{' || ch == '\'' || ch == '"') {
                open = ch;
                cur.append(ch);
            } else if (Character.isWhitespace(ch) || ch == ',') {
                if (!cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(ch);
            }
        }
        if (open != 0) {
            throw new DescriptorStringException("unbalanced " + open + " in descriptor string '" + text.strip() + "'");
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '{' && v.charAt(v.length() - 1) == '}'
                || v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"'
                || v.charAt(0) == '\'' && v.charAt(v.length() - 1) == '\'')) {
            return v.substring(1, v.length() - 1).strip();
        }
        return v;
    }

    /** @return the descriptor type word, lower case */
    String type() {
        return type;
    }

    /** @return true if any of the names was given */
    boolean has(String... names) {
        for (String n : names) {
            known.add(n);
            if (values.containsKey(n)) {
                return true;
            }
        }
        return false;
    }

    /** @return the lower-case name, among {@code names}, of the field given last (QUIP reads fields in order) */
    private String given(String... names) {
        String found = null;
        for (String key : values.keySet()) {
            for (String n : names) {
                known.add(n);
                if (key.equals(n)) {
                    found = n;
                }
            }
        }
        return found;
    }

    /** @return the raw value of the given one of the names (null for a bare key), or {@code def} if none */
    private String raw(String def, String... names) {
        String n = given(names);
        return n == null ? def : values.get(n);
    }

    private DescriptorStringException bad(String[] names, String value, String allowed) {
        String n = given(names);
        return new DescriptorStringException(type + ": " + (n == null ? names[0] : spelling.get(n)) + "=" + value
                + " is not allowed; " + allowed);
    }

    /** @return a real value; {@code def} null means mandatory */
    double real(Double def, String... names) {
        if (!has(names)) {
            if (def == null) {
                throw new DescriptorStringException(type + ": " + names[0] + " is missing; it is required"
                        + " (a number)");
            }
            return def;
        }
        String v = raw(null, names);
        try {
            return parseReal(v);
        } catch (RuntimeException e) {
            throw bad(names, v, "must be a number");
        }
    }

    private static double parseReal(String v) {
        double d = Double.parseDouble(v.replace('d', 'e').replace('D', 'e'));
        if (!Double.isFinite(d)) {
            throw new NumberFormatException(v);
        }
        return d;
    }

    /** @return an integer value; {@code def} null means mandatory */
    int integer(Integer def, String... names) {
        if (!has(names)) {
            if (def == null) {
                throw new DescriptorStringException(type + ": " + names[0] + " is missing; it is required"
                        + " (an integer)");
            }
            return def;
        }
        String v = raw(null, names);
        try {
            return Integer.parseInt(v);
        } catch (RuntimeException e) {
            throw bad(names, v, "must be an integer");
        }
    }

    /** @return a logical value (T, F, true, false; a bare key is T) */
    boolean logical(boolean def, String... names) {
        if (!has(names)) {
            return def;
        }
        String v = raw(null, names);
        if (v == null || v.isEmpty()) {
            return true;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "t", "true" -> true;
            case "f", "false" -> false;
            default -> throw bad(names, v, "must be T or F");
        };
    }

    /** @return a string value */
    String string(String def, String... names) {
        if (!has(names)) {
            return def;
        }
        String v = raw(null, names);
        return v == null ? "" : v;
    }

    /** @return a list of integers written {@code {a b c}} or a single value */
    int[] integers(String... names) {
        String v = raw("", names);
        String[] parts = v == null || v.isBlank() ? new String[0] : v.strip().split("[\\s,]+");
        int[] out = new int[parts.length];
        for (int k = 0; k < parts.length; k++) {
            try {
                out[k] = Integer.parseInt(parts[k]);
            } catch (NumberFormatException e) {
                throw bad(names, "{" + v + "}", "must be integers, e.g. {14 6}");
            }
        }
        return out;
    }

    /** @return a list of reals written {@code {a b c}} or a single value */
    double[] reals(String... names) {
        String v = raw("", names);
        String[] parts = v == null || v.isBlank() ? new String[0] : v.strip().split("[\\s,]+");
        double[] out = new double[parts.length];
        for (int k = 0; k < parts.length; k++) {
            try {
                out[k] = parseReal(parts[k]);
            } catch (RuntimeException e) {
                throw bad(names, "{" + v + "}", "must be numbers");
            }
        }
        return out;
    }

    /** Throws if a key was given with a value other than its only supported one. */
    void requireDefault(String name, String supported, boolean isDefault) {
        if (has(name) && !isDefault) {
            throw new DescriptorStringException(type + ": " + name + "=" + raw(null, name)
                    + " is not supported by Soapstone; only " + name + "=" + supported + " is");
        }
    }

    /**
     * Throws naming the first field whose key no getter asked for, and the known key it was likely meant to be (or
     * else the keys that are allowed).
     */
    void rejectUnknown() {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new DescriptorStringException(type + ": unknown key '" + spelling.get(key) + "'"
                        + Spelling.closest(key, known).map(k -> "; did you mean '" + k + "'?")
                                .orElse("; allowed keys: " + String.join(" ", known)));
            }
        }
    }

    /** @return the keys the getters asked for so far */
    Set<String> known() {
        return java.util.Collections.unmodifiableSet(known);
    }
}
