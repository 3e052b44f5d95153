package org.soapstone.engine.neighbour;

import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

/**
 * The atoms of a structure sorted into a grid of bins (the "cells" of the linked-cell method, Allen &amp;
 * Tildesley, <i>Computer Simulation of Liquids</i>, §5.3.2), for {@link CellListBuilder}.
 *
 * <p>The grid lives in fractional coordinates s = r·H⁻¹ of the lattice H (rows a, b, c); a structure without a
 * cell volume uses Cartesian coordinates instead. Along a periodic direction the bins split the unit interval
 * [0, 1) and every atom is wrapped into it, its Cartesian position becoming r − m·H with an integer lattice
 * translation m (the {@link #offset}). Along a non-periodic direction the bins split the range the atoms
 * actually occupy (atoms may lie outside the cell there) and nothing is wrapped. Bins are about
 * cutoff / {@value #BINS_PER_CUTOFF} wide, measured perpendicular to the lattice planes
 * ({@link Cell#perpendicularWidths()}), and never fewer than one per direction; when the cutoff exceeds the cell
 * a search simply visits several periodic images of the same bins.
 *
 * <p>Two atoms closer than the cutoff differ in fractional coordinate d by at most cutoff / w_d, where w_d is
 * the perpendicular width of the cell along d, so {@link #reach} (that bound in bin units, with a margin for
 * rounding) limits the bins the search has to visit.
 */
final class BinGrid {
    /** Bins per cutoff length: finer bins search a volume closer to the cutoff sphere at more loop overhead. */
    static final int BINS_PER_CUTOFF = 2;
    private static final double RELATIVE_MARGIN = 1e-12;
    private static final double ABSOLUTE_MARGIN = 1e-9;

    /** Number of bins along each direction. */
    final int[] bins = new int[3];
    /** Periodicity of each direction (all false without a cell volume). */
    final boolean[] periodic = new boolean[3];
    /** Half-width (in bins) of the range of bins to search around an atom, per direction. */
    final double[] reach = new double[3];
    /** The lattice vectors as rows, row-major (Å); zero without a cell volume. */
    final double[] lattice = new double[9];
    /** Bin ranges: the atoms of bin b are {@code order[binStart[b] .. binStart[b+1])}; b = (b0·n1 + b1)·n2 + b2. */
    int[] binStart = new int[0];
    /** The atoms in bin order, ascending atom index within a bin. */
    int[] order = new int[0];
    /** The wrapped Cartesian positions (Å) in bin order, 3 per atom. */
    double[] sorted = new double[0];
    /** The position of each atom in bin order. */
    int[] slot = new int[0];
    /** Each atom's coordinates in bin units (bin b_d holds [b_d, b_d + 1)), 3 per atom. */
    double[] coordinate = new double[0];
    /** The lattice translation m wrapped away from each atom (stored r = wrapped r + m·H), 3 per atom. */
    int[] offset = new int[0];
    // scratch, kept so that a re-assignment of as many atoms allocates nothing
    private double[] wrapped = new double[0];
    private int[] binOf = new int[0];
    private int[] fill = new int[0];
    private final double[] widths = new double[3];
    private final double[] fractional = new double[3];
    private final double[] low = new double[3];
    private final double[] high = new double[3];
    private final double[] origin = new double[3];
    private final double[] span = new double[3];
    private final double[] count = new double[3];

    /** An empty grid, to be {@linkplain #assign assigned} atoms. */
    BinGrid() {
    }

    /**
     * @param s the structure; positions must be finite
     * @param cutoff the cutoff radius (Å), &gt; 0
     */
    BinGrid(Structure s, double cutoff) {
        assign(s, cutoff);
    }

