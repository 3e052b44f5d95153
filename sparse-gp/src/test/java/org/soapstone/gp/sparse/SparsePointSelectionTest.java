package org.soapstone.gp.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.gp.SparsePoints;

class SparsePointSelectionTest {

    private static final int D = 8;

    /** 200 rows of small noise plus D rows (at known indices), row s along axis s with length 10·(s + 1). */
    private static double[] axesPlusNoise(Random random, int[] strong) {
        int n = 200;
        double[] x = new double[n * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1e-3 * random.nextGaussian();
        }
        for (int s = 0; s < strong.length; s++) {
            x[strong[s] * D + s] += 10.0 * (s + 1);
        }
        return x;
    }

    @Test
    void curPicksTheRowsOfTheTopHalfOfTheSpectrumAsGapFit() {
        int[] strong = {3, 41, 97, 150, 188, 7, 60, 120};
        double[] x = axesPlusNoise(new Random(1), strong);
        // rank 8 → k = 4: the four longest axes (rows 188, 7, 60, 120) have U² = 1 in the top-4 subspace, so p = 1
        double[] p = CurSelection.probabilities(x, D, 4);
        for (int s = 4; s < 8; s++) {
            assertEquals(1.0, p[strong[s]], 1e-6, "row " + strong[s]);
        }
        assertEquals(4.0, Arrays.stream(p).sum(), 1e-3);
        for (long seed = 1; seed < 6; seed++) {
            int[] chosen = new CurSelection().indices(x, D, 4, new GapFitRandom(seed));
            Arrays.sort(chosen);
            assertArrayEquals(new int[] {7, 60, 120, 188}, chosen, "seed " + seed);
        }
    }

