package org.soapstone.engine.neighbour;

import java.util.Arrays;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

/**
 * The O(N²) reference neighbour search the linked-cell builder is tested against (and benchmarked against):
 * every atom j, in every periodic image n within ceil(cutoff / width) + 1 cells, for every atom i. Same pair
 * conventions and order as {@link NeighbourList}: half lists keep i &lt; j, and for i = j the lexicographically
 * positive images; each atom's neighbours come by ascending j, then image.
 */
public final class BruteForceNeighbours {
    private BruteForceNeighbours() {}

    /**
     * @param s the structure (positions Å, may be unwrapped)
     * @param cutoff the cutoff radius (Å)
     * @param full true for a full list, false for a half list
     * @return the list with vectors and distances computed
     */
    public static NeighbourList build(Structure s, double cutoff, boolean full) {
        int n = s.size();
        Cell cell = s.cell();
        double[] r = s.positions();
        int[] range = new int[3];
        if (cell.hasVolume()) {
            double[] w = cell.perpendicularWidths();
            for (int d = 0; d < 3; d++) {
                range[d] = cell.periodic(d) ? (int) Math.ceil(cutoff / w[d]) + 1 : 0;
            }
        }
        // Integer cell of each atom along the periodic directions: images are searched around it.
        int[] off = new int[3 * n];
        if (cell.anyPeriodic()) {
            double[] f = new double[3];
            for (int i = 0; i < n; i++) {
                cell.toFractional(r[3 * i], r[3 * i + 1], r[3 * i + 2], f);
                for (int d = 0; d < 3; d++) {
                    off[3 * i + d] = cell.periodic(d) ? (int) Math.floor(f[d]) : 0;
                }
            }
        }
        double c2 = cutoff * cutoff;
        int[] nb = new int[64];
        int[] img = new int[192];
        int size = 0;
        int[] first = new int[n + 1];
        double[] t = new double[3];
        for (int i = 0; i < n; i++) {
            first[i] = size;
            for (int j = full ? 0 : i; j < n; j++) {
                for (int a = -range[0]; a <= range[0]; a++) {
                    for (int b = -range[1]; b <= range[1]; b++) {
                        for (int c = -range[2]; c <= range[2]; c++) {
                            if (i == j && (a == 0 && b == 0 && c == 0
                                    || !full && (a < 0 || (a == 0 && (b < 0 || (b == 0 && c < 0)))))) {
                                continue;
                            }
                            int na = a - off[3 * j] + off[3 * i];
                            int nbb = b - off[3 * j + 1] + off[3 * i + 1];
                            int nc = c - off[3 * j + 2] + off[3 * i + 2];
                            cell.toCartesian(na, nbb, nc, t);
                            double dx = r[3 * j] - r[3 * i] + t[0];
                            double dy = r[3 * j + 1] - r[3 * i + 1] + t[1];
                            double dz = r[3 * j + 2] - r[3 * i + 2] + t[2];
                            if (dx * dx + dy * dy + dz * dz < c2) {
                                if (size == nb.length) {
                                    nb = Arrays.copyOf(nb, 2 * size);
                                    img = Arrays.copyOf(img, 6 * size);
                                }
                                nb[size] = j;
                                img[3 * size] = na;
                                img[3 * size + 1] = nbb;
                                img[3 * size + 2] = nc;
                                size++;
                            }
                        }
                    }
                }
            }
        }
        first[n] = size;
        NeighbourList list = new NeighbourList(first, Arrays.copyOf(nb, size), Arrays.copyOf(img, 3 * size), cutoff,
                full);
        list.recompute(s);
        return list;
    }
}
