package org.soapstone.engine.structure;

import java.util.Arrays;

/**
 * A general triclinic simulation cell with per-direction periodicity.
 *
 * <p>The three lattice vectors a, b, c (Å) are the <em>rows</em> of a 3×3 matrix, as in ASE and in the
 * extended-XYZ {@code Lattice="ax ay az bx by bz cx cy cz"} key. A Cartesian position r and its fractional
 * coordinates s are related by r = s·H (row vector times the lattice matrix H), so s = r·H⁻¹.
 *
 * <p>A cell whose lattice vectors are all zero is "no cell" (an isolated molecule); every direction is then
 * non-periodic. Instances are immutable.
 */
public final class Cell {
    private final double[] h;
    private final double[] inverse;
    private final boolean[] pbc;

    /**
     * @param lattice the lattice vectors a, b, c as rows, row-major (Å), length 9
     * @param pbc periodicity along a, b, c
     * @throws IllegalArgumentException if a periodic direction has a zero or linearly dependent lattice vector
     */
    public Cell(double[] lattice, boolean[] pbc) {
        if (lattice.length != 9) {
            throw new IllegalArgumentException("lattice must have 9 components, got " + lattice.length);
        }
        if (pbc.length != 3) {
            throw new IllegalArgumentException("pbc must have 3 components, got " + pbc.length);
        }
        this.h = lattice.clone();
        this.pbc = pbc.clone();
        double det = determinant(h);
        if (Math.abs(det) > 1e-12) {
            this.inverse = invert(h, det);
        } else {
            if (pbc[0] || pbc[1] || pbc[2]) {
                throw new IllegalArgumentException("periodic cell has zero volume: " + Arrays.toString(lattice));
            }
            this.inverse = null;
        }
    }

    /** An orthorhombic cell with edges {@code a, b, c} (Å), periodic in all three directions. */
    public static Cell orthorhombic(double a, double b, double c) {
        return new Cell(new double[] {a, 0, 0, 0, b, 0, 0, 0, c}, new boolean[] {true, true, true});
    }

    /** A cubic cell with edge {@code a} (Å), periodic in all three directions. */
    public static Cell cubic(double a) {
        return orthorhombic(a, a, a);
    }

    /** No cell: an isolated molecule or cluster, non-periodic in every direction. */
    public static Cell none() {
        return new Cell(new double[9], new boolean[3]);
    }

    /** @return true if the lattice vectors span a volume (false for {@link #none()} and flat cells) */
    public boolean hasVolume() {
        return inverse != null;
    }

    /** @return component {@code k} (0..2) of lattice vector {@code i} (0..2), Å */
    public double vector(int i, int k) {
        return h[3 * i + k];
    }

    /** @return a copy of the row-major lattice matrix (Å) */
    public double[] matrix() {
        return h.clone();
    }

    /** @return a copy of the row-major inverse lattice matrix (1/Å); requires {@link #hasVolume()} */
    public double[] inverseMatrix() {
        requireVolume();
        return inverse.clone();
    }

    /** @return whether direction {@code i} (0 = a, 1 = b, 2 = c) is periodic */
    public boolean periodic(int i) {
        return pbc[i];
    }

    /** @return a copy of the periodicity flags */
    public boolean[] pbc() {
        return pbc.clone();
    }

    /** @return true if any direction is periodic */
    public boolean anyPeriodic() {
        return pbc[0] || pbc[1] || pbc[2];
    }

    /** @return the cell volume (Å³), positive; 0 for a cell without volume */
    public double volume() {
        return Math.abs(determinant(h));
    }

    /**
     * @return the distances between opposite faces of the cell (Å): the perpendicular widths along a, b, c,
     *     which bound how far apart two periodic images can be
     */
    public double[] perpendicularWidths() {
        double[] w = new double[3];
        perpendicularWidths(w);
        return w;
    }

    /** {@link #perpendicularWidths()} into {@code w[0..2]} (Å), allocating nothing. */
    public void perpendicularWidths(double[] w) {
        requireVolume();
        double v = volume();
        for (int i = 0; i < 3; i++) {
            int j = (i + 1) % 3;
            int k = (i + 2) % 3;
            double cx = h[3 * j + 1] * h[3 * k + 2] - h[3 * j + 2] * h[3 * k + 1];
            double cy = h[3 * j + 2] * h[3 * k] - h[3 * j] * h[3 * k + 2];
            double cz = h[3 * j] * h[3 * k + 1] - h[3 * j + 1] * h[3 * k];
            w[i] = v / Math.sqrt(cx * cx + cy * cy + cz * cz);
        }
    }

    /** Writes the fractional coordinates of Cartesian point {@code (x, y, z)} (Å) into {@code out[0..2]}. */
    public void toFractional(double x, double y, double z, double[] out) {
        requireVolume();
        double[] g = inverse;
        out[0] = x * g[0] + y * g[3] + z * g[6];
        out[1] = x * g[1] + y * g[4] + z * g[7];
        out[2] = x * g[2] + y * g[5] + z * g[8];
    }

