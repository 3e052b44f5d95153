package org.soapstone.engine.neighbour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

/**
 * QUIP's neighbour order holds the same pairs as the linked-cell list (itself checked against brute force), in
 * QUIP's layout: each atom's neighbours of lower index first, both directions of a bond with bit-identical lengths.
 * That the order is QUIP's own is checked by the peer cases ({@code GapFitPeerCasesTest}): gap_fit's
 * {@code sparse_method=uniform} indices of QUIP's test data, which number every pair in this order, are reproduced.
 */
class QuipNeighbourOrderTest {

    @ParameterizedTest
    @MethodSource("org.soapstone.engine.neighbour.NeighbourListTest#periodicities")
    void samePairsAsTheLinkedCellListInQuipsLayout(boolean[] pbc) {
        Random rng = new Random(31 + Arrays.hashCode(pbc));
        double[] cutoffOverWidth = {0.3, 0.7, 1.3, 2.4};
        for (int t = 0; t < 16; t++) {
            Cell cell = NeighbourListTest.randomCell(rng, pbc, t % 4);
            Structure s = NeighbourListTest.randomStructure(rng, cell, 1 + rng.nextInt(30));
            double width = Arrays.stream(cell.perpendicularWidths()).min().orElseThrow();
            double cutoff = cutoffOverWidth[t % 4] * width * (0.9 + 0.2 * rng.nextDouble());
            assertQuipLayout(s, cutoff, "cell " + cell + ", " + s.size() + " atoms, cutoff " + cutoff);
        }
    }

    @Test
    void flatCellKeepsTheLinkedCellOrder() {
        Structure s = NeighbourListTest.carbon(new double[] {0, 0, 0, 1.2, 0.3, 0, 2.5, 1.1, 0},
                new Cell(new double[] {4, 0, 0, 0, 4, 0, 0, 0, 0}, new boolean[3]));
        NeighbourList quip = QuipNeighbourOrder.build(s, 3.0);
        NeighbourListTest.assertSameList(NeighbourList.build(s, 3.0, true), quip, "flat cell");
    }

    @Test
    void frameWithoutACellIsInQuipsVacuumBox() {
        Random rng = new Random(8);
        double[] r = new double[90];
        for (int k = 0; k < r.length; k++) {
            r[k] = 6 * rng.nextDouble() - 3;
        }
        Structure s = NeighbourListTest.carbon(r, Cell.none());
        assertQuipLayout(s, 2.5, "no cell");
        assertQuipLayout(s, 17.0, "no cell, QUIP's images in its 10 Å box left out");
    }

    private static void assertQuipLayout(Structure s, double cutoff, String label) {
        NeighbourList quip = QuipNeighbourOrder.build(s, cutoff);
        NeighbourList cells = NeighbourList.build(s, cutoff, true);
        assertTrue(quip.full(), label);
        assertEquals(cutoff, quip.cutoff(), label);
        assertEquals(pairs(cells), pairs(quip), label);
        Map<String, Double> length = new HashMap<>();
        for (int i = 0; i < quip.atoms(); i++) {
            boolean above = false;
            for (int p = quip.first[i]; p < quip.first[i + 1]; p++) {
                int j = quip.neighbour[p];
                above |= j >= i;
                assertTrue(j >= i || !above, label + ": atom " + i + " lists a lower neighbour after a higher one");
                length.put(i + " " + j + " " + quip.image[3 * p] + " " + quip.image[3 * p + 1] + " "
                        + quip.image[3 * p + 2], quip.distance[p]);
            }
        }
        for (int i = 0; i < quip.atoms(); i++) {
            for (int p = quip.first[i]; p < quip.first[i + 1]; p++) {
                String back = quip.neighbour[p] + " " + i + " " + -quip.image[3 * p] + " " + -quip.image[3 * p + 1]
                        + " " + -quip.image[3 * p + 2];
                assertEquals(Double.doubleToRawLongBits(quip.distance[p]),
                        Double.doubleToRawLongBits(length.get(back)), label + ": both directions of a bond");
            }
        }
    }

    /** The pairs (i, j, image) with their distances, sorted, as text. */
    private static String pairs(NeighbourList list) {
        String[] out = new String[list.pairs()];
        int k = 0;
        for (int i = 0; i < list.atoms(); i++) {
            for (int p = list.first[i]; p < list.first[i + 1]; p++) {
                out[k++] = String.format("%d %d %d %d %d %.12f", i, list.neighbour[p], list.image[3 * p],
                        list.image[3 * p + 1], list.image[3 * p + 2], list.distance[p]);
            }
        }
        Arrays.sort(out);
        return String.join("\n", out);
    }
}
