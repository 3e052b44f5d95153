package org.soapstone.gp.sparse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.soapstone.gp.SparsePoints;

/**
 * Sparse points given by the user as a text file of 0-based environment indices, whitespace separated, any number
 * per line, {@code #} starting a comment (gap_fit's {@code sparse_method=index_file}, which is 1-based: subtract 1).
 * The file must list exactly M distinct indices.
 *
 * @param file the index file
 */
public record IndexFileSelection(Path file) implements SparsePointSelection {

    /** The indices in file order. */
    @Override
    public int[] indices(double[] descriptors, int dimension, int count) {
        int n = IndexedSelection.candidates(descriptors, dimension, count);
        int[] indices = new int[count];
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
                        index = Integer.parseInt(field);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + ":" + lineNumber + ": index '" + field + "' is not an integer", e);
                    }
                    if (index < 0 || index >= n) {
                        throw new IllegalArgumentException(file + ":" + lineNumber + ": index " + index + " outside 0.." + (n - 1));
                    }
                    if (seen[index]) {
                        throw new IllegalArgumentException(file + ":" + lineNumber + ": index " + index + " repeated");
                    }
                    if (found == count) {
                        throw new IllegalArgumentException(file + ":" + lineNumber + ": more than the " + count + " indices asked for");
                    }
                    seen[index] = true;
                    indices[found++] = index;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sparse-point index file " + file, e);
        }
        if (found != count) {
            throw new IllegalArgumentException(file + ": " + found + " indices, but " + count + " sparse points asked for");
        }
        return Arrays.copyOf(indices, count);
    }
}
