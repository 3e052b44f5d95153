package org.soapstone.engine.neighbour;

import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

/**
 * Neighbours of every atom within a cutoff, as flat arrays in compressed-row form (the layout of ASE's
 * {@code neighbor_list}).
 *
 * <p>The neighbours of atom i are the pairs p in {@code [first[i], first[i+1])}. Pair p joins i to atom
 * {@code neighbour[p]} in the periodic image displaced by the integer lattice translation
 * {@code image[3p..3p+2]} = (n_a, n_b, n_c); its displacement vector (Å) is
 * <pre>  d_p = r_j + n_a a + n_b b + n_c c − r_i</pre>
 * computed from the positions as stored (unwrapped positions are fine), held in {@code vector[3p..3p+2]}
 * with its length in {@code distance[p]}. An atom may be its own neighbour in another image, and the same j may
 * appear several times in different images when the cell is smaller than the cutoff.
 *
 * <p>A <em>full</em> list holds every pair in both directions (i→j in image n and j→i in image −n), except an
 * atom with itself in image 0. A <em>half</em> list holds each pair once: the pairs with i &lt; j, and for i = j
 * the images n that are lexicographically positive (the first non-zero of n_a, n_b, n_c is positive). The
 * neighbours of each atom are sorted by neighbour index j, then by image n lexicographically, so the order does
 * not depend on how the list was built (nor on the number of threads).
 *
 * <p>Built by {@link #build} (linked cells, O(N)), refreshed for moved atoms by {@link #recompute}. The per-pair
 * arrays hold {@link #pairs()} entries; a list kept by a {@link VerletNeighbourList} may have spare capacity past
 * them (it is refilled in place when rebuilt), so loop over {@code first}, never over the arrays' lengths.
 */
public final class NeighbourList {
    /** A pool of one worker: builds on the calling thread. */
    static final WorkerPool SERIAL = new WorkerPool(1);

    /** Pair ranges: the pairs of atom i are {@code first[i]} (inclusive) to {@code first[i+1]} (exclusive). */
    public final int[] first;
    /** The neighbour atom index of each pair. */
    public final int[] neighbour;
    /** The lattice translation (n_a, n_b, n_c) of each pair, 3 per pair. */
    public final int[] image;
    /** The displacement r_j + n·H − r_i (Å) of each pair, 3 per pair. */
    public final double[] vector;
    /** The length of each pair's displacement (Å). */
    public final double[] distance;
    private final double cutoff;
    private final boolean full;

    NeighbourList(int[] first, int[] neighbour, int[] image, double cutoff, boolean full) {
        this.first = first;
        this.neighbour = neighbour;
        this.image = image;
        this.vector = new double[3 * neighbour.length];
        this.distance = new double[neighbour.length];
        this.cutoff = cutoff;
        this.full = full;
    }

    /**
     * Builds the list of all pairs closer than {@code cutoff} on the calling thread, by the linked-cell method in
     * O(N) time.
     *
     * @param structure atoms and cell; non-periodic directions, cells smaller than the cutoff, structures without
     *     a cell and unwrapped positions are handled; positions must be finite
     * @param cutoff the cutoff radius (Å), &gt; 0 and finite
     * @param full true for a full list (both directions), false for a half list
     * @return the neighbour list, with vectors (Å) and distances (Å) computed
     * @throws IllegalArgumentException for a bad cutoff or a non-finite position
     * @throws AtomsTooCloseException if two atoms are closer than {@link AtomsTooCloseException#MIN_DISTANCE}
     */
    public static NeighbourList build(Structure structure, double cutoff, boolean full) {
        return build(structure, cutoff, full, SERIAL);
    }

    /**
     * As {@link #build(Structure, double, boolean)}, splitting the search over atoms between the workers of
     * {@code pool} (from 2048 atoms per worker; smaller structures run on the calling thread). The list is
     * identical whatever the number of workers. Do not call it from inside a task of the same pool: the task would
     * wait for workers that may all be busy.
     *
     * @param structure atoms and cell (positions Å)
     * @param cutoff the cutoff radius (Å), &gt; 0 and finite
     * @param full true for a full list, false for a half list
     * @param pool the workers
     * @return the neighbour list, with vectors (Å) and distances (Å) computed
     */
    public static NeighbourList build(Structure structure, double cutoff, boolean full, WorkerPool pool) {
        NeighbourList list = CellListBuilder.build(structure, cutoff, full, pool);
        list.recompute(structure);
        return list;
    }

    /** @return the number of atoms */
    public int atoms() {
        return first.length - 1;
    }

    /** @return the number of pairs */
    public int pairs() {
        return first[first.length - 1];
    }

    /** @return the cutoff (Å) the list was built for */
    public double cutoff() {
        return cutoff;
    }

    /** @return true for a full list, false for a half list */
    public boolean full() {
        return full;
    }

    /**
     * Recomputes every pair's {@link #vector} and {@link #distance} from the structure's current positions and
     * cell, keeping the same pairs and images (used between rebuilds of a Verlet list).
     *
     * @throws AtomsTooCloseException if two atoms are closer than {@link AtomsTooCloseException#MIN_DISTANCE}
     */
    public void recompute(Structure structure) {
        recompute(structure, 0, atoms());
    }

    /**
     * As {@link #recompute(Structure)} for the pairs of atoms {@code [from, to)} only, so that workers can share the
     * work over disjoint ranges of atoms.
     *
     * @throws AtomsTooCloseException if two atoms are closer than {@link AtomsTooCloseException#MIN_DISTANCE}
     */
    public void recompute(Structure structure, int from, int to) {
        double[] r = structure.positions();
        Cell cell = structure.cell();
        double ax = cell.vector(0, 0), ay = cell.vector(0, 1), az = cell.vector(0, 2);
        double bx = cell.vector(1, 0), by = cell.vector(1, 1), bz = cell.vector(1, 2);
        double cx = cell.vector(2, 0), cy = cell.vector(2, 1), cz = cell.vector(2, 2);
        for (int i = from; i < to; i++) {
            double xi = r[3 * i], yi = r[3 * i + 1], zi = r[3 * i + 2];
            for (int p = first[i]; p < first[i + 1]; p++) {
                int j = neighbour[p];
                int na = image[3 * p], nb = image[3 * p + 1], nc = image[3 * p + 2];
                double dx = r[3 * j] - xi + na * ax + nb * bx + nc * cx;
                double dy = r[3 * j + 1] - yi + na * ay + nb * by + nc * cy;
                double dz = r[3 * j + 2] - zi + na * az + nb * bz + nc * cz;
                vector[3 * p] = dx;
                vector[3 * p + 1] = dy;
                vector[3 * p + 2] = dz;
                double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
                distance[p] = d;
                if (d < AtomsTooCloseException.MIN_DISTANCE) {
                    throw tooClose(structure, i, p);
                }
            }
        }
    }

    private AtomsTooCloseException tooClose(Structure structure, int i, int p) {
        int j = neighbour[p];
        int[] n = {image[3 * p], image[3 * p + 1], image[3 * p + 2]};
        boolean home = n[0] == 0 && n[1] == 0 && n[2] == 0;
        return new AtomsTooCloseException(Math.min(i, j), Math.max(i, j), structure.symbol(i) + ", "
                + structure.symbol(j), home ? null : n, distance[p]);
    }
}
