package org.soapstone.engine.neighbour;

import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;

/**
 * Builds {@link NeighbourList}s by the linked-cell method in O(N) time: atoms are sorted into a {@link BinGrid},
 * and each atom is compared only with the atoms of the bins (and periodic images of bins) within the cutoff's
 * reach. Handles general triclinic cells, cells smaller than the cutoff (several images of one atom, an atom
 * being its own neighbour), non-periodic directions, structures without a cell and unwrapped positions.
 *
 * <p>Pair selection and order (identical for any thread count):
 * <ul>
 *   <li>a pair is kept when |r_j + n·H − r_i|² &lt; cutoff², evaluated from the wrapped positions;
 *   <li>full list: every pair (i, j, n) except an atom with itself in image n = 0;
 *   <li>half list: the pairs with i &lt; j, and for i = j the images n that are lexicographically positive
 *       (the first non-zero of n_a, n_b, n_c is &gt; 0), so each unordered pair appears exactly once;
 *   <li>the neighbours of each atom are sorted by neighbour index j, then by image n lexicographically.
 * </ul>
 */
final class CellListBuilder {
    /** Below this many atoms per worker the build runs on the calling thread. */
    private static final int MIN_ATOMS_PER_WORKER = 2048;

    private CellListBuilder() {}

    /**
     * @param s the structure; positions must be finite
     * @param cutoff the cutoff radius (Å), &gt; 0 and finite
     * @param full true for a full list, false for a half list
     * @param pool the workers to split the search over atoms between
     * @return the list; its vectors and distances are not yet computed
     */
    static NeighbourList build(Structure s, double cutoff, boolean full, WorkerPool pool) {
        if (!(cutoff > 0) || Double.isInfinite(cutoff)) {
            throw new IllegalArgumentException("cutoff must be positive and finite, got " + cutoff + " Å");
        }
        BinGrid grid = new BinGrid(s, cutoff);
        int n = s.size();
        int[] first = new int[n + 1];
        int workers = n >= pool.threads() * MIN_ATOMS_PER_WORKER ? pool.threads() : 1;
        PairBuffer[] buffers = new PairBuffer[workers];
        for (int w = 0; w < workers; w++) {
            buffers[w] = new PairBuffer();
        }
        if (workers == 1) {
            search(grid, cutoff, full, 0, n, buffers[0], first);
        } else {
            pool.forEachChunk(n, (worker, from, to) -> search(grid, cutoff, full, from, to, buffers[worker], first));
        }
        for (int i = 0; i < n; i++) {
            first[i + 1] += first[i];
        }
        int pairs = first[n];
        int[] neighbour = new int[pairs];
        int[] image = new int[3 * pairs];
        int at = 0;
        for (PairBuffer b : buffers) {
            System.arraycopy(b.neighbour, 0, neighbour, at, b.size);
            System.arraycopy(b.image, 0, image, 3 * at, 3 * b.size);
            at += b.size;
        }
        return new NeighbourList(first, neighbour, image, cutoff, full);
    }

