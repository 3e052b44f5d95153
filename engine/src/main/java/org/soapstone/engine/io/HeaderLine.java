package org.soapstone.engine.io;

import java.util.LinkedHashMap;

/**
 * Splits the second line of an extended-XYZ frame into {@code key=value} pairs, exactly as ASE's
 * {@code ase.io.extxyz.key_val_str_to_dict} does: pairs are separated by whitespace; a value (or key) may be
 * delimited by {@code "…"}, {@code '…'}, {@code {…}} or {@code […]}; a backslash takes the next character
 * literally; spaces around {@code =} are allowed ({@code a = 1} is {@code a=1}); a key without {@code =} has
 * the value {@code T}; a later duplicate key replaces the earlier value but keeps its position.
 */
final class HeaderLine {
    /** A {@code key=} inside a quoted value: the sign of a quote left open that closed at the next value's. */
    private static final java.util.regex.Pattern SWALLOWED_PAIR = java.util.regex.Pattern.compile("\\s[A-Za-z_]\\w*=");

    private HeaderLine() {}

    /**
     * @param line the header line
     * @return the raw (unquoted, unescaped) values by key, in order of first appearance; {@code "T"} for bare keys
     * @throws BadField for an unterminated quote — naming the key whose quote was left open, found by the first
     *     quoted value that takes in a {@code key=} of the next pair — or a {@code =} without a key
     */
    static LinkedHashMap<String, String> parse(String line) {
        LinkedHashMap<String, String> pairs = new LinkedHashMap<>();
        StringBuilder key = new StringBuilder();
        StringBuilder value = null; // null while reading the key
        boolean tokenOpen = false; // the current key or value has at least one character or quote
        char closing = 0;
        int quoteStart = -1;
        int segmentStart = 0;
        BadField lateQuote = null; // the first quoted value that took in a 'key=': a quote closed at the next one
        boolean escaped = false;
        String s = line;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            StringBuilder current = value == null ? key : value;
            if (escaped) {
                current.append(c);
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
                tokenOpen = true;
            } else if (closing != 0) {
                if (c == closing) {
                    closing = 0;
                    if (lateQuote == null && value != null
                            && SWALLOWED_PAIR.matcher(value.substring(segmentStart)).find()) {
                        lateQuote = new BadField("info '" + key + "'", "its quote " + s.charAt(quoteStart)
                                + " opened at character " + (quoteStart + 1) + " is not closed where its value ends "
                                + "(it takes in '" + value.substring(segmentStart).strip() + "')");
                    }
                } else {
                    current.append(c);
                }
            } else if (c == '"' || c == '\'' || c == '{' || c == '[') {
                closing = switch (c) {
                    case '{' -> '}';
                    case '[' -> ']';
                    default -> c;
                };
                quoteStart = i;
                segmentStart = current.length();
                tokenOpen = true;
            } else if (Character.isWhitespace(c)) {
                if (value != null && !tokenOpen) {
                    continue; // spaces after '='
                }
                if (!tokenOpen) {
                    continue; // spaces between pairs
                }
                // A key followed by spaces may still be followed by '=': look ahead.
                int j = i;
                while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
                    j++;
                }
                if (value == null && j < s.length() && s.charAt(j) == '=') {
                    i = j - 1;
                    continue;
                }
                finish(pairs, key, value);
                key = new StringBuilder();
                value = null;
                tokenOpen = false;
            } else if (c == '=') {
                if (value == null) {
                    if (!tokenOpen) {
                        throw new BadField("header", "'=' without a key at character " + (i + 1));
                    }
                    value = new StringBuilder();
                    tokenOpen = false;
                } else {
                    value.append('='); // ASE joins further '='-separated parts with '='
                    tokenOpen = true;
                }
            } else {
                current.append(c);
                tokenOpen = true;
            }
        }
        if (closing != 0) {
            if (lateQuote != null) {
                throw lateQuote;
            }
            String name = key.isEmpty() ? "header" : "info '" + key + "'";
            throw new BadField(name, "unterminated quote " + s.charAt(quoteStart) + " opened at character "
                    + (quoteStart + 1));
        }
        if (tokenOpen || value != null) {
            finish(pairs, key, value);
        }
        return pairs;
    }

    private static void finish(LinkedHashMap<String, String> pairs, StringBuilder key, StringBuilder value) {
        pairs.put(key.toString(), value == null ? "T" : value.toString());
    }
}
