package org.soapstone.engine.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PanelledRowsTest {

    /**
     * x Bᵀ against the plain loop that adds x_b[j] B[i][j] by fma in increasing j from zero — bit for bit, as the
     * class promises — for row counts that leave a partial panel, block counts that leave partial 4-vector blocks,
     * strides wider than the rows, and B given transposed; the padding rows come out zero and nothing past them
     * is written.
     */
    @ParameterizedTest
    @CsvSource({"1, 1, 1", "7, 3, 5", "24, 4, 17", "50, 9, 33", "1000, 32, 324", "324, 6, 1000"})
    void productsEqualTheFmaChainOfEachEntry(int n, int count, int len) {
        SplittableRandom rnd = new SplittableRandom(n * 131L + count * 7L + len);
        double[] b = new double[n * len];
        double[] bt = new double[len * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < len; j++) {
                b[i * len + j] = rnd.nextDouble(-1, 1);
                bt[j * n + i] = b[i * len + j];
            }
        }
        int xs = len + 3;
        double[] x = new double[2 + count * xs];
        for (int c = 0; c < x.length; c++) {
            x[c] = rnd.nextDouble(-2, 2);
        }
        for (PanelledRows rows : new PanelledRows[] {new PanelledRows(b, n, len), PanelledRows.ofTransposed(bt, n,
                len)}) {
            int os = rows.paddedRows() + 5;
            double[] out = new double[1 + count * os];
            java.util.Arrays.fill(out, Double.NaN);
            rows.multiply(x, 2, xs, count, out, 1, os);
            assertEquals(Double.NaN, out[0]);
            for (int r = 0; r < count; r++) {
                for (int i = 0; i < rows.paddedRows(); i++) {
                    double expected = 0;
                    for (int j = 0; j < len && i < n; j++) {
                        expected = Math.fma(b[i * len + j], x[2 + r * xs + j], expected);
                    }
                    assertEquals(expected, out[1 + r * os + i], 0, "row " + r + ", entry " + i);
                }
                for (int i = rows.paddedRows(); i < os && 1 + r * os + i < out.length; i++) {
                    assertEquals(Double.NaN, out[1 + r * os + i], "past the padding of row " + r);
                }
            }
        }
    }
}
