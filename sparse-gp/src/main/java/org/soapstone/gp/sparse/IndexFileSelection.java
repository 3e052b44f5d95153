package org.soapstone.gp.sparse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Sparse points given by the user as a text file of candidate indices, whitespace separated, any number per line,
 * {@code #} starting a comment, counted from {@code base}: 0 for Soapstone's own files, 1 for gap_fit's
 * {@code sparse_method=index_file} (which writes one per line, as its {@code print_sparse_index} does). The
 * indices number the candidates as the caller passes them; for gap_fit's files that is every descriptor instance
 * of the training set in gap_fit's order, duplicates included. For {@link #indices} the file must list exactly M
 * distinct indices.
 *
 * @param file the index file
 * @param base the index of the first environment in the file's numbering (0 or 1)
 */
public record IndexFileSelection(Path file, int base) implements SparsePointSelection {

    public IndexFileSelection {
        if (base != 0 && base != 1) {
            throw new IllegalArgumentException("index base must be 0 or 1, got " + base);
        }
    }

    /** A file of 0-based indices. */
    public IndexFileSelection(Path file) {
        this(file, 0);
    }

    /** The indices in file order (0-based, checked against {@code count} asked for); draws nothing. */
    @Override
    public int[] indices(double[] descriptors, int dimension, int count, GapFitRandom random) {
        int n = IndexedSelection.candidates(descriptors, dimension, count);
        int[] indices = read(n);
        if (indices.length != count) {
            throw new IllegalArgumentException(file + ": " + indices.length + " indices, but " + count
                    + " sparse points asked for");
        }
        return indices;
    }

    /**
     * Every index in the file, in file order, converted to 0-based.
     *
     * @param candidates the number of environments (indices must be below it)
     * @throws IllegalArgumentException naming the file and line of a bad, out-of-range or repeated index
     */
    public int[] read(int candidates) {
        int n = candidates;
        int[] indices = new int[16];
        int found = 0;
        boolean[] seen = new boolean[n];
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                int hash = line.indexOf('#');
                String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (content.isEmpty()) {
                    continue;
                }
                for (String field : content.split("\\s+")) {
                    int index;
                    try {
                        index = Integer.parseInt(field) - base;
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + ":" + lineNumber + ": index '" + field + "' is not an integer", e);
                    }
                    if (index < 0 || index >= n) {
                        throw new IllegalArgumentException(file + ":" + lineNumber + ": index " + (index + base)
                                + " outside " + base + ".." + (n - 1 + base));
                    }
                    if (seen[index]) {
                        throw new IllegalArgumentException(file + ":" + lineNumber + ": index " + (index + base) + " repeated");
                    }
                    seen[index] = true;
                    if (found == indices.length) {
                        indices = Arrays.copyOf(indices, 2 * found);
                    }
                    indices[found++] = index;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sparse-point index file " + file, e);
        }
        return Arrays.copyOf(indices, found);
    }
}
