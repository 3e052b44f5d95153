package org.soapstone.engine.neighbour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

/** The Verlet list against fresh brute-force lists: rebuilds exactly when needed, never misses a pair. */
class VerletNeighbourListTest {
    private static final double CUTOFF = 3.0;
    private static final double SKIN = 1.0;

    @ParameterizedTest
    @MethodSource("org.soapstone.engine.neighbour.NeighbourListTest#periodicities")
    void displacementsWithinHalfTheSkinKeepTheListAndEveryPair(boolean[] pbc) {
        Random rng = new Random(21 + Arrays.hashCode(pbc));
        Cell cell = NeighbourListTest.randomCell(rng, pbc, 2);
        Structure s = NeighbourListTest.randomStructure(rng, cell, 40);
        double[] start = s.positions().clone();
        for (boolean full : new boolean[] {true, false}) {
            VerletNeighbourList verlet = new VerletNeighbourList(CUTOFF, SKIN, full);
            System.arraycopy(start, 0, s.positions(), 0, start.length);
            verlet.update(s);
            for (int step = 0; step < 8; step++) {
                for (int i = 0; i < s.size(); i++) {
                    double[] d = randomDirection(rng);
                    double length = 0.499 * SKIN * rng.nextDouble();
                    for (int k = 0; k < 3; k++) {
                        s.positions()[3 * i + k] = start[3 * i + k] + length * d[k];
                    }
                }
                NeighbourList list = verlet.update(s);
                assertEquals(1, verlet.builds(), "no rebuild for displacements below half the skin");
                NeighbourListTest.assertSameList(BruteForceNeighbours.build(s, CUTOFF, full), withinCutoff(list, CUTOFF),
                        "step " + step + (full ? ", full" : ", half"));
            }
        }
    }

    @Test
    void aDisplacementBeyondHalfTheSkinRebuilds() {
        Random rng = new Random(22);
        Structure s = NeighbourListTest.randomStructure(rng, Cell.cubic(6.0), 30);
        VerletNeighbourList verlet = new VerletNeighbourList(CUTOFF, SKIN, true);
        verlet.update(s);
        s.positions()[3 * 7 + 1] += 0.49 * SKIN;
        verlet.update(s);
        assertEquals(1, verlet.builds());
        s.positions()[3 * 7 + 1] += 0.02 * SKIN;
        NeighbourList list = verlet.update(s);
        assertEquals(2, verlet.builds(), "atom 7 moved 0.51 skin since the build");
        NeighbourListTest.assertSameList(BruteForceNeighbours.build(s, CUTOFF + SKIN, true), list, "after rebuild");
    }

    @Test
    void aRebuildRefillsTheListInPlaceOnceItHasRoom() {
        Random rng = new Random(25);
        Structure s = NeighbourListTest.randomStructure(rng, Cell.cubic(6.0), 30);
        double[] start = s.positions().clone();
        VerletNeighbourList verlet = new VerletNeighbourList(CUTOFF, SKIN, true);
        verlet.update(s);
        s.positions()[3 * 7 + 1] += 0.6 * SKIN;
        NeighbourList moved = verlet.update(s);
        System.arraycopy(start, 0, s.positions(), 0, start.length);
        NeighbourList back = verlet.update(s);
        s.positions()[3 * 7 + 1] += 0.6 * SKIN;
        NeighbourList again = verlet.update(s);
        assertEquals(4, verlet.builds());
        assertSame(back, again, "the same atoms and pair count reuse the list's storage");
        NeighbourListTest.assertSameList(BruteForceNeighbours.build(s, CUTOFF + SKIN, true), again, "refilled");
        System.arraycopy(start, 0, s.positions(), 0, start.length);
        NeighbourListTest.assertSameList(BruteForceNeighbours.build(s, CUTOFF + SKIN, true), verlet.update(s),
                "refilled back");
        assertSame(moved.first, again.first, "one atom count: the offsets are always refilled");
    }

    @Test
    void aChangedCellRebuilds() {
        Random rng = new Random(23);
        Cell cell = NeighbourListTest.randomCell(rng, new boolean[] {true, true, true}, 1);
        Structure s = NeighbourListTest.randomStructure(rng, cell, 30);
        VerletNeighbourList verlet = new VerletNeighbourList(CUTOFF, SKIN, false);
        verlet.update(s);
        verlet.update(s);
        assertEquals(1, verlet.builds());
        s.setCell(cell.deformed(new double[] {1.001, 0, 0, 0, 1, 0, 0, 0, 1}));
        NeighbourList list = verlet.update(s);
        assertEquals(2, verlet.builds(), "a strained cell must rebuild");
        NeighbourListTest.assertSameList(BruteForceNeighbours.build(s, CUTOFF + SKIN, false), list, "after rebuild");
    }

    @Test
    void changedSpeciesOrAtomCountRebuilds() {
        Random rng = new Random(24);
        Structure s = NeighbourListTest.randomStructure(rng, Cell.cubic(5.0), 10);
        VerletNeighbourList verlet = new VerletNeighbourList(CUTOFF, SKIN, true);
        verlet.update(s);
        s.numbers()[3] = 14;
        verlet.update(s);
        assertEquals(2, verlet.builds());
        verlet.update(NeighbourListTest.randomStructure(rng, Cell.cubic(5.0), 11));
        assertEquals(3, verlet.builds());
    }

    @Test
    void rejectsNonPositiveCutoffAndNegativeSkin() {
        assertThrows(IllegalArgumentException.class, () -> new VerletNeighbourList(0, 1, true));
        assertThrows(IllegalArgumentException.class, () -> new VerletNeighbourList(3, -0.1, true));
    }

    /** The pairs of {@code list} closer than {@code cutoff}, in their order, as a list built for that cutoff. */
    private static NeighbourList withinCutoff(NeighbourList list, double cutoff) {
        int n = list.atoms();
        int[] first = new int[n + 1];
        int[] neighbour = new int[list.pairs()];
        int[] image = new int[3 * list.pairs()];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            first[i] = kept;
            for (int p = list.first[i]; p < list.first[i + 1]; p++) {
                if (list.distance[p] < cutoff) {
                    neighbour[kept] = list.neighbour[p];
                    System.arraycopy(list.image, 3 * p, image, 3 * kept, 3);
                    kept++;
                }
            }
        }
        first[n] = kept;
        NeighbourList out = new NeighbourList(first, Arrays.copyOf(neighbour, kept), Arrays.copyOf(image, 3 * kept),
                cutoff, list.full());
        int q = 0;
        for (int p = 0; p < list.pairs(); p++) {
            if (list.distance[p] < cutoff) {
                System.arraycopy(list.vector, 3 * p, out.vector, 3 * q, 3);
                out.distance[q++] = list.distance[p];
            }
        }
        return out;
    }

    private static double[] randomDirection(Random rng) {
        double x = rng.nextGaussian(), y = rng.nextGaussian(), z = rng.nextGaussian();
        double norm = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / norm, y / norm, z / norm};
    }
}