    /**
     * Sorts the atoms of {@code s} into bins for {@code cutoff}, replacing what the grid held; allocates only when
     * the grid has never held as many atoms or bins.
     *
     * @param s the structure; positions must be finite
     * @param cutoff the cutoff radius (Å), &gt; 0
     */
    void assign(Structure s, double cutoff) {
        int n = s.size();
        double[] r = s.positions();
        Cell cell = s.cell();
        boolean volume = cell.hasVolume();
        for (int i = 0; i < 3; i++) {
            periodic[i] = volume && cell.periodic(i);
            for (int k = 0; k < 3; k++) {
                lattice[3 * i + k] = volume ? cell.vector(i, k) : 0;
            }
        }
        if (volume) {
            cell.perpendicularWidths(widths);
        } else {
            java.util.Arrays.fill(widths, 1);
        }
        if (offset.length < 3 * n) {
            coordinate = new double[3 * n];
            offset = new int[3 * n];
            wrapped = new double[3 * n];
            sorted = new double[3 * n];
            order = new int[n];
            slot = new int[n];
            binOf = new int[n];
        }
        java.util.Arrays.fill(low, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(high, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            double x = r[3 * i], y = r[3 * i + 1], z = r[3 * i + 2];
            if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(z)) {
                throw new NonFinitePositionException(i, x, y, z);
            }
            if (volume) {
                cell.toFractional(x, y, z, fractional);
            } else {
                fractional[0] = x;
                fractional[1] = y;
                fractional[2] = z;
            }
            for (int d = 0; d < 3; d++) {
                double f = fractional[d];
                offset[3 * i + d] = 0;
                if (periodic[d]) {
                    double m = Math.floor(f);
                    if (Math.abs(m) > Integer.MAX_VALUE / 4) {
                        throw new IllegalArgumentException("atom " + (i + 1) + " is " + m
                                + " cells away along lattice vector " + (d + 1) + "; positions that far out are not "
                                + "supported");
                    }
                    offset[3 * i + d] = (int) m;
                    f -= m;
                }
                coordinate[3 * i + d] = f;
                low[d] = Math.min(low[d], f);
                high[d] = Math.max(high[d], f);
            }
            int m0 = offset[3 * i], m1 = offset[3 * i + 1], m2 = offset[3 * i + 2];
            for (int k = 0; k < 3; k++) {
                wrapped[3 * i + k] = r[3 * i + k] - (m0 * lattice[k] + m1 * lattice[3 + k] + m2 * lattice[6 + k]);
            }
        }
        for (int d = 0; d < 3; d++) {
            origin[d] = periodic[d] || n == 0 ? 0 : low[d];
            span[d] = periodic[d] ? 1 : n == 0 ? 0 : high[d] - low[d];
            count[d] = Math.max(1, Math.min(1 << 20, Math.floor(span[d] * widths[d] * BINS_PER_CUTOFF / cutoff)));
        }
        limitBins(count, 2.0 * n + 27);
        for (int d = 0; d < 3; d++) {
            bins[d] = (int) count[d];
            double scale = span[d] > 0 ? bins[d] / span[d] : 0;
            reach[d] = (cutoff / widths[d] * (1 + RELATIVE_MARGIN) + ABSOLUTE_MARGIN) * scale;
            for (int i = 0; i < n; i++) {
                coordinate[3 * i + d] = (coordinate[3 * i + d] - origin[d]) * scale;
            }
        }
        int total = bins[0] * bins[1] * bins[2];
        if (binStart.length < total + 1) {
            binStart = new int[total + 1];
            fill = new int[total];
        }
        java.util.Arrays.fill(binStart, 0, total + 1, 0);
        java.util.Arrays.fill(fill, 0, total, 0);
        for (int i = 0; i < n; i++) {
            int b0 = binIndex(coordinate[3 * i], bins[0]);
            int b1 = binIndex(coordinate[3 * i + 1], bins[1]);
            int b2 = binIndex(coordinate[3 * i + 2], bins[2]);
            binOf[i] = (b0 * bins[1] + b1) * bins[2] + b2;
            binStart[binOf[i] + 1]++;
        }
        for (int b = 0; b < total; b++) {
            binStart[b + 1] += binStart[b];
        }
        for (int i = 0; i < n; i++) {
            int b = binOf[i];
            int p = binStart[b] + fill[b]++;
            order[p] = i;
            slot[i] = p;
            System.arraycopy(wrapped, 3 * i, sorted, 3 * p, 3);
        }
    }

    /** @return the bin holding coordinate {@code u} (bin units, ≥ 0) of a direction with {@code count} bins */
    static int binIndex(double u, int count) {
        return Math.min(count - 1, (int) u);
    }

    /** Shrinks the bin counts (each ≥ 1) until their product is at most {@code cap} (≥ 1). */
    private static void limitBins(double[] count, double cap) {
        double product = count[0] * count[1] * count[2];
        while (product > cap) {
            double f = Math.cbrt(cap / product);
            for (int d = 0; d < 3; d++) {
                count[d] = Math.max(1, Math.floor(count[d] * f));
            }
            product = count[0] * count[1] * count[2];
        }
    }
}
