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
    private HeaderLine() {}

    /**
     * @param line the header line
     * @return the raw (unquoted, unescaped) values by key, in order of first appearance; {@code "T"} for bare keys
     * @throws BadField for an unterminated quote or a {@code =} without a key
     */
    static LinkedHashMap<String, String> parse(String line) {
        LinkedHashMap<String, String> pairs = new LinkedHashMap<>();
        StringBuilder key = new StringBuilder();
        StringBuilder value = null; // null while reading the key
        boolean tokenOpen = false; // the current key or value has at least one character or quote
        char closing = 0;
        int quoteStart = -1;
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
