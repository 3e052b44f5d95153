package org.soapstone.engine.fit;

import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.descriptor.DescriptorString;

/**
 * QUIP's handling of a command line ({@code param_read_args} and {@code param_read_line} in libAtoms'
 * {@code ParamReader.f95}): the shell's tokens are joined with spaces (a token that itself holds a space, i.e. one
 * the user quoted, gets its value wrapped in double quotes unless it already starts with a quote or brace), then the
 * line is split into fields at spaces and commas outside {@code {}} (nested), {@code ""} and {@code ''}; a field is
 * {@code key=value} (split at its first {@code =}) or a bare {@code key}.
 */
final class ArgumentLine {
    private ArgumentLine() {}

    /**
     * One field.
     *
     * @param spelling the key as written
     * @param value the value with one enclosing pair of braces or quotes removed; null for a bare key
     */
    record Field(String spelling, String value) {}

    /** @return the tokens joined into one line as QUIP's {@code param_read_args} does */
    static String join(List<String> tokens) {
        StringBuilder line = new StringBuilder();
        for (String raw : tokens) {
            String token = raw.strip();
            if (token.isEmpty()) {
                continue;
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            if (token.indexOf(' ') < 0 && token.indexOf('\t') < 0) {
                line.append(token);
                continue;
            }
            int eq = token.indexOf('=');
            if (eq >= 0) {
                char first = eq + 1 < token.length() ? token.charAt(eq + 1) : ' ';
                line.append(isOpener(first) ? token : token.substring(0, eq + 1) + '"' + token.substring(eq + 1) + '"');
            } else {
                line.append(isOpener(token.charAt(0)) ? token : '"' + token + '"');
            }
        }
        return line.toString();
    }

    private static boolean isOpener(char c) {
        return c == '{' || c == '"' || c == '\'';
    }

    /**
     * @param line the joined line
     * @param source what the line is, for error messages ("the command line", a config file)
     * @return its fields, in order
     * @throws FitSettingsException for unbalanced braces or quotes, or a field starting with {@code =}
     */
    static List<Field> split(String line, String source) {
        List<Field> out = new ArrayList<>();
        for (String f : splitAt(line, " \t\n\r,", source)) {
            int eq = f.indexOf('=');
            if (eq == 0) {
                throw new FitSettingsException("malformed field '" + f + "' in " + source + ": no key before '='");
            }
            out.add(eq < 0 ? new Field(f, null) : new Field(f.substring(0, eq), unwrap(f.substring(eq + 1))));
        }
        return out;
    }

    /**
     * @param text a value
     * @param separators the characters that separate parts outside braces and quotes
     * @param source what the text is, for error messages
     * @return the non-empty parts
     */
    static List<String> splitAt(String text, String separators, String source) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int k = 0; k < text.length(); k++) {
            char ch = text.charAt(k);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '{') {
                depth++;
            } else if (ch == '}') {
                if (--depth < 0) {
                    throw new FitSettingsException("unbalanced '}' in " + source + ": '" + text.strip() + "'");
                }
            } else if (depth == 0 && (ch == '"' || ch == '\'')) {
                quote = ch;
            } else if (depth == 0 && separators.indexOf(ch) >= 0) {
                if (!cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                continue;
            }
            cur.append(ch);
        }
        if (depth != 0 || quote != 0) {
            throw new FitSettingsException("unbalanced " + (quote != 0 ? "quote " + quote : "'{'") + " in " + source
                    + ": '" + text.strip() + "'");
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    /** @return {@code v} without one enclosing pair of matching braces or quotes, stripped */
    static String unwrap(String v) {
        String s = v.strip();
        if (s.length() >= 2) {
            char first = s.charAt(0);
            char last = s.charAt(s.length() - 1);
            if ((first == '"' || first == '\'') && last == first && s.indexOf(first, 1) == s.length() - 1) {
                return s.substring(1, s.length() - 1).strip();
            }
        }
        return DescriptorString.unbrace(s);
    }
}
