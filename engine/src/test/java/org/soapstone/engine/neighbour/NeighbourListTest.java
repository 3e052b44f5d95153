package org.soapstone.engine.neighbour;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/** The linked-cell neighbour list against the O(N²) {@link BruteForceNeighbours}, invariances and crystallography. */
class NeighbourListTest {
    private static final double SI_A = 5.431;

    /** Every periodicity combination T/F along a, b, c. */
    static Stream<boolean[]> periodicities() {
        return IntStream.range(0, 8).mapToObj(k -> new boolean[] {(k & 4) != 0, (k & 2) != 0, (k & 1) != 0});
    }

    @ParameterizedTest
    @MethodSource("periodicities")
    void randomTriclinicCellsMatchBruteForce(boolean[] pbc) {
        Random rng = new Random(Arrays.hashCode(pbc));
        double[] cutoffOverWidth = {0.3, 0.7, 1.3, 2.4};
        for (int t = 0; t < 16; t++) {
            Cell cell = randomCell(rng, pbc, t % 4);
            Structure s = randomStructure(rng, cell, 1 + rng.nextInt(30));
            double cutoff = cutoffOverWidth[t % 4] * min(cell.perpendicularWidths()) * (0.9 + 0.2 * rng.nextDouble());
            String label = "cell " + cell + ", " + s.size() + " atoms, cutoff " + cutoff;
            for (boolean full : new boolean[] {true, false}) {
                assertSameList(BruteForceNeighbours.build(s, cutoff, full), NeighbourList.build(s, cutoff, full),
                        (full ? "full, " : "half, ") + label);
            }
        }
    }

    @Test
    void isolatedMoleculeMatchesBruteForce() {
        Random rng = new Random(7);
        double[] r = new double[120];
        for (int k = 0; k < r.length; k++) {
            r[k] = 8 * rng.nextDouble() - 20;
        }
        Structure s = carbon(r, Cell.none());
        assertBothMatchBruteForce(s, 2.5);
    }

    @Test
    void farApartFragmentsWithoutCellMatchBruteForce() {
        // A bounding box of 10⁵ Å: the bin count must be capped, and the result still exact.
        Random rng = new Random(8);
        int n = 30;
        double[] r = new double[3 * n];
        for (int i = 0; i < n; i++) {
            double shift = i < n / 2 ? 0 : 1e5;
            for (int k = 0; k < 3; k++) {
                r[3 * i + k] = 5 * rng.nextDouble() + shift;
            }
        }
        assertBothMatchBruteForce(carbon(r, Cell.none()), 3.0);
    }

    @Test
    void flatNonPeriodicCellIsTreatedAsNoCell() {
        Random rng = new Random(9);
        Cell flat = new Cell(new double[] {6, 0, 0, 1, 5, 0, 0, 0, 0}, new boolean[3]);
        assertBothMatchBruteForce(randomCartesian(rng, flat, 25, 7.0), 2.8);
    }

    @Test
    void slabWithAtomsFarOutsideAlongTheNonPeriodicDirection() {
        Random rng = new Random(10);
        Cell slab = new Cell(new double[] {4.0, 0, 0, 1.5, 3.8, 0, 0.4, -0.3, 9.0}, new boolean[] {true, true, false});
        Structure s = randomStructure(rng, slab, 30);
        for (int i = 0; i < 5; i++) {
            s.positions()[3 * i + 2] += (i % 2 == 0 ? 40 : -40) + i; // well above and below the cell
        }
        assertBothMatchBruteForce(s, 6.5);
    }

    @Test
    void emptyStructureHasNoPairs() {
        NeighbourList list = NeighbourList.build(new Structure(new int[0], new double[0], Cell.cubic(3)), 2, true);
        assertEquals(0, list.atoms());
        assertEquals(0, list.pairs());
    }

