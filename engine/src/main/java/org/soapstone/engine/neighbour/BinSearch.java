package org.soapstone.engine.neighbour;

import java.util.Arrays;

/**
 * One worker's linked-cell search over a {@link BinGrid}: for each atom of a range, visits the bins within reach
 * (over as many periodic images as the cutoff needs), keeps the pairs closer than the cutoff and stores them in
 * {@link NeighbourList} order in {@link #pairs}. Allocates nothing per atom.
 *
 * <p>Extended bin g along a periodic direction with n bins is bin g mod n of image floor(g / n). Bins along the
 * last direction are contiguous in memory, so each row of the search is scanned as a few runs of consecutive bins,
 * one per periodic image it spans.
 */
final class BinSearch {
    /** The pairs found, atom after atom. */
    final PairBuffer pairs = new PairBuffer();
    private final BinGrid grid;
    private double cutoffSquared;
    private boolean full;
    private int runs;
    private int[] runImage = new int[8];
    private int[] runFirst = new int[8];
    private int[] runEnd = new int[8];

    /**
     * @param grid the binned atoms
     * @param cutoff the cutoff radius (Å) the grid was built for
     * @param full true for a full list, false for a half list
     */
    BinSearch(BinGrid grid, double cutoff, boolean full) {
        this.grid = grid;
        reset(cutoff, full);
    }

    /** Empties {@link #pairs} (keeping its storage) for a new search of the grid with these settings. */
    void reset(double cutoff, boolean full) {
        this.cutoffSquared = cutoff * cutoff;
        this.full = full;
        pairs.size = 0;
    }

    /** Finds the pairs of atoms {@code [from, to)} in order, writing the pair count of atom i to counts[i + 1]. */
    void searchAtoms(int from, int to, int[] counts) {
        for (int i = from; i < to; i++) {
            int start = pairs.size;
            searchAtom(i);
            toStoredImages(i, start);
            pairs.sortByNeighbour(start);
            counts[i + 1] = pairs.size - start;
        }
    }

    /** Appends the pairs of atom i, with images relative to the wrapped positions. */
    private void searchAtom(int i) {
        BinGrid g = grid;
        double[] h = g.lattice;
        double[] x = g.sorted;
        int[] order = g.order;
        int[] binStart = g.binStart;
        int n0 = g.bins[0], n1 = g.bins[1], n2 = g.bins[2];
        int lo0 = low(i, 0), hi0 = high(i, 0);
        int lo1 = low(i, 1), hi1 = high(i, 1);
        splitLastDirection(low(i, 2), high(i, 2));
        int si = 3 * g.slot[i];
        double xi = x[si], yi = x[si + 1], zi = x[si + 2];
        int k0 = Math.floorDiv(lo0, n0);
        int b0 = lo0 - k0 * n0;
        int k1Low = Math.floorDiv(lo1, n1);
        int b1Low = lo1 - k1Low * n1;
        for (int g0 = lo0; g0 <= hi0; g0++) {
            double sx0 = k0 * h[0], sy0 = k0 * h[1], sz0 = k0 * h[2];
            int k1 = k1Low;
            int b1 = b1Low;
            for (int g1 = lo1; g1 <= hi1; g1++) {
                double sx1 = sx0 + k1 * h[3], sy1 = sy0 + k1 * h[4], sz1 = sz0 + k1 * h[5];
                int row = (b0 * n1 + b1) * n2;
                for (int r = 0; r < runs; r++) {
                    int k2 = runImage[r];
                    double sx = sx1 + k2 * h[6], sy = sy1 + k2 * h[7], sz = sz1 + k2 * h[8];
                    boolean selfAllowed = full ? k0 != 0 || k1 != 0 || k2 != 0
                            : k0 > 0 || (k0 == 0 && (k1 > 0 || (k1 == 0 && k2 > 0)));
                    int runStart = binStart[row + runFirst[r]];
                    int runStop = binStart[row + runEnd[r]];
                    pairs.reserve(runStop - runStart);
                    int[] nb = pairs.neighbour;
                    int[] im = pairs.image;
                    int size = pairs.size;
                    // Branch-free: every candidate is written, and kept by advancing size only if it qualifies.
                    for (int p = runStart; p < runStop; p++) {
                        int j = order[p];
                        double dx = (x[3 * p] - xi) + sx;
                        double dy = (x[3 * p + 1] - yi) + sy;
                        double dz = (x[3 * p + 2] - zi) + sz;
                        boolean keep = dx * dx + dy * dy + dz * dz < cutoffSquared & (full | j >= i)
                                & (j != i | selfAllowed);
                        nb[size] = j;
                        im[3 * size] = k0;
                        im[3 * size + 1] = k1;
                        im[3 * size + 2] = k2;
                        size += keep ? 1 : 0;
                    }
                    pairs.size = size;
                }
                if (++b1 == n1) {
                    b1 = 0;
                    k1++;
                }
            }
            if (++b0 == n0) {
                b0 = 0;
                k0++;
            }
        }
    }

    /** Splits extended bins {@code [lo, hi]} of the last direction into runs of consecutive bins of one image. */
    private void splitLastDirection(int lo, int hi) {
        int n = grid.bins[2];
        runs = 0;
        int k = Math.floorDiv(lo, n);
        for (int b = lo - k * n, left = hi - lo + 1; left > 0; b = 0, k++) {
            int length = Math.min(left, n - b);
            if (runs == runImage.length) {
                runImage = Arrays.copyOf(runImage, 2 * runs);
                runFirst = Arrays.copyOf(runFirst, 2 * runs);
                runEnd = Arrays.copyOf(runEnd, 2 * runs);
            }
            runImage[runs] = k;
            runFirst[runs] = b;
            runEnd[runs] = b + length;
            runs++;
            left -= length;
        }
    }

    /**
     * Turns the images of pairs {@code [start, size)} of atom i from wrapped to stored positions: with
     * r = wrapped r + m·H, the pair's image becomes k + m_i − m_j.
     */
    private void toStoredImages(int i, int start) {
        int[] offset = grid.offset;
        int mi0 = offset[3 * i], mi1 = offset[3 * i + 1], mi2 = offset[3 * i + 2];
        int[] nb = pairs.neighbour;
        int[] im = pairs.image;
        for (int p = start; p < pairs.size; p++) {
            int j = nb[p];
            im[3 * p] += mi0 - offset[3 * j];
            im[3 * p + 1] += mi1 - offset[3 * j + 1];
            im[3 * p + 2] += mi2 - offset[3 * j + 2];
        }
    }

    /** @return the lowest extended bin along direction d within reach of atom i */
    private int low(int i, int d) {
        int lo = (int) Math.floor(grid.coordinate[3 * i + d] - grid.reach[d]);
        return grid.periodic[d] ? lo : Math.max(0, lo);
    }

    /** @return the highest extended bin along direction d within reach of atom i */
    private int high(int i, int d) {
        int hi = (int) Math.floor(grid.coordinate[3 * i + d] + grid.reach[d]);
        return grid.periodic[d] ? hi : Math.min(grid.bins[d] - 1, hi);
    }
}
