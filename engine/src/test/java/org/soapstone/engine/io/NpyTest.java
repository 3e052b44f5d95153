package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.testing.AseScript;

/** {@link Npy} against NumPy itself ({@code /usr/bin/python3}), and its errors on malformed files. */
class NpyTest {
    @TempDir
    Path dir;

    private static double[] randomDoubles(int n) {
        Random rng = new Random(7);
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = rng.nextGaussian() * Math.pow(10, rng.nextInt(40) - 20);
        }
        x[0] = -0.0;
        x[1] = Double.MIN_VALUE;
        return x;
    }

    @Test
    void numpyReadsWhatJavaWrites() throws IOException {
        double[] d = randomDoubles(2 * 3 * 4);
        long[] l = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 1L << 40};
        int[] i = {Integer.MIN_VALUE, -7, 0, 5, Integer.MAX_VALUE, 3};
        Npy.write(dir.resolve("d.npy"), NpyArray.of(d, 2, 3, 4));
        Npy.write(dir.resolve("l.npy"), NpyArray.of(l, 6));
        Npy.write(dir.resolve("i.npy"), NpyArray.of(i, 3, 2));
        Npy.write(dir.resolve("s.npy"), NpyArray.of(new double[] {2.5}));
        Npy.write(dir.resolve("e.npy"), NpyArray.of(new double[0], 0, 5));
        String out = AseScript.run("""
                import numpy as np
                d = np.load(r'%1$s/d.npy'); l = np.load(r'%1$s/l.npy'); i = np.load(r'%1$s/i.npy')
                s = np.load(r'%1$s/s.npy'); e = np.load(r'%1$s/e.npy')
                print(d.dtype, d.shape, d.flags['C_CONTIGUOUS'], ' '.join(repr(float(x)) for x in d.ravel()))
                print(l.dtype, l.shape, ' '.join(str(x) for x in l))
                print(i.dtype, i.shape, ' '.join(str(x) for x in i.ravel()))
                print(s.dtype, s.shape, repr(float(s)), e.dtype, e.shape)
                """.formatted(dir));
        String[] lines = out.strip().split("\n");
        String[] dl = lines[0].split(" ", 6);
        assertEquals("float64 (2, 3, 4) True", String.join(" ", Arrays.copyOf(dl, 5)));
        assertArrayEquals(d, Arrays.stream(dl[5].split(" ")).mapToDouble(Double::parseDouble).toArray());
        assertEquals("int64 (6,) " + String.join(" ", Arrays.stream(l).mapToObj(Long::toString).toList()), lines[1]);
        assertEquals("int32 (3, 2) " + String.join(" ", Arrays.stream(i).mapToObj(Integer::toString).toList()),
                lines[2]);
        assertEquals("float64 () 2.5 float64 (0, 5)", lines[3]);
    }

    @Test
    void javaReadsWhatNumpyWrites() throws IOException {
        double[] d = randomDoubles(60);
        AseScript.run("""
                import numpy as np
                d = np.array(%2$s, dtype='<f8').reshape(3, 4, 5)
                np.save(r'%1$s/d.npy', d)
                np.save(r'%1$s/l.npy', np.arange(-3, 9, dtype='<i8').reshape(4, 3))
                np.save(r'%1$s/i.npy', np.arange(10, dtype='<i4'))
                np.save(r'%1$s/t.npy', np.asfortranarray(d).T)
                np.lib.format.write_array(open(r'%1$s/v2.npy', 'wb'), d, version=(2, 0))
                np.save(r'%1$s/f4.npy', np.zeros(3, dtype='<f4'))
                np.save(r'%1$s/fortran.npy', np.asfortranarray(d))
                """.formatted(dir, AseScript.list(d)));
        NpyArray a = Npy.read(dir.resolve("d.npy"));
        assertEquals(NpyArray.Type.FLOAT64, a.type());
        assertArrayEquals(new int[] {3, 4, 5}, a.shape());
        assertArrayEquals(d, a.doubles());
        NpyArray v2 = Npy.read(dir.resolve("v2.npy"));
        assertArrayEquals(d, v2.doubles());
        NpyArray l = Npy.read(dir.resolve("l.npy"));
        assertEquals(NpyArray.Type.INT64, l.type());
        assertArrayEquals(new int[] {4, 3}, l.shape());
        assertArrayEquals(new long[] {-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8}, l.longs());
        NpyArray i = Npy.read(dir.resolve("i.npy"));
        assertEquals(NpyArray.Type.INT32, i.type());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, (int[]) i.data());
        // the transpose of a Fortran-ordered array is C-ordered: shape (5, 4, 3), element [c][b][a] = d[a][b][c]
        NpyArray t = Npy.read(dir.resolve("t.npy"));
        assertArrayEquals(new int[] {5, 4, 3}, t.shape());
        assertEquals(d[(2 * 4 + 1) * 5 + 3], t.doubles()[(3 * 4 + 1) * 3 + 2]);
        NpyFormatException f4 = assertThrows(NpyFormatException.class, () -> Npy.read(dir.resolve("f4.npy")));
        assertTrue(f4.getMessage().contains("f4.npy: header 'descr': unsupported dtype '<f4'"), f4.getMessage());
        NpyFormatException fo = assertThrows(NpyFormatException.class,
                () -> Npy.read(dir.resolve("fortran.npy")));
        assertTrue(fo.getMessage().contains("fortran.npy: header 'fortran_order': 'True'"), fo.getMessage());
    }

    @Test
    void arraysRoundTripThroughZipEntries() throws IOException {
        double[] d = randomDoubles(10000);
        int[] idx = {4, 5, 6, 7};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("a.npy"));
            Npy.write(zip, NpyArray.of(d, 100, 100));
            zip.putNextEntry(new ZipEntry("b.npy"));
            Npy.write(zip, NpyArray.of(idx, 2, 2));
        }
        Path file = dir.resolve("m.zip");
        Files.write(file, bytes.toByteArray());
        String out = AseScript.run("""
                import numpy as np
                z = np.load(r'%s')
                print(z['a'].shape, z['b'].tolist(), repr(float(z['a'][37, 59])))
                """.formatted(file));
        String[] parts = out.strip().split(" ");
        assertEquals("(100, 100) [[4, 5], [6, 7]]", String.join(" ", Arrays.copyOf(parts, 6)));
        assertEquals(d[3759], Double.parseDouble(parts[6]));
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            zip.getNextEntry();
            assertEquals(NpyArray.of(d, 100, 100), Npy.read(zip, "m.zip:a.npy"));
            zip.getNextEntry();
            assertEquals(NpyArray.of(idx, 2, 2), Npy.read(zip, "m.zip:b.npy"));
        }
    }

    @Test
    void malformedFilesNameFileAndField() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Npy.write(b, NpyArray.of(new double[] {1, 2, 3, 4}, 2, 2));
        byte[] good = b.toByteArray();
        assertEquals(0, (10 + ((good[8] & 0xff) | (good[9] & 0xff) << 8)) % 64, "header aligned to 64 bytes");

        Path truncated = dir.resolve("truncated.npy");
        Files.write(truncated, Arrays.copyOf(good, good.length - 5));
        assertMessage(truncated, "truncated.npy: data: truncated: 4 <f8 elements expected, only 3 present");

        byte[] magic = good.clone();
        magic[1] = 'X';
        Path badMagic = dir.resolve("magic.npy");
        Files.write(badMagic, magic);
        assertMessage(badMagic, "magic.npy: magic: not a NumPy .npy file");

        Path shortHeader = dir.resolve("short.npy");
        Files.write(shortHeader, Arrays.copyOf(good, 30));
        assertMessage(shortHeader, "short.npy: header: truncated");

        Path extra = dir.resolve("extra.npy");
        Files.write(extra, Arrays.copyOf(good, good.length + 8));
        assertMessage(extra, "extra.npy: data: extra bytes");

        String header = new String(good, 10, good.length - 10 - 32, java.nio.charset.StandardCharsets.US_ASCII);
        Path badShape = dir.resolve("shape.npy");
        byte[] s = good.clone();
        byte[] replaced = header.replace("(2, 2)", "(2, x)").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(replaced, 0, s, 10, replaced.length);
        Files.write(badShape, s);
        assertMessage(badShape, "shape.npy: header 'shape': 'x' is not an extent");
    }

    @Test
    void atomicWriteLeavesNoTemporaryFileAndReplacesTheOld() throws IOException {
        Path f = dir.resolve("x.npy");
        Npy.write(f, NpyArray.of(new double[] {1}, 1));
        Npy.write(f, NpyArray.of(new long[] {1, 2}, 2));
        assertEquals(NpyArray.of(new long[] {1, 2}, 2), Npy.read(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    private static void assertMessage(Path file, String expected) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
}
