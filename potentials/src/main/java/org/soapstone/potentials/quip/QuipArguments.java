package org.soapstone.potentials.quip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.soapstone.engine.fit.ArgumentLine;

/**
 * A QUIP argument string such as {@code IP ZBL cutoff=3.0 cutoff_width=0.5} or
 * {@code Sum init_args_pot1={IP Glue} init_args_pot2={IP GAP label=…}}, split as QUIP's {@code param_read_line}
 * splits it: fields separated by spaces outside {@code {}} and quotes; a field without {@code =} is a bare word
 * (QUIP reads it as {@code word=T}); keys are matched without regard to case; a value's outer braces or quotes
 * are removed.
 *
 * @param words the bare words in order, as written (e.g. {@code IP}, {@code ZBL})
 * @param values the key=value fields, keys lower case, in order
 * @param text the string as given
 */
record QuipArguments(List<String> words, Map<String, String> values, String text) {

    static QuipArguments parse(String text) {
        List<String> words = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : ArgumentLine.splitAt(text, " \t\n\r", "QUIP arguments")) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                words.add(field);
            } else {
                values.put(field.substring(0, eq).toLowerCase(Locale.ROOT), ArgumentLine.unwrap(field.substring(eq + 1)));
            }
        }
        return new QuipArguments(List.copyOf(words), values, text);
    }

    /** @return whether the bare word (case-insensitive) is present */
    boolean has(String word) {
        return words.stream().anyMatch(w -> w.equalsIgnoreCase(word));
    }

    /** @return the value of key (case-insensitive), or {@code fallback} */
    String value(String key, String fallback) {
        return values.getOrDefault(key.toLowerCase(Locale.ROOT), fallback);
    }

    /** @return the real value of key, or {@code fallback}; an error naming the key if it is not a number */
    double real(String key, double fallback) {
        String v = values.get(key.toLowerCase(Locale.ROOT));
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.replace('d', 'e').replace('D', 'E'));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': " + key + "=" + v + " is not a number", e);
        }
    }

    /** @return the logical value of key (T/F), or {@code fallback} */
    boolean logical(String key, boolean fallback) {
        String v = values.get(key.toLowerCase(Locale.ROOT));
        if (v == null) {
            return fallback;
        }
        return switch (v.toUpperCase(Locale.ROOT)) {
            case "T", "TRUE", ".TRUE." -> true;
            case "F", "FALSE", ".FALSE." -> false;
            default -> throw new IllegalArgumentException("'" + text + "': " + key + "=" + v + " is not T or F");
        };
    }
}