    /**
     * Finds the pairs of atoms {@code [from, to)} in order, appending them to {@code out} and writing the pair
     * count of atom i to {@code counts[i + 1]}.
     */
    private static void search(BinGrid g, double cutoff, boolean full, int from, int to, PairBuffer out,
            int[] counts) {
        double c2 = cutoff * cutoff;
        double[] h = g.lattice;
        double[] u = g.coordinate;
        double[] x = g.sorted;
        int[] order = g.order;
        int[] binStart = g.binStart;
        int[] offset = g.offset;
        int n0 = g.bins[0], n1 = g.bins[1], n2 = g.bins[2];
        int[] runImage = new int[8];
        int[] runFirst = new int[8];
        int[] runEnd = new int[8];
        for (int i = from; i < to; i++) {
            int start = out.size;
            int lo0 = low(u[3 * i], g.reach[0], g.periodic[0]), hi0 = high(u[3 * i], g.reach[0], g.periodic[0], n0);
            int lo1 = low(u[3 * i + 1], g.reach[1], g.periodic[1]);
            int hi1 = high(u[3 * i + 1], g.reach[1], g.periodic[1], n1);
            int lo2 = low(u[3 * i + 2], g.reach[2], g.periodic[2]);
            int hi2 = high(u[3 * i + 2], g.reach[2], g.periodic[2], n2);
            int si = 3 * g.slot[i];
            double xi = x[si], yi = x[si + 1], zi = x[si + 2];
            int mi0 = offset[3 * i], mi1 = offset[3 * i + 1], mi2 = offset[3 * i + 2];
            // Direction c splits into runs of bins that are contiguous in memory, each within one periodic image.
            int runs = 0;
            int k2 = Math.floorDiv(lo2, n2);
            for (int b2 = lo2 - k2 * n2, left = hi2 - lo2 + 1; left > 0; b2 = 0, k2++) {
                int length = Math.min(left, n2 - b2);
                if (runs == runImage.length) {
                    runImage = java.util.Arrays.copyOf(runImage, 2 * runs);
                    runFirst = java.util.Arrays.copyOf(runFirst, 2 * runs);
                    runEnd = java.util.Arrays.copyOf(runEnd, 2 * runs);
                }
                runImage[runs] = k2;
                runFirst[runs] = b2;
                runEnd[runs] = b2 + length;
                runs++;
                left -= length;
            }
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
                        int kc = runImage[r];
                        double sx = sx1 + kc * h[6], sy = sy1 + kc * h[7], sz = sz1 + kc * h[8];
                        boolean selfAllowed = full ? k0 != 0 || k1 != 0 || kc != 0
                                : k0 > 0 || (k0 == 0 && (k1 > 0 || (k1 == 0 && kc > 0)));
                        int runStart = binStart[row + runFirst[r]];
                        int runStop = binStart[row + runEnd[r]];
                        out.reserve(runStop - runStart);
                        int[] nb = out.neighbour;
                        int[] im = out.image;
                        int size = out.size;
                        // Branch-free: every candidate is written, and kept by advancing size only if it qualifies.
                        for (int p = runStart; p < runStop; p++) {
                            int j = order[p];
                            double dx = (x[3 * p] - xi) + sx;
                            double dy = (x[3 * p + 1] - yi) + sy;
                            double dz = (x[3 * p + 2] - zi) + sz;
                            boolean keep = dx * dx + dy * dy + dz * dz < c2 & (full | j >= i) & (j != i | selfAllowed);
                            nb[size] = j;
                            im[3 * size] = k0;
                            im[3 * size + 1] = k1;
                            im[3 * size + 2] = kc;
                            size += keep ? 1 : 0;
                        }
                        out.size = size;
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
            // The image found is relative to the wrapped positions; make it relative to the stored ones.
            int[] nb = out.neighbour;
            int[] im = out.image;
            for (int p = start; p < out.size; p++) {
                int j = nb[p];
                im[3 * p] += mi0 - offset[3 * j];
                im[3 * p + 1] += mi1 - offset[3 * j + 1];
                im[3 * p + 2] += mi2 - offset[3 * j + 2];
            }
            out.sortByNeighbour(start);
            counts[i + 1] = out.size - start;
        }
    }

    /** @return the lowest (extended) bin to search from coordinate {@code u} (bin units) */
    private static int low(double u, double reach, boolean periodic) {
        int lo = (int) Math.floor(u - reach);
        return periodic ? lo : Math.max(0, lo);
    }

    /** @return the highest (extended) bin to search from coordinate {@code u} (bin units) */
    private static int high(double u, double reach, boolean periodic, int count) {
        int hi = (int) Math.floor(u + reach);
        return periodic ? hi : Math.min(count - 1, hi);
    }
}
