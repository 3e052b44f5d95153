package org.soapstone.engine.neighbour;

import java.util.Arrays;

/**
 * Growable storage for the pairs one worker finds: neighbour index and image (3 ints) per pair, plus the scratch
 * space to sort one atom's pairs. Reused across atoms so that the search allocates nothing per atom.
 */
final class PairBuffer {
    int[] neighbour = new int[256];
    int[] image = new int[3 * 256];
    int size;
    private long[] keys = new long[64];
    private int[] scratch = new int[4 * 64];

    /** Appends the pair to atom {@code j} in image (n0, n1, n2). */
    void add(int j, int n0, int n1, int n2) {
        if (size == neighbour.length) {
            neighbour = Arrays.copyOf(neighbour, 2 * size);
            image = Arrays.copyOf(image, 6 * size);
        }
        neighbour[size] = j;
        image[3 * size] = n0;
        image[3 * size + 1] = n1;
        image[3 * size + 2] = n2;
        size++;
    }

    /**
     * Stably sorts the pairs {@code [from, size)} by neighbour index, keeping the order in which the pairs of the
     * same neighbour were added.
     */
    void sortByNeighbour(int from) {
        int count = size - from;
        boolean ordered = true;
        for (int p = from + 1; p < size && ordered; p++) {
            ordered = neighbour[p - 1] <= neighbour[p];
        }
        if (ordered) {
            return;
        }
        if (keys.length < count) {
            keys = new long[Math.max(count, 2 * keys.length)];
            scratch = new int[4 * keys.length];
        }
        for (int c = 0; c < count; c++) {
            keys[c] = (long) neighbour[from + c] << 32 | c;
            scratch[4 * c] = neighbour[from + c];
            System.arraycopy(image, 3 * (from + c), scratch, 4 * c + 1, 3);
        }
        Arrays.sort(keys, 0, count);
        for (int c = 0; c < count; c++) {
            int source = (int) keys[c];
            neighbour[from + c] = scratch[4 * source];
            System.arraycopy(scratch, 4 * source + 1, image, 3 * (from + c), 3);
        }
    }
}
