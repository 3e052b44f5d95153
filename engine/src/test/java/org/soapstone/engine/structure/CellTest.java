package org.soapstone.engine.structure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CellTest {
    private static final Cell TRICLINIC =
            new Cell(new double[] {5.0, 0.0, 0.0, 1.3, 4.6, 0.0, -0.7, 0.9, 6.1}, new boolean[] {true, true, true});

    @Test
    void fractionalAndCartesianAreInverse() {
        Random rng = new Random(1);
        double[] s = new double[3];
        double[] r = new double[3];
        for (int t = 0; t < 100; t++) {
            double x = 20 * rng.nextDouble() - 10, y = 20 * rng.nextDouble() - 10, z = 20 * rng.nextDouble() - 10;
            TRICLINIC.toFractional(x, y, z, s);
            TRICLINIC.toCartesian(s[0], s[1], s[2], r);
            assertArrayEquals(new double[] {x, y, z}, r, 1e-12);
        }
    }

    @Test
    void volumeIsTheTripleProduct() {
        assertEquals(5.0 * 4.6 * 6.1, TRICLINIC.volume(), 1e-12);
    }

    @Test
    void perpendicularWidthsOfAnOrthorhombicCellAreItsEdges() {
        assertArrayEquals(new double[] {3, 4, 5}, Cell.orthorhombic(3, 4, 5).perpendicularWidths(), 1e-12);
        double[] w = TRICLINIC.perpendicularWidths();
        assertEquals(6.1, w[2], 1e-12); // c's height above the a-b plane
    }

    @Test
    void minimumImageIsNoLongerThanAnyImage() {
        Random rng = new Random(2);
        for (int t = 0; t < 200; t++) {
            double[] d = {30 * rng.nextDouble() - 15, 30 * rng.nextDouble() - 15, 30 * rng.nextDouble() - 15};
            double[] m = d.clone();
            TRICLINIC.minimumImage(m);
            double best = Double.POSITIVE_INFINITY;
            double[] img = new double[3];
            for (int a = -6; a <= 6; a++) {
                for (int b = -6; b <= 6; b++) {
                    for (int c = -6; c <= 6; c++) {
                        TRICLINIC.toCartesian(a, b, c, img);
                        double x = d[0] + img[0], y = d[1] + img[1], z = d[2] + img[2];
                        best = Math.min(best, x * x + y * y + z * z);
                    }
                }
            }
            assertEquals(Math.sqrt(best), Math.sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]), 1e-10);
        }
    }

    @Test
    void minimumImageAllocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        double[] d = new double[3];
        double sum = 0;
        // Cold calls (interpreted, before any escape analysis could remove an allocation): none may allocate.
        long before = mx.getThreadAllocatedBytes(thread);
        for (int t = 0; t < 1000; t++) {
            d[0] = 0.01 * t;
            d[1] = -0.02 * t;
            d[2] = 0.005 * t;
            TRICLINIC.minimumImage(d);
            sum += d[0];
        }
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 1024, "1000 minimum images allocated " + allocated + " bytes");
        assertTrue(Double.isFinite(sum));
    }

    @Test
    void periodicCellWithoutVolumeIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new Cell(new double[] {1, 0, 0, 2, 0, 0, 0, 0, 1}, new boolean[] {true, true, true}));
    }

    @Test
    void wrapPutsEveryAtomInsideTheCell() {
        Structure s = new Structure(new int[] {14, 14}, new double[] {-0.5, 7.0, 13.0, 5.2, -4.0, 0.1}, TRICLINIC);
        s.wrap();
        double[] f = s.fractionalPositions();
        for (double v : f) {
            assertEquals(0.5, v, 0.5 + 1e-15);
        }
    }
}
