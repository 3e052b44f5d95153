package org.soapstone.engine.neighbour;

import java.util.Arrays;

/**
 * Growable storage for the pairs one worker finds: neighbour index and image (3 ints) per pair, plus the scratch
 * space to sort one atom's pairs. Reused across atoms so that the search allocates nothing per atom.
 */
final class PairBuffer {
    /** The neighbour index j of each pair; valid up to {@link #size}. */
    int[] neighbour = new int[256];
    /** The image (3 ints) of each pair; valid up to 3·{@link #size}. */
    int[] image = new int[3 * 256];
    /** The number of pairs stored. */
    int size;
    private long[] keys = new long[64];
    private int[] scratch = new int[4 * 64];

    /** Makes room for {@code extra} more pairs beyond {@link #size}. */
    void reserve(int extra) {
        if (size + extra > neighbour.length) {
            int capacity = Math.max(size + extra, 2 * neighbour.length);
            neighbour = Arrays.copyOf(neighbour, capacity);
            image = Arrays.copyOf(image, 3 * capacity);
        }
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
            int p = from + c;
            keys[c] = (long) neighbour[p] << 32 | c;
            scratch[4 * c] = neighbour[p];
            scratch[4 * c + 1] = image[3 * p];
            scratch[4 * c + 2] = image[3 * p + 1];
            scratch[4 * c + 3] = image[3 * p + 2];
        }
        Arrays.sort(keys, 0, count);
        for (int c = 0; c < count; c++) {
            int source = 4 * (int) keys[c];
            int p = from + c;
            neighbour[p] = scratch[source];
            image[3 * p] = scratch[source + 1];
            image[3 * p + 1] = scratch[source + 2];
            image[3 * p + 2] = scratch[source + 3];
        }
    }
}