    @Test
    void curIsDeterministicUnderItsSeed() {
        Random random = new Random(2);
        double[] x = new double[300 * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        int[] a = new CurSelection().indices(x, D, 20, new GapFitRandom(42));
        assertArrayEquals(a, new CurSelection().indices(x, D, 20, new GapFitRandom(42)));
        assertFalse(Arrays.equals(a, new CurSelection().indices(x, D, 20, new GapFitRandom(43))));
        assertEquals(20, Arrays.stream(a).distinct().count());
        GapFitRandom shared = new GapFitRandom(42);
        new CurSelection().indices(x, D, 20, shared);
        assertFalse(Arrays.equals(a, new CurSelection().indices(x, D, 20, shared)),
                "a second term continues the generator's stream, as in gap_fit");
        SparsePoints p = new CurSelection().select(x, D, 20, new GapFitRandom(42));
        assertArrayEquals(Arrays.copyOfRange(x, a[0] * D, a[0] * D + D), Arrays.copyOf(p.points(), D));
    }

    @Test
    void randomSelectionIsDistinctInRangeAndReproducible() {
        double[] x = new double[50 * D];
        int[] a = new RandomSelection().indices(x, D, 50, new GapFitRandom(7));
        Arrays.sort(a);
        assertArrayEquals(java.util.stream.IntStream.range(0, 50).toArray(), a);
        int[] b = new RandomSelection().indices(x, D, 10, new GapFitRandom(7));
        assertArrayEquals(b, new RandomSelection().indices(x, D, 10, new GapFitRandom(7)));
        assertEquals(10, Arrays.stream(b).distinct().count());
        assertTrue(Arrays.stream(b).allMatch(i -> i >= 0 && i < 50));
        assertThrows(IllegalArgumentException.class,
                () -> new RandomSelection().indices(x, D, 51, new GapFitRandom(7)));
    }

    @Test
    void uniformSelectionTakesTheFirstCandidateOfEachBinAsGapFit() {
        double[] r = {2.7, 1.5, 4.0, 3.1, 1.6, 3.9, 2.0};
        // 3 bins over [1.5, 4]: nint((x − 1.5)/2.5·2) = 1 0 2 1 0 2 0 → first of each bin, in candidate order
        assertArrayEquals(new int[] {0, 1, 2}, new UniformSelection().indices(r, 1, 3, new GapFitRandom(1)));
        // 5 bins: 2 0 4 3 0 4 1 → 0, 1, 2, 3, 6 with no random draw
        GapFitRandom untouched = new GapFitRandom(1);
        assertArrayEquals(new int[] {0, 1, 2, 3, 6}, new UniformSelection().indices(r, 1, 5, untouched));
        assertEquals(new LibAtomsRandom(1).next(), untouched.libAtoms().next(), "no draw when every bin is filled in order");
        // 6 bins: 2 0 5 3 0 5 1, five occupied: the sixth point is 4 (bin 0) or 5 (bin 5), drawn reproducibly
        int[] six = new UniformSelection().indices(r, 1, 6, new GapFitRandom(9));
        assertArrayEquals(new int[] {0, 1, 2, 3, 6}, Arrays.copyOf(six, 5));
        assertTrue(six[5] == 4 || six[5] == 5, Arrays.toString(six));
        assertArrayEquals(six, new UniformSelection().indices(r, 1, 6, new GapFitRandom(9)));
        // 7 points: every candidate
        int[] all = new UniformSelection().indices(r, 1, 7, new GapFitRandom(9));
        Arrays.sort(all);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, all);
        assertThrows(IllegalArgumentException.class,
                () -> new UniformSelection().indices(r, 1, 8, new GapFitRandom(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new UniformSelection().indices(new double[] {2, 2, 2}, 1, 2, new GapFitRandom(1)));
    }

    /** Park &amp; Miller's own check of the minimal standard generator: from seed 1, the 10 000th state. */
    @Test
    void libAtomsGeneratorIsTheMinimalStandardAfterOneHundredDiscardedDraws() {
        LibAtomsRandom random = new LibAtomsRandom(1);
        for (int k = 101; k < 10_000; k++) {
            random.next();
        }
        assertEquals(1043618065, random.next(), "Park & Miller (1988): x_10000 = 1043618065 from x_0 = 1");
        // the first draws from seed 1 are 16807, 282475249, 1622650073: the 101st follows the 100 discarded
        long x = 1;
        for (int k = 0; k < 101; k++) {
            x = x * 16807 % 2147483647L;
        }
        LibAtomsRandom fresh = new LibAtomsRandom(1);
        double u = fresh.uniform();
        assertEquals(x / 2147483647.0, u, 0.0);
        assertTrue(u > 0 && u < 1);
        assertEquals((int) Math.ceil(new LibAtomsRandom(5).uniform() * 17) - 1, new LibAtomsRandom(5).index(17));
        assertThrows(IllegalArgumentException.class, () -> new LibAtomsRandom(0));
        assertThrows(IllegalArgumentException.class, () -> new LibAtomsRandom(LibAtomsRandom.MODULUS));
    }

    /**
     * gfortran's generator: xoshiro256** (its first output from the state is rotl(5·s₁, 7)·9, by definition) from
     * the seed scrambled with libgfortran's keys; deviates in [0, 1) from the top 53 bits. That the stream is
     * gfortran's is checked against gap_fit's {@code sparse_method=random} ({@code GapFitSparsePointsTest}).
     */
    @Test
    void gfortranGeneratorIsXoshiro256StarStarOnTheScrambledSeed() {
        long word = 7L | (7L << 32);
        long s1 = word ^ 0xd46061cd46e1df38L;
        assertEquals(Long.rotateLeft(s1 * 5, 7) * 9, new GfortranRandom(7).next());
        GfortranRandom random = new GfortranRandom(7);
        GfortranRandom bits = new GfortranRandom(7);
        for (int k = 0; k < 1000; k++) {
            double u = random.uniform();
            assertTrue(u >= 0 && u < 1);
            assertEquals((bits.next() >>> 11) * 0x1.0p-53, u, 0.0);
        }
    }

    /** libAtoms' heap sort, traced by hand on the Fortran: equal keys [1 1 1] carry data [a b c] to [b c a]. */
    @Test
    void heapSortOrdersAsLibAtomsDoesIncludingEqualKeys() {
        int[] data = {0, 1, 2};
        HeapSort.sort(new double[] {1, 1, 1}, data);
        assertArrayEquals(new int[] {1, 2, 0}, data);
        Random random = new Random(3);
        double[] keys = new double[1000];
        int[] index = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextInt(50) * 0.5;
            index[i] = i;
        }
        double[] original = keys.clone();
        double[] sorted = keys.clone();
        Arrays.sort(sorted);
        HeapSort.sort(keys, index);
        assertArrayEquals(sorted, keys);
        for (int i = 0; i < keys.length; i++) {
            assertEquals(original[index[i]], keys[i], "data follows its key");
        }
        assertEquals(keys.length, Arrays.stream(index).distinct().count());
    }

    @Test
    void duplicatesAreDroppedAsGapFitDropsThem() {
        double[] x = {
            1, 2, // 0: hash 3
            0, 5, // 1: hash 5
            1, 2 + 4e-11, // 2: within 1e-10 of row 0, next to it in hash order: row 0 (first in that order) dropped
            7, 0, // 3
            0, 5, // 4: identical to row 1: one of the two dropped
        };
        int[] kept = DuplicateFilter.GAP_FIT.kept(x, 2);
        assertTrue(Arrays.equals(new int[] {1, 2, 3}, kept) || Arrays.equals(new int[] {2, 3, 4}, kept),
                Arrays.toString(kept));
        int[] withRow0 = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(0), Arrays.stream(kept))
                .sorted().toArray();
        assertArrayEquals(withRow0, new DuplicateFilter(1e-12, 1e-10).kept(x, 2),
                "rows 0 and 2 have hashes 4e-11 apart: both kept when unique_hash_tolerance is below that");
        assertArrayEquals(withRow0, new DuplicateFilter(1e-10, 1e-11).kept(x, 2),
                "and when unique_descriptor_tolerance is");
        assertThrows(IllegalArgumentException.class, () -> new DuplicateFilter(-1, 1e-10));
    }

