package org.soapstone.potentials.manybody;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.soapstone.engine.io.LammpsFormatException;
import org.soapstone.engine.structure.Element;

/**
 * Reads the element-triplet potential files of LAMMPS's many-body pair styles ({@code pair_style sw},
 * {@code pair_style tersoff}): each entry is three element symbols followed by a fixed number of real values,
 * separated by white space; an entry may be continued over several lines; everything from a {@code #} to the end
 * of a line is a comment; blank lines are skipped (LAMMPS's {@code PotentialFileReader::next_line}).
 *
 * <p>Stricter than LAMMPS where LAMMPS silently ignores a mistake: an entry whose last line carries more words
 * than the entry needs, and a symbol that is not a chemical element, are errors. Every error is a
 * {@link LammpsFormatException} naming the file, the line and the field.
 */
public final class TripletFileReader {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern BLANKS = Pattern.compile("[ \\t\\r\\f\\u000B]+");

    /** Builds a parameter record from an entry's values; may throw {@link ParameterException}. */
    @FunctionalInterface
    public interface EntryParser<P> {
        /**
         * @param elements the entry's three element symbols
         * @param values the entry's values, in file order (units as the format defines them)
         */
        P parse(String[] elements, double[] values);
    }

    private TripletFileReader() {}

    /**
     * Reads a triplet file.
     *
     * @param file the file
     * @param fields the names of the values after the three element symbols, in file order
     * @param parser makes the parameter record of one entry (validating it)
     * @param type the record class
     * @return every entry, indexed by element triplet
     * @throws LammpsFormatException for malformed text, a bad value, an unknown element or a duplicate entry
     * @throws UncheckedIOException if the file cannot be read
     */
    public static <P> TripletTable<P> read(Path file, List<String> fields, EntryParser<P> parser, Class<P> type) {
        int words = 3 + fields.size();
        List<String> symbols = new ArrayList<>();
        List<TripletTable.Entry<P>> entries = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String[] word = new String[words];
            int[] wordLine = new int[words];
            int have = 0;
            int lineNo = 0;
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                int hash = line.indexOf('#');
                String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (text.isEmpty()) {
                    continue;
                }
                String[] tokens = BLANKS.split(text);
                if (have + tokens.length > words) {
                    throw new LammpsFormatException(file, lineNo, "entry", "the entry starting on line "
                            + (have > 0 ? wordLine[0] : lineNo) + " has " + (have + tokens.length)
                            + " values, expected " + words + " (3 elements and " + String.join(", ", fields) + ")");
                }
                for (String t : tokens) {
                    word[have] = t;
                    wordLine[have] = lineNo;
                    have++;
                }
                if (have == words) {
                    entries.add(parseEntry(file, fields, word, wordLine, symbols, parser));
                    have = 0;
                }
            }
            if (have > 0) {
                throw new LammpsFormatException(file, wordLine[0], "entry", "the entry starting here ends at the end "
                        + "of the file after " + have + " values, expected " + words + " (3 elements and "
                        + String.join(", ", fields) + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read potential file " + file, e);
        }
        return TripletTable.of(file, symbols, entries, type);
    }

    private static <P> TripletTable.Entry<P> parseEntry(Path file, List<String> fields, String[] word, int[] wordLine,
            List<String> symbols, EntryParser<P> parser) {
        String[] elements = new String[3];
        int[] types = new int[3];
        for (int e = 0; e < 3; e++) {
            elements[e] = word[e];
            if (!Element.isSymbol(word[e])) {
                throw new LammpsFormatException(file, wordLine[e], "element " + (e + 1),
                        "'" + word[e] + "' is not a chemical element symbol");
            }
            int t = symbols.indexOf(word[e]);
            if (t < 0) {
                t = symbols.size();
                symbols.add(word[e]);
            }
            types[e] = t;
        }
        double[] values = new double[fields.size()];
        for (int v = 0; v < values.length; v++) {
            String w = word[3 + v];
            if (!NUMBER.matcher(w).matches()) {
                throw new LammpsFormatException(file, wordLine[3 + v], fields.get(v), "'" + w + "' is not a number");
            }
            values[v] = Double.parseDouble(w);
        }
        P record;
        try {
            record = parser.parse(elements, values);
        } catch (ParameterException e) {
            int index = fields.indexOf(e.field());
            throw new LammpsFormatException(file, index >= 0 ? wordLine[3 + index] : wordLine[0], e.field(),
                    e.getMessage());
        }
        return new TripletTable.Entry<>(types, record, wordLine[0]);
    }
}
