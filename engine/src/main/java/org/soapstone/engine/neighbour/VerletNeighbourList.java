package org.soapstone.engine.neighbour;

import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

/**
 * A neighbour list with a Verlet skin, kept across calls: built for cutoff + skin, and rebuilt only when the
 * atom count, the species or the cell changed, or some atom moved more than half the skin since the last build
 * (then no pair can have crossed into the cutoff unseen). Between rebuilds only the pair vectors are recomputed.
 *
 * <p>Users of the list must filter pairs by {@code distance < cutoff}: the list also holds pairs out to
 * cutoff + skin.
 *
 * <p>A rebuild for as many atoms refills the previous list in place (with spare capacity, so its arrays may be
 * longer than {@link NeighbourList#pairs()}), so that once the storage has grown to the largest list seen,
 * neither an update nor a rebuild allocates; a list returned earlier is therefore only valid until the next
 * update.
 */
public final class VerletNeighbourList {
    private final double cutoff;
    private final double skin;
    private final boolean full;
    private final CellListBuilder builder = new CellListBuilder();
    private NeighbourList list;
    private double[] builtPositions;
    private int[] builtNumbers;
    private Cell builtCell;
    private long builds;

    /**
     * @param cutoff the interaction cutoff (Å), &gt; 0
     * @param skin the extra distance kept in the list (Å), ≥ 0; 0 rebuilds on every call that moved an atom
     * @param full true for a full list, false for a half list
     */
    public VerletNeighbourList(double cutoff, double skin, boolean full) {
        if (!(cutoff > 0) || !(skin >= 0)) {
            throw new IllegalArgumentException("need cutoff > 0 and skin ≥ 0, got cutoff=" + cutoff + ", skin=" + skin);
        }
        this.cutoff = cutoff;
        this.skin = skin;
        this.full = full;
    }

    /**
     * Brings the list up to date for the structure's current positions and cell, rebuilding it if needed.
     *
     * @return the list, with vectors and distances (Å) for the current positions; pairs out to cutoff + skin
     */
    public NeighbourList update(Structure s) {
        if (!rebuildIfNeeded(s)) {
            list.recompute(s);
        }
        return list;
    }

    /**
     * As {@link #update(Structure)}, with the pair vectors of an unchanged list recomputed by the workers of
     * {@code pool}, each over a contiguous range of atoms.
     *
     * @return the list, with vectors and distances (Å) for the current positions; pairs out to cutoff + skin
     */
    public NeighbourList update(Structure s, WorkerPool pool) {
        if (!rebuildIfNeeded(s)) {
            NeighbourList l = list;
            pool.forEachChunk(s.size(), (worker, from, to) -> l.recompute(s, from, to));
        }
        return list;
    }

    /**
     * Rebuilds the list if needed, on the calling thread, without refreshing the vectors of an unchanged list: then
     * the caller must call {@link NeighbourList#recompute(Structure, int, int)} over all atoms of {@link #list()}
     * (e.g. each worker over its own atoms) before using it.
     *
     * @param s the atoms (positions Å)
     * @return true if the list was rebuilt (its vectors and distances are then current)
     */
    public boolean rebuildIfNeeded(Structure s) {
        if (!needsRebuild(s)) {
            return false;
        }
        list = builder.rebuild(s, cutoff + skin, full, NeighbourList.SERIAL, list);
        list.recompute(s);
        double[] r = s.positions();
        if (builtPositions == null || builtPositions.length != r.length) {
            builtPositions = new double[r.length];
        }
        System.arraycopy(r, 0, builtPositions, 0, r.length);
        if (builtNumbers == null || !java.util.Arrays.equals(builtNumbers, s.numbers())) {
            builtNumbers = s.numbers().clone();
        }
        builtCell = s.cell();
        builds++;
        return true;
    }

    /** @return the list as of the last update or rebuild (null before the first); see {@link #rebuildIfNeeded} */
    public NeighbourList list() {
        return list;
    }

    private boolean needsRebuild(Structure s) {
        if (list == null || s.size() != builtNumbers.length || !s.cell().equals(builtCell)
                || !java.util.Arrays.equals(s.numbers(), builtNumbers)) {
            return true;
        }
        double limit = 0.25 * skin * skin;
        double[] r = s.positions();
        for (int k = 0; k < r.length; k += 3) {
            double dx = r[k] - builtPositions[k];
            double dy = r[k + 1] - builtPositions[k + 1];
            double dz = r[k + 2] - builtPositions[k + 2];
            if (dx * dx + dy * dy + dz * dz > limit) {
                return true;
            }
        }
        return false;
    }

    /** @return the interaction cutoff (Å) */
    public double cutoff() {
        return cutoff;
    }

    /** @return the skin (Å) */
    public double skin() {
        return skin;
    }

    /** @return how many times the list has been built */
    public long builds() {
        return builds;
    }
}
