package org.soapstone.engine.neighbour;

import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

/**
 * A full {@link NeighbourList} holding the pairs QUIP finds, in the order QUIP's neighbour loop visits them
 * ({@code connection_calc_connect} and {@code connection_neighbour} in libAtoms' {@code Connection.f95}), so that a
 * descriptor computed on it numbers its instances as gap_fit does. gap_fit's sparse-point choices depend on that
 * numbering (the first instance of each bin for {@code sparse_method=uniform}, the candidate order of the random
 * draws, the indices of {@code print_sparse_index} and {@code index_file}).
 *
 * <p>QUIP divides the cell into linked cells ({@code divide_cell}), lists each cell's atoms in reverse order of
 * index, and loops over cells (a fastest), their atoms, the neighbouring cell images ({@code fit_box_in_cell}) and
 * their atoms, forming each bond i ≤ j once with the lattice translation that the wrapping of both atoms into the
 * cell implies ({@code map_shift}); a bond is kept if its length, computed as r_j − r_i + Σ_m n_m·a_m, is below the
 * cutoff. Atom i's neighbours are then its bonds to atoms j &lt; i, in the order they were formed, followed by its
 * bonds to atoms j ≥ i, in the order they were formed (an atom's images of itself appear there, both n and −n). The
 * arithmetic is QUIP's, so the distances are bit for bit QUIP's and both directions of a bond have the same length.
 *
 * <p>QUIP reads every frame of an extended-XYZ file as periodic along each non-zero lattice vector, whatever its
 * {@code pbc} says ({@code atoms_set_lattice} resets the periodicity after {@code cinoutput_read} has read it), and
 * gives a frame without a lattice an orthorhombic box of the atoms' extent plus 10 Å, also periodic. The order here is
 * that one; pairs that cross a direction the structure calls non-periodic are then left out, so the list holds the
 * pairs Soapstone's descriptors see (the same as QUIP's unless a non-periodic cell is smaller than the cutoff allows).
 * A lattice with a zero vector but not all zero, which QUIP cannot connect, gets {@link NeighbourList#build}'s order.
 */
public final class QuipNeighbourOrder {
    /** QUIP's vacuum around a frame read without a lattice (Å; {@code cinoutput_read}). */
    private static final double VACUUM = 10.0;

    private QuipNeighbourOrder() {
    }

    /**
     * @param structure the atoms (positions Å), as read (QUIP does not wrap positions)
     * @param cutoff QUIP's connection cutoff (Å): gap_fit uses the largest cutoff of its descriptors
     * @return the full neighbour list in QUIP's order, vectors and distances computed
     * @throws IllegalArgumentException for a bad cutoff or a non-finite position
     */
    public static NeighbourList build(Structure structure, double cutoff) {
        if (!(cutoff > 0) || !Double.isFinite(cutoff)) {
            throw new IllegalArgumentException("cutoff must be positive and finite, got " + cutoff);
        }
        int n = structure.size();
        double[] pos = structure.positions();
        for (double p : pos) {
            if (!Double.isFinite(p)) {
                throw new IllegalArgumentException("non-finite atomic position");
            }
        }
        Cell cell = structure.cell();
        // lattice[k][m]: component k of lattice vector m (QUIP's at%lattice(k+1, m+1))
        double[][] lattice = new double[3][3];
        boolean defaultBox = true;
        boolean[] zeroVector = new boolean[3];
        for (int m = 0; m < 3; m++) {
            zeroVector[m] = true;
            for (int k = 0; k < 3; k++) {
                lattice[k][m] = cell.vector(m, k);
                defaultBox &= Math.abs(lattice[k][m]) < 1e-5;
                zeroVector[m] &= lattice[k][m] == 0;
            }
        }
        if (defaultBox) {
            for (int k = 0; k < 3; k++) {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    lo = Math.min(lo, pos[3 * i + k]);
                    hi = Math.max(hi, pos[3 * i + k]);
                }
                for (int m = 0; m < 3; m++) {
                    lattice[k][m] = 0;
                }
                lattice[k][k] = (n == 0 ? 0 : hi - lo) + VACUUM;
            }
        } else if (zeroVector[0] || zeroVector[1] || zeroVector[2]) {
            return NeighbourList.build(structure, cutoff, true);
        }
        double[][] g = inverse(lattice);
        int[] cells = divideCell(lattice, cutoff);
        int[] images = imageCells(g, cutoff);

