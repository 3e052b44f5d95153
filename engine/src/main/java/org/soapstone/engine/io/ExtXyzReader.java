package org.soapstone.engine.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;

/**
 * Reads an extended-XYZ file one frame at a time, so a trajectory of any size is never held whole. The mapping
 * from file to {@link Structure} is described in {@link ExtXyz}.
 *
 * <p>{@link #next()} throws {@link ExtXyzFormatException} (naming file, line, frame and field) for a malformed
 * frame, after every earlier frame has been returned; I/O failures surface as {@link UncheckedIOException}.
 * Blank lines between frames and at the end of the file are skipped. After a format error the reader's position
 * is inside the bad frame: close it. Not thread-safe.
 */
public final class ExtXyzReader implements Iterator<Structure>, AutoCloseable {
    private final BufferedReader in;
    private final String source;
    private long lineNumber;
    private int frame;
    private long frameLine;
    private String countLine;
    private boolean atEnd;

    /**
     * @param in the text to read; closed by {@link #close()}
     * @param source the name used in error messages, normally the file name
     */
    public ExtXyzReader(BufferedReader in, String source) {
        this(in, source, 1, 0);
    }

    /**
     * A reader of part of a file (e.g. one split of a distributed read), numbering lines and frames as in the whole
     * file.
     *
     * @param in the text to read, starting at a line boundary; closed by {@link #close()}
     * @param source the name used in error messages, normally the file name
     * @param firstLine the 1-based line number in the file of the first line of {@code in}
     * @param framesBefore how many frames of the file come before the first frame of {@code in}
     */
    public ExtXyzReader(BufferedReader in, String source, long firstLine, int framesBefore) {
        if (firstLine < 1 || framesBefore < 0) {
            throw new IllegalArgumentException("first line " + firstLine + " (>= 1) and frames before " + framesBefore
                    + " (>= 0)");
        }
        this.in = in;
        this.source = source;
        this.lineNumber = firstLine - 1;
        this.frame = framesBefore;
    }

    /** @return true if another frame starts before the end of the input (skipping blank lines) */
    @Override
    public boolean hasNext() {
        if (countLine != null) {
            return true;
        }
        if (atEnd) {
            return false;
        }
        String line;
        while ((line = readLine()) != null) {
            if (!line.isBlank()) {
                countLine = line;
                return true;
            }
        }
        atEnd = true;
        return false;
    }

