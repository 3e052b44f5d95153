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
        for (long seed = 0; seed < 5; seed++) {
            assertArrayEquals(new int[] {7, 60, 120, 188}, new CurSelection(seed).indices(x, D, 4), "seed " + seed);
        }
    }

    @Test
    void curIsDeterministicUnderItsSeed() {
        Random random = new Random(2);
        double[] x = new double[300 * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        int[] a = new CurSelection(42).indices(x, D, 20);
        assertArrayEquals(a, new CurSelection(42).indices(x, D, 20));
        assertFalse(Arrays.equals(a, new CurSelection(43).indices(x, D, 20)));
        assertEquals(20, Arrays.stream(a).distinct().count());
        SparsePoints p = new CurSelection(42).select(x, D, 20);
        assertArrayEquals(Arrays.copyOfRange(x, a[0] * D, a[0] * D + D), Arrays.copyOf(p.points(), D));
    }

    @Test
    void randomSelectionIsDistinctInRangeAndReproducible() {
        double[] x = new double[50 * D];
        int[] a = new RandomSelection(7).indices(x, D, 50);
        assertArrayEquals(java.util.stream.IntStream.range(0, 50).toArray(), a);
        int[] b = new RandomSelection(7).indices(x, D, 10);
        assertArrayEquals(b, new RandomSelection(7).indices(x, D, 10));
        assertEquals(10, Arrays.stream(b).distinct().count());
        assertTrue(Arrays.stream(b).allMatch(i -> i >= 0 && i < 50));
        assertThrows(IllegalArgumentException.class, () -> new RandomSelection(7).indices(x, D, 51));
    }

    @Test
    void uniformSelectionTakesTheFirstCandidateOfEachBinAsGapFit() {
        double[] r = {2.7, 1.5, 4.0, 3.1, 1.6, 3.9, 2.0};
        // 3 bins over [1.5, 4]: round((x − 1.5)/2.5·2) = 1 0 2 1 0 2 0 → first of each bin: 0, 1, 2
        assertArrayEquals(new int[] {0, 1, 2}, new UniformSelection(1).indices(r, 1, 3));
        // 5 bins: 2 0 4 3 0 4 1 → 0, 1, 2, 3, 6
        assertArrayEquals(new int[] {0, 1, 2, 3, 6}, new UniformSelection(1).indices(r, 1, 5));
        // 6 points, 5 occupied bins: one more drawn from the leftovers 4 and 5, reproducibly
        int[] six = new UniformSelection(9).indices(r, 1, 6);
        assertEquals(6, Arrays.stream(six).distinct().count());
        assertTrue(Arrays.stream(new int[] {0, 1, 2, 3, 6}).allMatch(i -> Arrays.binarySearch(six, i) >= 0));
        assertArrayEquals(six, new UniformSelection(9).indices(r, 1, 6));
        assertThrows(IllegalArgumentException.class, () -> new UniformSelection(1).indices(r, 1, 8));
    }

    @Test
    void indexFileIsReadAndBadLinesAreNamed(@TempDir Path dir) throws IOException {
        double[] x = new double[10 * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        Path good = Files.writeString(dir.resolve("sparse.idx"), "# chosen by hand\n4 2\n\n9 # last\n");
        assertArrayEquals(new int[] {4, 2, 9}, new IndexFileSelection(good).indices(x, D, 3));
        assertEquals(4 * D, new IndexFileSelection(good).select(x, D, 3).points()[0]);
        Path bad = Files.writeString(dir.resolve("bad.idx"), "1\n2 x\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IndexFileSelection(bad).indices(x, D, 2));
        assertTrue(e.getMessage().contains("bad.idx:2") && e.getMessage().contains("'x'"), e.getMessage());
        Path range = Files.writeString(dir.resolve("range.idx"), "1 10\n");
        e = assertThrows(IllegalArgumentException.class, () -> new IndexFileSelection(range).indices(x, D, 2));
        assertTrue(e.getMessage().contains("range.idx:1"), e.getMessage());
        Path repeated = Files.writeString(dir.resolve("rep.idx"), "1\n1\n");
        e = assertThrows(IllegalArgumentException.class, () -> new IndexFileSelection(repeated).indices(x, D, 2));
        assertTrue(e.getMessage().contains("rep.idx:2") && e.getMessage().contains("repeated"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new IndexFileSelection(good).indices(x, D, 4));
        assertTrue(e.getMessage().contains("3 indices"), e.getMessage());
        // gap_fit's index files count from 1
        assertArrayEquals(new int[] {3, 1, 8}, new IndexFileSelection(good, 1).read(10));
        Path zero = Files.writeString(dir.resolve("zero.idx"), "0 3\n");
        e = assertThrows(IllegalArgumentException.class, () -> new IndexFileSelection(zero, 1).read(10));
        assertTrue(e.getMessage().contains("outside 1..10"), e.getMessage());
    }
}