    /** Writes the Cartesian point (Å) of fractional coordinates {@code (s0, s1, s2)} into {@code out[0..2]}. */
    public void toCartesian(double s0, double s1, double s2, double[] out) {
        out[0] = s0 * h[0] + s1 * h[3] + s2 * h[6];
        out[1] = s0 * h[1] + s1 * h[4] + s2 * h[7];
        out[2] = s0 * h[2] + s1 * h[5] + s2 * h[8];
    }

    /**
     * Replaces a displacement {@code d} (Å, length 3, modified in place) by its minimum image: the shortest
     * vector among d + n·H over integer n in the periodic directions. Exact for any cell shape (searches
     * the 27 neighbouring images after reducing the fractional components to [−½, ½), which is exact unless the cell
     * is extremely skewed). Allocates nothing.
     */
    public void minimumImage(double[] d) {
        if (!anyPeriodic()) {
            return;
        }
        requireVolume();
        double[] g = inverse;
        double x0 = d[0], y0 = d[1], z0 = d[2];
        double s0 = x0 * g[0] + y0 * g[3] + z0 * g[6];
        double s1 = x0 * g[1] + y0 * g[4] + z0 * g[7];
        double s2 = x0 * g[2] + y0 * g[5] + z0 * g[8];
        if (pbc[0]) {
            s0 -= Math.floor(s0 + 0.5);
        }
        if (pbc[1]) {
            s1 -= Math.floor(s1 + 0.5);
        }
        if (pbc[2]) {
            s2 -= Math.floor(s2 + 0.5);
        }
        double bx = s0 * h[0] + s1 * h[3] + s2 * h[6];
        double by = s0 * h[1] + s1 * h[4] + s2 * h[7];
        double bz = s0 * h[2] + s1 * h[5] + s2 * h[8];
        double best = Double.POSITIVE_INFINITY;
        int r0 = pbc[0] ? 1 : 0;
        int r1 = pbc[1] ? 1 : 0;
        int r2 = pbc[2] ? 1 : 0;
        for (int n0 = -r0; n0 <= r0; n0++) {
            for (int n1 = -r1; n1 <= r1; n1++) {
                for (int n2 = -r2; n2 <= r2; n2++) {
                    double x = bx + (n0 * h[0] + n1 * h[3] + n2 * h[6]);
                    double y = by + (n0 * h[1] + n1 * h[4] + n2 * h[7]);
                    double z = bz + (n0 * h[2] + n1 * h[5] + n2 * h[8]);
                    double r2sq = x * x + y * y + z * z;
                    if (r2sq < best) {
                        best = r2sq;
                        d[0] = x;
                        d[1] = y;
                        d[2] = z;
                    }
                }
            }
        }
    }

    /**
     * @param deformation a row-major 3×3 matrix F (dimensionless); the new lattice is h·F
     * @return a cell with the same periodicity and lattice vectors h·F (for a strain ε, F = I + ε)
     */
    public Cell deformed(double[] deformation) {
        double[] out = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                double sum = 0;
                for (int m = 0; m < 3; m++) {
                    sum += h[3 * i + m] * deformation[3 * m + k];
                }
                out[3 * i + k] = sum;
            }
        }
        return new Cell(out, pbc);
    }

    private void requireVolume() {
        if (inverse == null) {
            throw new IllegalStateException("the cell has no volume (isolated structure)");
        }
    }

    private static double determinant(double[] m) {
        return m[0] * (m[4] * m[8] - m[5] * m[7])
                - m[1] * (m[3] * m[8] - m[5] * m[6])
                + m[2] * (m[3] * m[7] - m[4] * m[6]);
    }

    private static double[] invert(double[] m, double det) {
        double[] g = new double[9];
        g[0] = (m[4] * m[8] - m[5] * m[7]) / det;
        g[1] = (m[2] * m[7] - m[1] * m[8]) / det;
        g[2] = (m[1] * m[5] - m[2] * m[4]) / det;
        g[3] = (m[5] * m[6] - m[3] * m[8]) / det;
        g[4] = (m[0] * m[8] - m[2] * m[6]) / det;
        g[5] = (m[2] * m[3] - m[0] * m[5]) / det;
        g[6] = (m[3] * m[7] - m[4] * m[6]) / det;
        g[7] = (m[1] * m[6] - m[0] * m[7]) / det;
        g[8] = (m[0] * m[4] - m[1] * m[3]) / det;
        return g;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cell c && Arrays.equals(h, c.h) && Arrays.equals(pbc, c.pbc);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(h) + Arrays.hashCode(pbc);
    }

    @Override
    public String toString() {
        return "Cell" + Arrays.toString(h) + " pbc=" + Arrays.toString(pbc);
    }
}