        // partition_atoms: head insertion, so each cell lists its atoms from the highest index down
        int[] mapShift = new int[3 * n];
        int[] head = new int[cells[0] * cells[1] * cells[2]];
        java.util.Arrays.fill(head, -1);
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            double[] t = multiply(g, pos, i);
            int[] c = new int[3];
            for (int d = 0; d < 3; d++) {
                mapShift[3 * i + d] = -(int) Math.floor(t[d] + 0.5);
                t[d] += mapShift[3 * i + d];
                c[d] = Math.clamp((long) Math.floor(cells[d] * (t[d] + 0.5)) + 1, 1, cells[d]) - 1;
            }
            int flat = c[0] + cells[0] * (c[1] + cells[1] * c[2]);
            next[i] = head[flat];
            head[flat] = i;
        }

        Bonds bonds = new Bonds(n, new boolean[] {cell.periodic(0), cell.periodic(1), cell.periodic(2)});
        int[] here = new int[3];
        int[] there = new int[3];
        int[] shift = new int[3];
        for (here[2] = 0; here[2] < cells[2]; here[2]++) {
            for (here[1] = 0; here[1] < cells[1]; here[1]++) {
                for (here[0] = 0; here[0] < cells[0]; here[0]++) {
                    int flatHere = here[0] + cells[0] * (here[1] + cells[1] * here[2]);
                    for (int a1 = head[flatHere]; a1 >= 0; a1 = next[a1]) {
                        for (int k2 = -images[2]; k2 <= images[2]; k2++) {
                            there[2] = cells[2] > 1 ? (here[2] + k2 + cells[2]) % cells[2] : 0;
                            shift[2] = (here[2] + k2 - there[2]) / cells[2];
                            for (int j2 = -images[1]; j2 <= images[1]; j2++) {
                                there[1] = cells[1] > 1 ? (here[1] + j2 + cells[1]) % cells[1] : 0;
                                shift[1] = (here[1] + j2 - there[1]) / cells[1];
                                for (int i2 = -images[0]; i2 <= images[0]; i2++) {
                                    there[0] = cells[0] > 1 ? (here[0] + i2 + cells[0]) % cells[0] : 0;
                                    shift[0] = (here[0] + i2 - there[0]) / cells[0];
                                    boolean sameCell = there[0] == here[0] && there[1] == here[1]
                                            && there[2] == here[2];
                                    boolean zeroShift = shift[0] == 0 && shift[1] == 0 && shift[2] == 0;
                                    int flatThere = there[0] + cells[0] * (there[1] + cells[1] * there[2]);
                                    for (int a2 = head[flatThere]; a2 >= 0; a2 = next[a2]) {
                                        if (a1 > a2 || (a1 == a2 && zeroShift && sameCell)) {
                                            continue;
                                        }
                                        formBond(bonds, lattice, pos, a1, a2,
                                                shift[0] - mapShift[3 * a1] + mapShift[3 * a2],
                                                shift[1] - mapShift[3 * a1 + 1] + mapShift[3 * a2 + 1],
                                                shift[2] - mapShift[3 * a1 + 2] + mapShift[3 * a2 + 2], cutoff);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        NeighbourList list = bonds.toList(cutoff);
        list.recompute(structure);
        return list;
    }

    /** {@code test_form_bond}: keeps the bond if r_j − r_i + Σ_m n_m·a_m is shorter than the cutoff. */
    private static void formBond(Bonds bonds, double[][] lattice, double[] pos, int i, int j, int na, int nb, int nc,
            double cutoff) {
        double dx = pos[3 * j] - pos[3 * i];
        double dy = pos[3 * j + 1] - pos[3 * i + 1];
        double dz = pos[3 * j + 2] - pos[3 * i + 2];
        dx = dx + lattice[0][0] * na;
        dy = dy + lattice[1][0] * na;
        dz = dz + lattice[2][0] * na;
        dx = dx + lattice[0][1] * nb;
        dy = dy + lattice[1][1] * nb;
        dz = dz + lattice[2][1] * nb;
        dx = dx + lattice[0][2] * nc;
        dy = dy + lattice[1][2] * nc;
        dz = dz + lattice[2][2] * nc;
        if (dx > cutoff || dy > cutoff || dz > cutoff) {
            return;
        }
        if (Math.sqrt(dx * dx + dy * dy + dz * dz) < cutoff) {
            bonds.add(i, j, na, nb, nc);
        }
    }

    /** {@code divide_cell}: how many linked cells fit along each lattice vector. */
    private static int[] divideCell(double[][] l, double cutoff) {
        double[] a = column(l, 0);
        double[] b = column(l, 1);
        double[] c = column(l, 2);
        double volume = Math.abs(tripleProduct(a, b, c));
        return new int[] {
            Math.max(1, (int) (volume / (cutoff * norm(cross(b, c))))),
            Math.max(1, (int) (volume / (cutoff * norm(cross(c, a))))),
            Math.max(1, (int) (volume / (cutoff * norm(cross(a, b))))),
        };
    }

    /** {@code fit_box_in_cell} of a cube of half-side {@code cutoff}, halved as {@code calc_connect} does. */
    private static int[] imageCells(double[][] g, double cutoff) {
        double[] max = new double[3];
        for (int k = -1; k <= 1; k += 2) {
            for (int j = -1; j <= 1; j += 2) {
                for (int i = -1; i <= 1; i += 2) {
                    double[] v = {i * cutoff, j * cutoff, k * cutoff};
                    for (int r = 0; r < 3; r++) {
                        double p = 0.0;
                        for (int c = 0; c < 3; c++) {
                            p = p + g[r][c] * v[c];
                        }
                        max[r] = Math.max(max[r], Math.abs(p));
                    }
                }
            }
        }
        int[] images = new int[3];
        for (int r = 0; r < 3; r++) {
            images[r] = Math.max(1, ((int) Math.ceil(2.0 * max[r]) + 1) / 2);
        }
        return images;
    }

    /** {@code matrix3x3_inverse}: rows of the inverse are cross products of the columns over the triple product. */
    private static double[][] inverse(double[][] l) {
        double[] a = column(l, 0);
        double[] b = column(l, 1);
        double[] c = column(l, 2);
        double stp = tripleProduct(a, b, c);
        double[][] g = {cross(b, c), cross(c, a), cross(a, b)};
        for (double[] row : g) {
            for (int k = 0; k < 3; k++) {
                row[k] = row[k] / stp;
            }
        }
        return g;
    }

    /** libAtoms' {@code matrix_product_vect} of a 3×3 matrix and atom i's position, summed over columns in order. */
    private static double[] multiply(double[][] m, double[] pos, int i) {
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 3; r++) {
                out[r] = out[r] + m[r][c] * pos[3 * i + c];
            }
        }
        return out;
    }

    private static double[] column(double[][] l, int m) {
        return new double[] {l[0][m], l[1][m], l[2][m]};
    }

    private static double[] cross(double[] x, double[] y) {
        return new double[] {
            +(x[1] * y[2] - x[2] * y[1]),
            -(x[0] * y[2] - x[2] * y[0]),
            +(x[0] * y[1] - x[1] * y[0]),
        };
    }

    private static double tripleProduct(double[] x, double[] y, double[] z) {
        return +x[0] * (y[1] * z[2] - y[2] * z[1])
                - x[1] * (y[0] * z[2] - y[2] * z[0])
                + x[2] * (y[0] * z[1] - y[1] * z[0]);
    }

    private static double norm(double[] v) {
        return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }

    /** The bonds i ≤ j in the order they are formed; QUIP's {@code neighbour1} and {@code neighbour2} tables. */
    private static final class Bonds {
        private final int atoms;
        private final boolean[] periodic;
        private int count;
        private int[] i = new int[64];
        private int[] j = new int[64];
        private int[] shift = new int[192];

        Bonds(int atoms, boolean[] periodic) {
            this.atoms = atoms;
            this.periodic = periodic;
        }

        /** Keeps the bond unless it crosses a direction the structure calls non-periodic. */
        void add(int a, int b, int na, int nb, int nc) {
            if ((na != 0 && !periodic[0]) || (nb != 0 && !periodic[1]) || (nc != 0 && !periodic[2])) {
                return;
            }
            if (count == i.length) {
                i = java.util.Arrays.copyOf(i, 2 * count);
                j = java.util.Arrays.copyOf(j, 2 * count);
                shift = java.util.Arrays.copyOf(shift, 6 * count);
            }
            i[count] = a;
            j[count] = b;
            shift[3 * count] = na;
            shift[3 * count + 1] = nb;
            shift[3 * count + 2] = nc;
            count++;
        }

        /** Atom a's neighbours: its bonds to smaller atoms (neighbour2), then to larger or equal ones (neighbour1). */
        NeighbourList toList(double cutoff) {
            int[] below = new int[atoms + 1];
            int[] above = new int[atoms + 1];
            for (int b = 0; b < count; b++) {
                above[i[b]]++;
                if (i[b] != j[b]) {
                    below[j[b]]++;
                }
            }
            int[] first = new int[atoms + 1];
            for (int a = 0; a < atoms; a++) {
                first[a + 1] = first[a] + below[a] + above[a];
            }
            int[] nextBelow = new int[atoms];
            int[] nextAbove = new int[atoms];
            for (int a = 0; a < atoms; a++) {
                nextBelow[a] = first[a];
                nextAbove[a] = first[a] + below[a];
            }
            int pairs = first[atoms];
            int[] neighbour = new int[pairs];
            int[] image = new int[3 * pairs];
            for (int b = 0; b < count; b++) {
                int p = nextAbove[i[b]]++;
                neighbour[p] = j[b];
                for (int k = 0; k < 3; k++) {
                    image[3 * p + k] = shift[3 * b + k];
                }
                if (i[b] != j[b]) {
                    int q = nextBelow[j[b]]++;
                    neighbour[q] = i[b];
                    for (int k = 0; k < 3; k++) {
                        image[3 * q + k] = -shift[3 * b + k];
                    }
                }
            }
            return new NeighbourList(first, neighbour, image, cutoff, true);
        }
    }
}
