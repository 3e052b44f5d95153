package org.soapstone.engine.neighbour;

import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;

/**
 * Builds {@link NeighbourList}s by the linked-cell method in O(N) time: atoms are sorted into a {@link BinGrid},
 * and each atom is compared only with the atoms of the bins (and periodic images of bins) within the cutoff's
 * reach ({@link BinSearch}, one per worker; the workers' pairs are concatenated in atom order). Handles general
 * triclinic cells, cells smaller than the cutoff (several images of one atom, an atom being its own neighbour),
 * non-periodic directions, structures without a cell and unwrapped positions.
 *
 * <p>Pair selection and order (identical for any thread count):
 * <ul>
 *   <li>a pair is kept when |r_j + n·H − r_i|² &lt; cutoff², evaluated from the wrapped positions;
 *   <li>full list: every pair (i, j, n) except an atom with itself in image n = 0;
 *   <li>half list: the pairs with i &lt; j, and for i = j the images n that are lexicographically positive
 *       (the first non-zero of n_a, n_b, n_c is &gt; 0), so each unordered pair appears exactly once;
 *   <li>the neighbours of each atom are sorted by neighbour index j, then by image n lexicographically.
 * </ul>
 * An instance keeps its grid and search buffers between builds, and {@link #rebuild} refills a list in place, so
 * that a Verlet list rebuilt for the same atoms allocates nothing once its storage has grown to the largest
 * size seen. Not thread-safe.
 */
final class CellListBuilder {
    /** Below this many atoms per worker the build runs on the calling thread. */
    private static final int MIN_ATOMS_PER_WORKER = 2048;
    /** Extra pair capacity of a list built for reuse: a rebuild with up to this fraction more pairs fits. */
    private static final double HEADROOM = 0.125;

    private final BinGrid grid = new BinGrid();
    private BinSearch[] searches = new BinSearch[0];
    private int[] counts;
    private final WorkerPool.Chunk search = (worker, from, to) -> searches[worker].searchAtoms(from, to, counts);

    /**
     * A list built once, sized exactly.
     *
     * @param s the structure; positions must be finite
     * @param cutoff the cutoff radius (Å), &gt; 0 and finite
     * @param full true for a full list, false for a half list
     * @param pool the workers to split the search over atoms between
     * @return the list; its vectors and distances are not yet computed
     */
    static NeighbourList build(Structure s, double cutoff, boolean full, WorkerPool pool) {
        return new CellListBuilder().rebuild(s, cutoff, full, pool, null);
    }

    /**
     * Builds the list, into {@code old}'s storage when it is a list of as many atoms, the same cutoff and kind and
     * room enough for the pairs (then {@code old} itself is returned, refilled); otherwise into new storage with
     * {@value #HEADROOM} spare pair capacity when {@code old} is given.
     *
     * @param s the structure; positions must be finite
     * @param cutoff the cutoff radius (Å), &gt; 0 and finite
     * @param full true for a full list, false for a half list
     * @param pool the workers to split the search over atoms between
     * @param old a list to refill, or null
     * @return the list; its vectors and distances are not yet computed
     */
    NeighbourList rebuild(Structure s, double cutoff, boolean full, WorkerPool pool, NeighbourList old) {
        if (!(cutoff > 0) || Double.isInfinite(cutoff)) {
            throw new IllegalArgumentException("cutoff must be positive and finite, got " + cutoff + " Å");
        }
        grid.assign(s, cutoff);
        int n = s.size();
        boolean sameShape = old != null && old.atoms() == n && old.cutoff() == cutoff && old.full() == full;
        int[] first = sameShape ? old.first : new int[n + 1];
        first[0] = 0;
        int workers = n >= pool.threads() * MIN_ATOMS_PER_WORKER ? pool.threads() : 1;
        if (searches.length < workers) {
            searches = java.util.Arrays.copyOf(searches, workers);
        }
        for (int w = 0; w < workers; w++) {
            if (searches[w] == null) {
                searches[w] = new BinSearch(grid, cutoff, full);
            }
            searches[w].reset(cutoff, full);
        }
        if (workers == 1) {
            searches[0].searchAtoms(0, n, first);
        } else {
            counts = first;
            try {
                pool.forEachChunk(n, search);
            } finally {
                counts = null;
            }
        }
        for (int i = 0; i < n; i++) {
            first[i + 1] += first[i];
        }
        int pairs = first[n];
        NeighbourList list;
        if (sameShape && old.neighbour.length >= pairs) {
            list = old;
        } else {
            int capacity = old == null ? pairs : pairs + (int) Math.ceil(HEADROOM * pairs);
            list = new NeighbourList(first, new int[capacity], new int[3 * capacity], cutoff, full);
        }
        int at = 0;
        for (int w = 0; w < workers; w++) {
            PairBuffer b = searches[w].pairs;
            System.arraycopy(b.neighbour, 0, list.neighbour, at, b.size);
            System.arraycopy(b.image, 0, list.image, 3 * at, 3 * b.size);
            at += b.size;
        }
        return list;
    }
}
