package org.soapstone.engine.testing;

import java.util.ArrayList;
import java.util.List;

/** A command line split into words as a POSIX shell splits it: at whitespace, single and double quotes grouping. */
public final class ShellWords {
    private ShellWords() {}

    /**
     * @param line the command line
     * @return its words, quotes removed
     */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean word = false;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                word = true;
            } else if (Character.isWhitespace(c)) {
                if (word) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    word = false;
                }
            } else {
                cur.append(c);
                word = true;
            }
        }
        if (word) {
            out.add(cur.toString());
        }
        return out;
    }
}
