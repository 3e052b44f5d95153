package org.soapstone.potentials.eam;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.soapstone.engine.io.LammpsFormatException;

/**
 * Reads the lines and whitespace-separated values of an EAM table file, naming the file, line and field in every
 * error. Tables are read as LAMMPS does: whole lines of values until the table is full.
 */
final class EamTokens {
    private final Path file;
    private final List<String> lines;
    private int next;

    EamTokens(Path file) throws IOException {
        this.file = file;
        this.lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    /** @return the fields of the next line, which must exist */
    String[] line(String what) {
        if (next >= lines.size()) {
            throw new LammpsFormatException(file, next + 1, what, "file ends here");
        }
        String t = lines.get(next++).strip();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }

    /** Skips {@code n} lines (comments). */
    void skip(int n, String what) {
        for (int k = 0; k < n; k++) {
            line(what);
        }
    }

    /** @return field {@code k} (0-based) of the line just read, which must exist */
    String field(String[] fields, int k, String what) {
        if (k >= fields.length) {
            throw error(what, "missing (the line has " + fields.length + " fields)");
        }
        return fields[k];
    }

    double real(String[] fields, int k, String what) {
        String s = field(fields, k, what);
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw error(what + " (field " + (k + 1) + ")", "not a number: '" + s + "'");
        }
    }

    int integer(String[] fields, int k, String what) {
        String s = field(fields, k, what);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw error(what + " (field " + (k + 1) + ")", "not an integer: '" + s + "'");
        }
    }

    /**
     * Reads {@code n} values into {@code out[1..n]} (LAMMPS's 1-based tables) from as many lines as they take.
     *
     * @param what the table's name, e.g. "F(rho) of Cu"
     */
    double[] table(int n, String what) {
        double[] out = new double[n + 1];
        int i = 0;
        while (i < n) {
            String[] f = line(what + " value " + (i + 1) + " of " + n);
            if (i + f.length > n) {
                throw error(what, "line has " + f.length + " values but only " + (n - i) + " remain in the table");
            }
            for (int k = 0; k < f.length; k++) {
                out[1 + i] = real(f, k, what + " value " + (i + 1) + " of " + n);
                i++;
            }
        }
        return out;
    }

    /** @return an error at the line just read */
    LammpsFormatException error(String what, String problem) {
        return new LammpsFormatException(file, next, what, problem);
    }

    Path file() {
        return file;
    }
}