    @Test
    void singleAtomInATinyCubicCellSeesEveryLatticePointInside() {
        // Integer vectors with 0 < |n|² < 6.25: r₃(1..6) = 6, 12, 8, 6, 24, 24 representations as sums of 3 squares.
        double a = 1.0;
        Structure s = carbon(new double[] {0.3, 0.2, 0.1}, Cell.cubic(a));
        NeighbourList full = NeighbourList.build(s, 2.5 * a, true);
        assertEquals(6 + 12 + 8 + 6 + 24 + 24, full.pairs());
        for (int p = 0; p < full.pairs(); p++) {
            assertEquals(0, full.neighbour[p]);
            int[] n = Arrays.copyOfRange(full.image, 3 * p, 3 * p + 3);
            assertEquals(a * Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]), full.distance[p], 1e-12);
        }
        NeighbourList half = NeighbourList.build(s, 2.5 * a, false);
        assertEquals(full.pairs() / 2, half.pairs());
        for (int p = 0; p < half.pairs(); p++) {
            assertTrue(lexicographicallyPositive(half.image, p), "half-list self image must be positive");
        }
    }

    @Test
    void singleAtomInATinyTriclinicCellMatchesBruteForce() {
        Cell tiny = new Cell(new double[] {0.9, 0, 0, 0.6, 0.8, 0, -0.3, 0.5, 1.1}, new boolean[] {true, true, true});
        assertBothMatchBruteForce(carbon(new double[] {2.1, -3.3, 0.7}, tiny), 3.1);
    }

    @Test
    void primitiveDiamondCellHasTheCrystalShells() {
        double h = SI_A / 2;
        Cell primitive = new Cell(new double[] {0, h, h, h, 0, h, h, h, 0}, new boolean[] {true, true, true});
        Structure s = new Structure(new int[] {14, 14}, new double[] {0, 0, 0, SI_A / 4, SI_A / 4, SI_A / 4},
                primitive);
        NeighbourList list = NeighbourList.build(s, 5.0, true);
        double[][] expected = {clusterDistances(0, 5.0), clusterDistances(4, 5.0)};
        for (int i = 0; i < 2; i++) {
            double[] d = Arrays.copyOfRange(list.distance, list.first[i], list.first[i + 1]);
            Arrays.sort(d);
            // Textbook diamond shells: 4 at a√3/4, 12 at a/√2, 12 at a√11/4 (the next, 6 at a, is beyond 5 Å).
            assertEquals(4, countBelow(expected[i], 2.4));
            assertEquals(4 + 12, countBelow(expected[i], 4.0));
            assertEquals(4 + 12 + 12, expected[i].length);
            assertEquals(4, countBelow(d, 2.4), "atom " + i + " nearest neighbours");
            assertEquals(16, countBelow(d, 4.0), "atom " + i + " neighbours within 4 Å");
            assertArrayEquals(expected[i], d, 1e-12, "atom " + i + " neighbour distances");
        }
    }

    @Test
    void conventionalDiamondCellSmallerThanTwiceTheCutoff() {
        NeighbourList list = NeighbourList.build(Crystal.diamond(14, SI_A, 1), 5.0, true);
        double[] expected = clusterDistances(0, 5.0);
        for (int i = 0; i < list.atoms(); i++) {
            double[] d = Arrays.copyOfRange(list.distance, list.first[i], list.first[i + 1]);
            Arrays.sort(d);
            assertArrayEquals(expected, d, 1e-12, "atom " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("periodicities")
    void halfListHoldsEachPairOfTheFullListOnce(boolean[] pbc) {
        Random rng = new Random(11 + Arrays.hashCode(pbc));
        for (int t = 0; t < 6; t++) {
            Cell cell = randomCell(rng, pbc, t % 4);
            Structure s = randomStructure(rng, cell, 2 + rng.nextInt(20));
            double cutoff = (0.5 + t * 0.4) * min(cell.perpendicularWidths());
            NeighbourList full = NeighbourList.build(s, cutoff, true);
            NeighbourList half = NeighbourList.build(s, cutoff, false);
            Map<List<Integer>, Integer> fromFull = new HashMap<>();
            for (int i = 0; i < full.atoms(); i++) {
                for (int p = full.first[i]; p < full.first[i + 1]; p++) {
                    fromFull.merge(canonical(i, full.neighbour[p], full.image, p), 1, Integer::sum);
                }
            }
            Map<List<Integer>, Integer> fromHalf = new HashMap<>();
            for (int i = 0; i < half.atoms(); i++) {
                for (int p = half.first[i]; p < half.first[i + 1]; p++) {
                    List<Integer> key = canonical(i, half.neighbour[p], half.image, p);
                    assertEquals(List.of(i, half.neighbour[p], half.image[3 * p], half.image[3 * p + 1],
                            half.image[3 * p + 2]), key, "half list stores the pair under its canonical form");
                    fromHalf.merge(key, 1, Integer::sum);
                }
            }
            assertEquals(2 * half.pairs(), full.pairs());
            assertEquals(fromFull.keySet(), fromHalf.keySet());
            fromFull.values().forEach(c -> assertEquals(2, c, "each pair twice in the full list"));
            fromHalf.values().forEach(c -> assertEquals(1, c, "each pair once in the half list"));
        }
    }

    @ParameterizedTest
    @MethodSource("periodicities")
    void unwrappingAtomsByLatticeVectorsOnlyShiftsTheImages(boolean[] pbc) {
        Random rng = new Random(12 + Arrays.hashCode(pbc));
        Cell cell = randomCell(rng, pbc, 2);
        Structure wrapped = randomStructure(rng, cell, 25);
        int n = wrapped.size();
        int[] m = new int[3 * n];
        Structure moved = wrapped.copy();
        double[] t = new double[3];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 3; d++) {
                m[3 * i + d] = pbc[d] ? rng.nextInt(7) - 3 : 0;
            }
            cell.toCartesian(m[3 * i], m[3 * i + 1], m[3 * i + 2], t);
            for (int k = 0; k < 3; k++) {
                moved.positions()[3 * i + k] += t[k];
            }
        }
        double cutoff = 1.7 * min(cell.perpendicularWidths());
        NeighbourList before = NeighbourList.build(wrapped, cutoff, true);
        NeighbourList after = NeighbourList.build(moved, cutoff, true);
        assertArrayEquals(before.first, after.first);
        assertArrayEquals(before.neighbour, after.neighbour);
        for (int i = 0; i < n; i++) {
            for (int p = before.first[i]; p < before.first[i + 1]; p++) {
                int j = before.neighbour[p];
                for (int d = 0; d < 3; d++) {
                    assertEquals(before.image[3 * p + d] + m[3 * i + d] - m[3 * j + d], after.image[3 * p + d]);
                    assertEquals(before.vector[3 * p + d], after.vector[3 * p + d], 1e-12);
                }
            }
        }
    }

    @Test
    void fullListIsSymmetric() {
        Random rng = new Random(13);
        Cell cell = randomCell(rng, new boolean[] {true, false, true}, 3);
        Structure s = randomStructure(rng, cell, 30);
        NeighbourList list = NeighbourList.build(s, 1.9 * min(cell.perpendicularWidths()), true);
        Map<List<Integer>, Integer> pairs = new HashMap<>();
        for (int i = 0; i < list.atoms(); i++) {
            for (int p = list.first[i]; p < list.first[i + 1]; p++) {
                pairs.put(List.of(i, list.neighbour[p], list.image[3 * p], list.image[3 * p + 1], list.image[3 * p + 2]),
                        p);
            }
        }
        for (Map.Entry<List<Integer>, Integer> e : pairs.entrySet()) {
            List<Integer> k = e.getKey();
            Integer back = pairs.get(List.of(k.get(1), k.get(0), -k.get(2), -k.get(3), -k.get(4)));
            if (back == null) {
                fail("pair " + k + " has no reverse");
            }
            for (int d = 0; d < 3; d++) {
                assertEquals(-list.vector[3 * e.getValue() + d], list.vector[3 * back + d], 0.0);
            }
        }
    }

    @Test
    void neighboursComeByAtomThenImage() {
        Random rng = new Random(14);
        Cell cell = randomCell(rng, new boolean[] {true, true, true}, 1);
        NeighbourList list = NeighbourList.build(randomStructure(rng, cell, 20), 2.2 * min(cell.perpendicularWidths()),
                true);
        for (int i = 0; i < list.atoms(); i++) {
            for (int p = list.first[i] + 1; p < list.first[i + 1]; p++) {
                int[] prev = {list.neighbour[p - 1], list.image[3 * p - 3], list.image[3 * p - 2], list.image[3 * p - 1]};
                int[] next = {list.neighbour[p], list.image[3 * p], list.image[3 * p + 1], list.image[3 * p + 2]};
                assertTrue(Arrays.compare(prev, next) < 0, "atom " + i + ": " + Arrays.toString(prev) + " before "
                        + Arrays.toString(next));
            }
        }
    }

    @Test
    void sameListForAnyThreadCount() {
        Structure s = Crystal.diamond(14, SI_A, 8);
        Random rng = new Random(15);
        for (int k = 0; k < s.positions().length; k++) {
            s.positions()[k] += 0.2 * rng.nextGaussian();
        }
        try (WorkerPool one = new WorkerPool(1); WorkerPool two = new WorkerPool(2)) {
            for (boolean full : new boolean[] {true, false}) {
                NeighbourList serial = NeighbourList.build(s, 4.77, full, one);
                assertSameList(serial, NeighbourList.build(s, 4.77, full, two), "two workers");
                assertSameList(serial, NeighbourList.build(s, 4.77, full), "default");
            }
        }
    }

    @Test
    void badInputIsRejected() {
        Structure s = carbon(new double[] {0, 0, 0, 1, 1, 1}, Cell.cubic(4));
        assertThrows(IllegalArgumentException.class, () -> NeighbourList.build(s, 0, true));
        assertThrows(IllegalArgumentException.class, () -> NeighbourList.build(s, Double.NaN, true));
        assertThrows(IllegalArgumentException.class, () -> NeighbourList.build(s, Double.POSITIVE_INFINITY, true));
        s.positions()[4] = Double.NaN;
        NonFinitePositionException e = assertThrows(NonFinitePositionException.class,
                () -> NeighbourList.build(s, 2, true));
        assertEquals(1, e.atom());
        assertTrue(e.getMessage().contains("atom 2 "), "atoms are counted from 1 in messages: " + e.getMessage());
    }

    // ---- helpers ----

    static void assertBothMatchBruteForce(Structure s, double cutoff) {
        for (boolean full : new boolean[] {true, false}) {
            assertSameList(BruteForceNeighbours.build(s, cutoff, full), NeighbourList.build(s, cutoff, full),
                    full ? "full" : "half");
        }
    }

    /** The same (i, j, image) triples in the same order, and the same vectors and distances to 1e-12 Å. */
    static void assertSameList(NeighbourList expected, NeighbourList actual, String label) {
        assertEquals(expected.full(), actual.full(), label);
        assertArrayEquals(expected.first, actual.first, () -> label + ": pair counts differ, first = "
                + Arrays.toString(expected.first) + " vs " + Arrays.toString(actual.first));
        // a list refilled in place may have spare capacity past pairs()
        int pairs = expected.pairs();
        assertEquals(pairs, actual.pairs(), label);
        assertArrayEquals(Arrays.copyOf(expected.neighbour, pairs), Arrays.copyOf(actual.neighbour, pairs), label);
        assertArrayEquals(Arrays.copyOf(expected.image, 3 * pairs), Arrays.copyOf(actual.image, 3 * pairs), label);
        assertArrayEquals(Arrays.copyOf(expected.vector, 3 * pairs), Arrays.copyOf(actual.vector, 3 * pairs), 1e-12,
                label);
        assertArrayEquals(Arrays.copyOf(expected.distance, pairs), Arrays.copyOf(actual.distance, pairs), 1e-12,
                label);
    }

    /**
     * Random lattice vectors of lengths 2–7 Å: {@code skewLevel} 0 is orthorhombic, 1–3 add increasingly large
     * random off-diagonal parts (down to 15 % of the orthogonal volume).
     */
    static Cell randomCell(Random rng, boolean[] pbc, int skewLevel) {
        double skew = new double[] {0, 0.25, 0.6, 1.0}[skewLevel];
        while (true) {
            double[] h = new double[9];
            for (int i = 0; i < 3; i++) {
                double length = 2 + 5 * rng.nextDouble();
                for (int k = 0; k < 3; k++) {
                    h[3 * i + k] = length * ((i == k ? 1 : 0) + skew * (2 * rng.nextDouble() - 1));
                }
            }
            Cell cell = new Cell(h, pbc);
            double lengths = 1;
            for (int i = 0; i < 3; i++) {
                lengths *= Math.sqrt(h[3 * i] * h[3 * i] + h[3 * i + 1] * h[3 * i + 1] + h[3 * i + 2] * h[3 * i + 2]);
            }
            if (cell.volume() > 0.15 * lengths) {
                return cell;
            }
        }
    }

    /** Atoms at random fractional coordinates in [−1.5, 2.5): many lie outside the cell. */
    static Structure randomStructure(Random rng, Cell cell, int n) {
        double[] r = new double[3 * n];
        double[] x = new double[3];
        for (int i = 0; i < n; i++) {
            cell.toCartesian(4 * rng.nextDouble() - 1.5, 4 * rng.nextDouble() - 1.5, 4 * rng.nextDouble() - 1.5, x);
            System.arraycopy(x, 0, r, 3 * i, 3);
        }
        return carbon(r, cell);
    }

    private static Structure randomCartesian(Random rng, Cell cell, int n, double box) {
        double[] r = new double[3 * n];
        for (int k = 0; k < r.length; k++) {
            r[k] = box * rng.nextDouble();
        }
        return carbon(r, cell);
    }

    static Structure carbon(double[] r, Cell cell) {
        int[] z = new int[r.length / 3];
        Arrays.fill(z, 6);
        return new Structure(z, r, cell);
    }

    private static double min(double[] v) {
        return Math.min(v[0], Math.min(v[1], v[2]));
    }

    /**
     * Sorted distances (Å) below {@code cutoff} from conventional-cell basis atom {@code b} of a diamond crystal
     * built as an explicit cluster of 7³ conventional cells, with no periodic images involved.
     */
    private static double[] clusterDistances(int b, double cutoff) {
        double[][] basis = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}, {0.25, 0.25, 0.25},
            {0.25, 0.75, 0.75}, {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}};
        List<Double> d = new ArrayList<>();
        for (int i = -3; i <= 3; i++) {
            for (int j = -3; j <= 3; j++) {
                for (int k = -3; k <= 3; k++) {
                    for (double[] q : basis) {
                        double dx = (i + q[0] - basis[b][0]) * SI_A;
                        double dy = (j + q[1] - basis[b][1]) * SI_A;
                        double dz = (k + q[2] - basis[b][2]) * SI_A;
                        double r = Math.sqrt(dx * dx + dy * dy + dz * dz);
                        if (r > 0 && r < cutoff) {
                            d.add(r);
                        }
                    }
                }
            }
        }
        return d.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static int countBelow(double[] sorted, double limit) {
        int c = 0;
        while (c < sorted.length && sorted[c] < limit) {
            c++;
        }
        return c;
    }

    private static boolean lexicographicallyPositive(int[] image, int p) {
        int a = image[3 * p], b = image[3 * p + 1], c = image[3 * p + 2];
        return a > 0 || (a == 0 && (b > 0 || (b == 0 && c > 0)));
    }

    /** (i, j, n) as stored in a half list: i &lt; j, or i = j with n lexicographically positive. */
    private static List<Integer> canonical(int i, int j, int[] image, int p) {
        int a = image[3 * p], b = image[3 * p + 1], c = image[3 * p + 2];
        boolean keep = i < j || (i == j && (a > 0 || (a == 0 && (b > 0 || (b == 0 && c > 0)))));
        return keep ? List.of(i, j, a, b, c) : List.of(j, i, -a, -b, -c);
    }
}
