package org.soapstone.engine.gap;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.soapstone.gp.NativeDoubles;

/**
 * The squared norms ‖U k_r‖² (units of the caller: eV² for a variance factor) of a batch of rows k_r under an upper
 * triangular M × M matrix U, with U stored once, at construction, as column panels of the lower triangular Uᵀ:
 * panel p holds, for i = pW … M − 1, the W values U[pW + c][i] (c &lt; W, zero past the diagonal or M), contiguous.
 *
 * <p>This is {@code dtrmm} followed by the row sums of squares, without its per-call cost: BLAS packs the whole
 * M × M operand into its own panel layout on every call (4 MB at M = 1000), which a small batch cannot amortise — at
 * 64 rows (a 64-atom step on one thread) packing added about a third to the product, at 32 rows (two threads) two
 * thirds. Here the layout is the packed one from the start. The micro-kernel keeps a 4-row × W-column block of
 * U k_r in registers (W = two vectors of the platform's preferred width, JDK Vector API), adds Uᵀ's row i times
 * k_r[i] over i ≥ pW (M²/2 multiply-adds per row, as {@code dtrmm}), and squares and sums the block: the products
 * themselves are never stored. Panels are the outer loop, so each (≤ M·W doubles, 128 KB at M = 1000 on AVX-512)
 * is read from memory once per 64 rows and reused from cache. The squares are added one at a time in column
 * order (no cross-lane reduction): ‖U k_r‖² is Σ_j (Σ_{i≥j} U[j][i] k_r[i])², each inner sum an fma chain in
 * increasing i and the outer sum in increasing j, the same bit for bit in any JVM and at any vector width.
 * Immutable and thread-safe.
 */
final class PanelledTriangle {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Columns per panel: two vectors. */
    private static final int WIDTH = 2 * LANES;
    /** Rows per pass over the panels, so that their slices stay in the core's cache with the panel. */
    private static final int ROW_CHUNK = 64;

    private final int m;
    private final int panels;
    private final long[] panelStart;
    private final MemorySegment packed;

    /**
     * @param upper U row-major, M × M (only the upper triangle is read)
     * @param m M
     */
    PanelledTriangle(MemorySegment upper, int m) {
        this.m = m;
        this.panels = (m + WIDTH - 1) / WIDTH;
        this.panelStart = new long[panels + 1];
        for (int p = 0; p < panels; p++) {
            panelStart[p + 1] = panelStart[p] + (long) (m - p * WIDTH) * WIDTH;
        }
        NativeDoubles storage = new NativeDoubles(panelStart[panels]);
        this.packed = storage.segment;
        for (int p = 0; p < panels; p++) {
            int j0 = p * WIDTH;
            for (int i = j0; i < m; i++) {
                long row = panelStart[p] + (long) (i - j0) * WIDTH;
                for (int c = 0; c < WIDTH && j0 + c <= i; c++) {
                    packed.setAtIndex(JAVA_DOUBLE, row + c, upper.getAtIndex(JAVA_DOUBLE, (long) (j0 + c) * m + i));
                }
            }
        }
    }

    /**
     * out[r] = ‖U k_r‖² for the rows k_r (M doubles each, row-major in {@code rows}), r &lt; count; reads the rows,
     * does not change them.
     */
    void squaredNorms(double[] rows, int count, double[] out) {
        java.util.Arrays.fill(out, 0, count, 0);
        for (int c0 = 0; c0 < count; c0 += ROW_CHUNK) {
            int c1 = Math.min(count, c0 + ROW_CHUNK);
            for (int p = 0; p < panels; p++) {
                for (int r = c0; r < c1; r += 4) {
                    block(rows, r, c1, p, out);
                }
            }
        }
    }

    /** Rows r … min(r + 4, end) − 1 against panel p: adds the squared norms of their W entries of U k to out. */
    private void block(double[] rows, int r, int end, int p, double[] out) {
        int j0 = p * WIDTH;
        // rows past the end repeat the last row; their sums are discarded
        int k0 = r * m;
        int k1 = Math.min(r + 1, end - 1) * m;
        int k2 = Math.min(r + 2, end - 1) * m;
        int k3 = Math.min(r + 3, end - 1) * m;
        DoubleVector a0 = DoubleVector.zero(SPECIES), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        long at = 8 * panelStart[p];
        for (int i = j0; i < m; i++, at += 8L * WIDTH) {
            DoubleVector u = DoubleVector.fromMemorySegment(SPECIES, packed, at, ByteOrder.nativeOrder());
            DoubleVector v = DoubleVector.fromMemorySegment(SPECIES, packed, at + 8L * LANES, ByteOrder.nativeOrder());
            DoubleVector x0 = DoubleVector.broadcast(SPECIES, rows[k0 + i]);
            DoubleVector x1 = DoubleVector.broadcast(SPECIES, rows[k1 + i]);
            DoubleVector x2 = DoubleVector.broadcast(SPECIES, rows[k2 + i]);
            DoubleVector x3 = DoubleVector.broadcast(SPECIES, rows[k3 + i]);
            a0 = u.fma(x0, a0);
            b0 = v.fma(x0, b0);
            a1 = u.fma(x1, a1);
            b1 = v.fma(x1, b1);
            a2 = u.fma(x2, a2);
            b2 = v.fma(x2, b2);
            a3 = u.fma(x3, a3);
            b3 = v.fma(x3, b3);
        }
        out[r] = addSquares(out[r], a0, b0);
        if (r + 1 < end) {
            out[r + 1] = addSquares(out[r + 1], a1, b1);
        }
        if (r + 2 < end) {
            out[r + 2] = addSquares(out[r + 2], a2, b2);
        }
        if (r + 3 < end) {
            out[r + 3] = addSquares(out[r + 3], a3, b3);
        }
    }

    /**
     * {@code sum} plus the squares of a panel's W entries of U k, added one at a time in column order: with the
     * panels taken in order, ‖U k‖² is summed column by column from column 0, whatever the vector width or the JIT
     * ({@code reduceLanes} would leave the order to the JIT).
     */
    private static double addSquares(double sum, DoubleVector a, DoubleVector b) {
        DoubleVector sa = a.mul(a), sb = b.mul(b);
        for (int c = 0; c < LANES; c++) {
            sum += sa.lane(c);
        }
        for (int c = 0; c < LANES; c++) {
            sum += sb.lane(c);
        }
        return sum;
    }
}