    @Test
    void indexFileIsReadAndBadLinesAreNamed(@TempDir Path dir) throws IOException {
        double[] x = new double[10 * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        Path good = Files.writeString(dir.resolve("sparse.idx"), "# chosen by hand\n4 2\n\n9 # last\n");
        GapFitRandom random = new GapFitRandom(1);
        assertArrayEquals(new int[] {4, 2, 9}, new IndexFileSelection(good).indices(x, D, 3, random));
        assertEquals(4 * D, new IndexFileSelection(good).select(x, D, 3, random).points()[0]);
        Path bad = Files.writeString(dir.resolve("bad.idx"), "1\n2 x\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IndexFileSelection(bad).indices(x, D, 2, random));
        assertTrue(e.getMessage().contains("bad.idx:2") && e.getMessage().contains("'x'"), e.getMessage());
        Path range = Files.writeString(dir.resolve("range.idx"), "1 10\n");
        e = assertThrows(IllegalArgumentException.class, () -> new IndexFileSelection(range).indices(x, D, 2, random));
        assertTrue(e.getMessage().contains("range.idx:1"), e.getMessage());
        Path repeated = Files.writeString(dir.resolve("rep.idx"), "1\n1\n");
        e = assertThrows(IllegalArgumentException.class, () -> new IndexFileSelection(repeated).indices(x, D, 2, random));
        assertTrue(e.getMessage().contains("rep.idx:2") && e.getMessage().contains("repeated"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new IndexFileSelection(good).indices(x, D, 4, random));
        assertTrue(e.getMessage().contains("3 indices"), e.getMessage());
        // gap_fit's index files count from 1
        assertArrayEquals(new int[] {3, 1, 8}, new IndexFileSelection(good, 1).read(10));
        Path zero = Files.writeString(dir.resolve("zero.idx"), "0 3\n");
        e = assertThrows(IllegalArgumentException.class, () -> new IndexFileSelection(zero, 1).read(10));
        assertTrue(e.getMessage().contains("outside 1..10"), e.getMessage());
    }
}
