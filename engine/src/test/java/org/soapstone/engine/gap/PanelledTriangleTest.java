package org.soapstone.engine.gap;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soapstone.gp.NativeDoubles;

class PanelledTriangleTest {

    /**
     * ‖U k‖² against the plain double loop over the upper triangle, for sizes that are not multiples of the panel
     * width and row counts that leave partial 4-row blocks and cross the 64-row chunks. Entries below the diagonal
     * of the given matrix are garbage: only the upper triangle may be read.
     */
    @ParameterizedTest
    @CsvSource({"1, 1", "7, 3", "37, 5", "50, 70", "129, 133"})
    void squaredNormsEqualTheDirectTriangularProduct(int m, int count) {
        SplittableRandom rnd = new SplittableRandom(m * 31L + count);
        NativeDoubles u = new NativeDoubles((long) m * m);
        double[] plain = new double[m * m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < m; i++) {
                double v = rnd.nextDouble(-1, 1);
                u.segment.setAtIndex(JAVA_DOUBLE, (long) j * m + i, v);
                plain[j * m + i] = i >= j ? v : 0;
            }
        }
        double[] rows = new double[count * m];
        for (int c = 0; c < rows.length; c++) {
            rows[c] = rnd.nextDouble(-2, 2);
        }
        double[] given = rows.clone();
        double[] out = new double[count + 1];
        out[count] = 12345;
        new PanelledTriangle(u.segment, m).squaredNorms(rows, count, out);
        for (int c = 0; c < count; c++) {
            double q = 0;
            for (int j = 0; j < m; j++) {
                double y = 0;
                for (int i = 0; i < m; i++) {
                    y += plain[j * m + i] * rows[c * m + i];
                }
                q += y * y;
            }
            assertEquals(q, out[c], 1e-12 * Math.max(1, q), "row " + c);
            for (int i = 0; i < m; i++) {
                assertEquals(given[c * m + i], rows[c * m + i], "rows unchanged");
            }
        }
        assertEquals(12345, out[count], "nothing written past count");
    }

    /**
     * The order of every sum is fixed by construction, not by the vector width or the JIT: each row's ‖U k‖² is bit
     * for bit Σ_j (Σ_{i≥j} U[j][i] k[i])² with the inner sums fma chains in increasing i and the outer sum taken in
     * increasing j, as a plain loop computes it.
     */
    @ParameterizedTest
    @CsvSource({"1, 1", "7, 3", "37, 5", "129, 70"})
    void squaredNormsAreTheColumnOrderSumsOfFmaChainsBitForBit(int m, int count) {
        SplittableRandom rnd = new SplittableRandom(m * 17L + count);
        NativeDoubles u = new NativeDoubles((long) m * m);
        for (int c = 0; c < m * m; c++) {
            u.segment.setAtIndex(JAVA_DOUBLE, c, rnd.nextDouble(-1, 1));
        }
        double[] rows = new double[count * m];
        for (int c = 0; c < count * m; c++) {
            rows[c] = rnd.nextDouble(-2, 2);
        }
        double[] out = new double[count];
        new PanelledTriangle(u.segment, m).squaredNorms(rows, count, out);
        for (int c = 0; c < count; c++) {
            double q = 0;
            for (int j = 0; j < m; j++) {
                double y = 0;
                for (int i = j; i < m; i++) {
                    y = Math.fma(u.segment.getAtIndex(JAVA_DOUBLE, (long) j * m + i),
                            rows[c * m + i], y);
                }
                q += y * y;
            }
            assertEquals(Double.doubleToLongBits(q), Double.doubleToLongBits(out[c]),
                    "row " + c + ": " + out[c] + " vs the plain loop's " + q);
        }
    }
}
