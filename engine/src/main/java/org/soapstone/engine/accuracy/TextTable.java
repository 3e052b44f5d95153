package org.soapstone.engine.accuracy;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: the first columns left-aligned (names), the rest right-aligned (numbers). */
public final class TextTable {
    private final int textColumns;
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(int textColumns, String... header) {
        this.textColumns = textColumns;
        rows.add(header);
    }

    public void add(String... row) {
        if (row.length != rows.getFirst().length) {
            throw new IllegalArgumentException("a row of " + row.length + " cells in a table of "
                    + rows.getFirst().length + " columns");
        }
        rows.add(row);
    }

    public void appendTo(StringBuilder out) {
        int[] width = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                String pad = " ".repeat(width[c] - row[c].length());
                line.append(c == 0 ? "" : "  ").append(c < textColumns ? row[c] + pad : pad + row[c]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
