package org.soapstone.engine.neighbour;

import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

/**
 * Builds {@link NeighbourList}s. PLACEHOLDER: an O(N²) search over periodic images, to be replaced by the
 * linked-cell algorithm.
 */
final class CellListBuilder {
    private CellListBuilder() {}

    static NeighbourList build(Structure s, double cutoff, boolean full) {
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
        IntList nb = new IntList();
        IntList img = new IntList();
        int[] first = new int[n + 1];
        double[] t = new double[3];
        for (int i = 0; i < n; i++) {
            first[i] = nb.size;
            for (int j = full ? 0 : i; j < n; j++) {
                for (int a = -range[0]; a <= range[0]; a++) {
                    for (int b = -range[1]; b <= range[1]; b++) {
                        for (int c = -range[2]; c <= range[2]; c++) {
                            int na = a - off[3 * j] + off[3 * i];
                            int nbb = b - off[3 * j + 1] + off[3 * i + 1];
                            int nc = c - off[3 * j + 2] + off[3 * i + 2];
                            if (i == j && a == 0 && b == 0 && c == 0) {
                                continue;
                            }
                            if (!full && i == j && (a < 0 || (a == 0 && (b < 0 || (b == 0 && c < 0))))) {
                                continue;
                            }
                            cell.toCartesian(na, nbb, nc, t);
                            double dx = r[3 * j] - r[3 * i] + t[0];
                            double dy = r[3 * j + 1] - r[3 * i + 1] + t[1];
                            double dz = r[3 * j + 2] - r[3 * i + 2] + t[2];
                            if (dx * dx + dy * dy + dz * dz < c2) {
                                nb.add(j);
                                img.add(na);
                                img.add(nbb);
                                img.add(nc);
                            }
                        }
                    }
                }
            }
        }
        first[n] = nb.size;
        return new NeighbourList(first, nb.toArray(), img.toArray(), cutoff, full);
    }

    /** A growable int array. */
    static final class IntList {
        int[] data = new int[64];
        int size;

        void add(int v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, 2 * size);
            }
            data[size++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