    /**
     * @return the next frame: positions Å, velocities Å/fs, masses amu, cell Å
     * @throws ExtXyzFormatException if the frame is malformed
     * @throws NoSuchElementException at the end of the input
     */
    @Override
    public Structure next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more frames in " + source);
        }
        String count = countLine;
        countLine = null;
        frame++;
        return readFrame(count);
    }

    /**
     * @return the 1-based line number of the atom-count line (the first line) of the frame last returned by
     *     {@link #next()}, or of the frame being read when {@code next()} threw; 0 before the first frame
     */
    public long frameLine() {
        return frameLine;
    }

    /** @return the remaining frames as a sequential stream; closing the stream closes this reader */
    public Stream<Structure> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Closes the underlying reader. */
    @Override
    public void close() throws IOException {
        in.close();
    }

    private Structure readFrame(String count) {
        long countLineNumber = lineNumber;
        frameLine = countLineNumber;
        int n = atomCount(count.strip(), countLineNumber);
        String header = readLine();
        if (header == null) {
            throw error(lineNumber + 1, "header", "the file ends after the atom count line");
        }
        long headerLine = lineNumber;
        List<Column> columns;
        LinkedHashMap<String, String> pairs;
        try {
            pairs = HeaderLine.parse(header);
            String properties = pairs.remove("Properties");
            columns = Column.parse(properties == null ? Column.DEFAULT : properties);
        } catch (BadField e) {
            throw error(headerLine, e.field(), e.detail());
        }
        Cell cell = cell(pairs.remove("Lattice"), pairs.remove("pbc"), headerLine);
        Map<String, Object> info = new LinkedHashMap<>();
        pairs.forEach((key, raw) -> info.put(key, infoValue(key, raw)));

        int[] numbers = new int[n];
        Object[] data = new Object[columns.size()];
        for (int k = 0; k < data.length; k++) {
            Column c = columns.get(k);
            data[k] = switch (c.role()) {
                case SPECIES, NUMBERS -> numbers;
                default -> switch (c.type()) {
                    case REAL -> new double[n * c.columns()];
                    case INTEGER -> new long[n * c.columns()];
                    case LOGICAL -> new boolean[n * c.columns()];
                    case STRING -> new String[n * c.columns()];
                };
            };
        }
        int width = columns.stream().mapToInt(Column::columns).sum();
        for (int i = 0; i < n; i++) {
            String line = readLine();
            if (line == null) {
                throw error(lineNumber + 1, "atom " + (i + 1),
                        "the file ends after " + i + " of the " + n + " atom lines the count on line "
                                + countLineNumber + " announces");
            }
            parseAtom(line, i, columns, data, width);
        }

        double[] positions = null;
        double[] velocities = null;
        double[] masses = null;
        for (int k = 0; k < data.length; k++) {
            switch (columns.get(k).role()) {
                case POSITIONS -> positions = (double[]) data[k];
                case VELOCITIES -> velocities = (double[]) data[k];
                case MASSES -> masses = (double[]) data[k];
                default -> { }
            }
        }
        Structure s = masses == null ? new Structure(numbers, positions, cell)
                : new Structure(numbers, positions, masses, cell);
        s.setVelocities(velocities);
        for (int k = 0; k < data.length; k++) {
            Column c = columns.get(k);
            if (c.role() == Column.Role.PROPERTY) {
                s.properties().put(c.name(), new AtomProperty(c.type(), c.columns(), data[k]));
            }
        }
        s.info().putAll(info);
        return s;
    }

    private int atomCount(String count, long line) {
        long n;
        try {
            n = Numbers.parseLong(count, 0, count.length());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n > Integer.MAX_VALUE / 3) {
            throw error(line, "atom count", "'" + count + "' is not a number of atoms");
        }
        return (int) n;
    }

    private Cell cell(String lattice, String pbcText, long line) {
        boolean[] pbc;
        if (pbcText != null) {
            String[] parts = pbcText.strip().split("[\\s,]+");
            boolean ok = parts.length == 1 || parts.length == 3;
            for (String p : parts) {
                ok &= InfoValues.isBoolean(p);
            }
            if (!ok) {
                throw error(line, "pbc", "'" + pbcText + "' is not 3 (or 1) of T/F");
            }
            pbc = new boolean[3];
            for (int d = 0; d < 3; d++) {
                pbc[d] = InfoValues.parseBoolean(parts[parts.length == 1 ? 0 : d]);
            }
        } else {
            pbc = lattice != null ? new boolean[] {true, true, true} : new boolean[3];
        }
        if (lattice == null) {
            if (pbc[0] || pbc[1] || pbc[2]) {
                throw error(line, "pbc", "pbc=\"" + pbcText + "\" makes the frame periodic but there is no Lattice");
            }
            return Cell.none();
        }
        double[] h = InfoValues.reals(lattice);
        if (h == null || h.length != 9) {
            throw error(line, "Lattice", "'" + lattice + "' is not 9 numbers");
        }
        try {
            return new Cell(h, pbc);
        } catch (IllegalArgumentException e) {
            throw error(line, "Lattice", e.getMessage());
        }
    }

    private static Object infoValue(String key, String raw) {
        if (key.equalsIgnoreCase("uid")) {
            return raw; // as ASE: never converted
        }
        Object v = InfoValues.parse(raw);
        if ((key.equals("stress") || key.equals("virial")) && v instanceof long[] l) {
            double[] d = new double[l.length];
            for (int k = 0; k < l.length; k++) {
                d[k] = l[k];
            }
            return d;
        }
        return v;
    }

    private void parseAtom(String line, int atom, List<Column> columns, Object[] data, int width) {
        int p = 0;
        int len = line.length();
        int seen = 0;
        for (int k = 0; k < data.length; k++) {
            Column c = columns.get(k);
            for (int col = 0; col < c.columns(); col++) {
                while (p < len && line.charAt(p) <= ' ') {
                    p++;
                }
                int start = p;
                while (p < len && line.charAt(p) > ' ') {
                    p++;
                }
                if (p == start) {
                    throw error(lineNumber, c.field(col), "missing: the line has " + seen + " columns, Properties "
                            + "declares " + width);
                }
                seen++;
                store(line, start, p, c, col, atom, data[k]);
            }
        }
        while (p < len && line.charAt(p) <= ' ') {
            p++;
        }
        if (p < len) {
            throw error(lineNumber, "atom " + (atom + 1), "the line has more than the " + width
                    + " columns Properties declares: '" + line.substring(p).strip() + "'");
        }
    }

    private void store(String line, int start, int end, Column c, int col, int atom, Object array) {
        int at = atom * c.columns() + col;
        try {
            switch (c.role()) {
                case SPECIES -> ((int[]) array)[atom] = atomicNumber(line.substring(start, end));
                case NUMBERS -> {
                    long z = Numbers.parseLong(line, start, end);
                    if (z < 1 || z > 118) {
                        throw new BadField(c.field(col), "'" + line.substring(start, end)
                                + "' is not an atomic number");
                    }
                    ((int[]) array)[atom] = (int) z;
                }
                default -> {
                    switch (array) {
                        case double[] d -> d[at] = Numbers.parseDouble(line, start, end);
                        case long[] l -> l[at] = Numbers.parseLong(line, start, end);
                        case boolean[] b -> {
                            String t = line.substring(start, end);
                            if (!InfoValues.isBoolean(t)) {
                                throw new BadField(c.field(col), "'" + t + "' is not a logical (T or F)");
                            }
                            b[at] = InfoValues.parseBoolean(t);
                        }
                        case String[] s -> s[at] = line.substring(start, end);
                        default -> throw new IllegalStateException();
                    }
                }
            }
        } catch (NumberFormatException e) {
            String kind = c.type() == AtomProperty.Type.REAL ? "a number" : "an integer";
            throw error(lineNumber, c.field(col), "'" + line.substring(start, end) + "' is not " + kind);
        } catch (BadField e) {
            throw error(lineNumber, e.field(), e.detail());
        }
    }

    /** Atomic number of a symbol, capitalised first as ASE does ("SI" and "si" are Si). */
    private static int atomicNumber(String symbol) {
        String s = symbol;
        if (!Element.isSymbol(s)) {
            s = symbol.isEmpty() ? symbol : Character.toUpperCase(symbol.charAt(0))
                    + symbol.substring(1).toLowerCase(java.util.Locale.ROOT);
            if (!Element.isSymbol(s)) {
                throw new BadField("property 'species'", "unknown chemical symbol '" + symbol + "'");
            }
        }
        return Element.of(s).number();
    }

    private String readLine() {
        try {
            String line = in.readLine();
            if (line != null) {
                lineNumber++;
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + source + " after line " + lineNumber, e);
        }
    }

    private ExtXyzFormatException error(long line, String field, String detail) {
        return new ExtXyzFormatException(source, line, frame, field, detail);
    }
}
