package org.soapstone.engine.gap;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A matrix B (n × len, units of the caller) stored once, at construction, for its products with small blocks of
 * vectors: out[b][i] = Σ_j x_b[j] B[i][j] (x Bᵀ, {@code dgemm} with a transposed operand). Panel p holds rows
 * pW … pW + W − 1 of B column by column — for each j the W values B[pW + c][j], contiguous, zero past row n — with
 * W = three vectors of the platform's preferred width (JDK Vector API).
 *
 * <p>BLAS packs a whole operand into such panels on every call: for the evaluator's small blocks against 1000
 * sparse points, 2.6 MB per product for SOAP n_max = l_max = 8, which OpenBLAS's {@code dgemm} cannot amortise
 * (its two products take 1.57× the time of these at 16 instances, 1.24× at 32: {@code KernelProductBenchmark});
 * the same for a σ batch's products with a truncated variance projection ({@link VarianceProjection}).
 * Here the layout is the packed one from the start. The micro-kernel keeps a 4-vector × W block of out in
 * registers (12 accumulators) and adds, for j = 0, 1, …, len − 1, B's panel column j times x_b[j]: each out[b][i]
 * is one fma chain in increasing j from zero, the same bit for bit at any vector width, block size or JIT level.
 * Immutable and thread-safe.
 */
public final class PanelledRows {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Rows of B per panel: three vectors. */
    public static final int WIDTH = 3 * LANES;
    /** Vectors x_b per register block. */
    private static final int BLOCK = 4;

    private final int n;
    private final int len;
    private final int panels;
    private final double[] packed;

    /**
     * @param b B row-major: B[i][j] at i·len + j
     * @param n rows
     * @param len columns, the length of each x_b
     */
    public PanelledRows(double[] b, int n, int len) {
        this.n = n;
        this.len = len;
        this.panels = (n + WIDTH - 1) / WIDTH;
        this.packed = new double[panels * len * WIDTH];
        for (int i = 0; i < n; i++) {
            int p = i / WIDTH, c = i % WIDTH;
            for (int j = 0; j < len; j++) {
                packed[(p * len + j) * WIDTH + c] = b[i * len + j];
            }
        }
    }

    /** @param bt Bᵀ row-major (len × n): the rows of B are its columns */
    public static PanelledRows ofTransposed(double[] bt, int n, int len) {
        double[] b = new double[n * len];
        for (int j = 0; j < len; j++) {
            for (int i = 0; i < n; i++) {
                b[i * len + j] = bt[j * n + i];
            }
        }
        return new PanelledRows(b, n, len);
    }

    /** @return the rows n padded to whole panels: the shortest row stride of {@link #multiply}'s output */
    public int paddedRows() {
        return panels * WIDTH;
    }

    /**
     * out[o + b·os + i] = Σ_j x[xo + b·xs + j] B[i][j] for b &lt; count and i &lt; {@link #paddedRows} (zero past n).
     *
     * @param os the output row stride, at least {@link #paddedRows}
     */
    public void multiply(double[] x, int xo, int xs, int count, double[] out, int o, int os) {
        for (int p = 0; p < panels; p++) {
            int base = p * len * WIDTH, col = o + p * WIDTH;
            int b = 0;
            for (; b + BLOCK <= count; b += BLOCK) {
                block(x, xo + b * xs, xs, base, out, col + b * os, os);
            }
            for (; b < count; b++) {
                row(x, xo + b * xs, base, out, col + b * os);
            }
        }
    }

    /** Four vectors x against one panel. */
    private void block(double[] x, int x0, int xs, int base, double[] out, int o, int os) {
        DoubleVector z = DoubleVector.zero(SPECIES);
        DoubleVector a0 = z, a1 = z, a2 = z, b0 = z, b1 = z, b2 = z, c0 = z, c1 = z, c2 = z, d0 = z, d1 = z, d2 = z;
        int x1 = x0 + xs, x2 = x1 + xs, x3 = x2 + xs;
        double[] a = packed;
        for (int j = 0; j < len; j++) {
            int at = base + j * WIDTH;
            DoubleVector v0 = DoubleVector.fromArray(SPECIES, a, at);
            DoubleVector v1 = DoubleVector.fromArray(SPECIES, a, at + LANES);
            DoubleVector v2 = DoubleVector.fromArray(SPECIES, a, at + 2 * LANES);
            DoubleVector t = DoubleVector.broadcast(SPECIES, x[x0 + j]);
            a0 = v0.fma(t, a0);
            a1 = v1.fma(t, a1);
            a2 = v2.fma(t, a2);
            t = DoubleVector.broadcast(SPECIES, x[x1 + j]);
            b0 = v0.fma(t, b0);
            b1 = v1.fma(t, b1);
            b2 = v2.fma(t, b2);
            t = DoubleVector.broadcast(SPECIES, x[x2 + j]);
            c0 = v0.fma(t, c0);
            c1 = v1.fma(t, c1);
            c2 = v2.fma(t, c2);
            t = DoubleVector.broadcast(SPECIES, x[x3 + j]);
            d0 = v0.fma(t, d0);
            d1 = v1.fma(t, d1);
            d2 = v2.fma(t, d2);
        }
        store(a0, a1, a2, out, o);
        store(b0, b1, b2, out, o + os);
        store(c0, c1, c2, out, o + 2 * os);
        store(d0, d1, d2, out, o + 3 * os);
    }

    /** One vector x against one panel (the block's remainder). */
    private void row(double[] x, int x0, int base, double[] out, int o) {
        DoubleVector a0 = DoubleVector.zero(SPECIES), a1 = a0, a2 = a0;
        double[] a = packed;
        for (int j = 0; j < len; j++) {
            int at = base + j * WIDTH;
            DoubleVector t = DoubleVector.broadcast(SPECIES, x[x0 + j]);
            a0 = DoubleVector.fromArray(SPECIES, a, at).fma(t, a0);
            a1 = DoubleVector.fromArray(SPECIES, a, at + LANES).fma(t, a1);
            a2 = DoubleVector.fromArray(SPECIES, a, at + 2 * LANES).fma(t, a2);
        }
        store(a0, a1, a2, out, o);
    }

    private static void store(DoubleVector v0, DoubleVector v1, DoubleVector v2, double[] out, int o) {
        v0.intoArray(out, o);
        v1.intoArray(out, o + LANES);
        v2.intoArray(out, o + 2 * LANES);
    }
}
