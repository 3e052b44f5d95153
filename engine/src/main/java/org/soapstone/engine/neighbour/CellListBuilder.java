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
        BinSearch[] searches = new BinSearch[workers];
        for (int w = 0; w < workers; w++) {
            searches[w] = new BinSearch(grid, cutoff, full);
        }
        if (workers == 1) {
            searches[0].searchAtoms(0, n, first);
        } else {
            pool.forEachChunk(n, (worker, from, to) -> searches[worker].searchAtoms(from, to, first));
        }
        for (int i = 0; i < n; i++) {
            first[i + 1] += first[i];
        }
        int pairs = first[n];
        int[] neighbour = new int[pairs];
        int[] image = new int[3 * pairs];
        int at = 0;
        for (BinSearch search : searches) {
            PairBuffer b = search.pairs;
            System.arraycopy(b.neighbour, 0, neighbour, at, b.size);
            System.arraycopy(b.image, 0, image, 3 * at, 3 * b.size);
            at += b.size;
        }
        return new NeighbourList(first, neighbour, image, cutoff, full);
    }
}
