package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.soapstone.engine.io.StructureAssertions.assertIdentical;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

class ExtXyzRoundTripTest {
    @TempDir
    Path dir;

    private static Structure everyKind() {
        Structure s = Crystal.diamond(14, 5.431, 1);
        s.setCell(new Cell(new double[] {5.431, 0.1, -0.2, 0.3, 5.5, 0.0, -0.4, 0.25, 5.2},
                new boolean[] {true, false, true}));
        int n = s.size();
        s.positions()[0] = 0.1 + 0.2; // not a short decimal
        s.positions()[1] = -0.0;
        s.positions()[2] = 1e-300;
        double[] v = new double[3 * n];
        double[] f = new double[3 * n];
        long[] tags = new long[n];
        boolean[] fixed = new boolean[n];
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 3; d++) {
                v[3 * i + d] = Math.sin(i + 0.3 * d) / 7.0;
                f[3 * i + d] = Math.cos(2.0 * i + d) * 1e-7;
            }
            tags[i] = i * 1_000_000_007L - 3;
            fixed[i] = i % 3 == 0;
            labels[i] = "site" + i;
        }
        s.setVelocities(v);
        s.masses()[3] = 29.973770136; // 30Si
        s.setProperty("forces", AtomProperty.real(3, f));
        s.setProperty("tags", new AtomProperty(AtomProperty.Type.INTEGER, 1, tags));
        s.setProperty("fixed", new AtomProperty(AtomProperty.Type.LOGICAL, 1, fixed));
        s.setProperty("label", new AtomProperty(AtomProperty.Type.STRING, 1, labels));
        s.info().put("energy", -43.123456789012345);
        s.info().put("step", 12L);
        s.info().put("converged", true);
        s.info().put("config_type", "bulk diamond \"rattled\" \\ test");
        s.info().put("stress", new double[] {1e-3, 2e-4, 3e-5, 2e-4, -4.5e-3, 6e-6, 3e-5, 6e-6, 7.0});
        s.info().put("kpts", new long[] {4, 4, 4});
        s.info().put("flags", new boolean[] {true, false});
        s.info().put("names", new String[] {"a b", "c\"d", "e"});
        s.info().put("temperature", Double.NaN);
        return s;
    }

    @Test
    void everyKindOfValueSurvivesWriteAndReadBitForBit() throws Exception {
        Structure original = everyKind();
        Structure molecule = new Structure(new int[] {8, 1, 1}, new double[] {0, 0, 0, 0.96, 0, 0, -0.24, 0.93, 0},
                Cell.none());
        Path file = dir.resolve("every.extxyz");
        ExtXyz.write(file, List.of(original, molecule));
        List<Structure> back = ExtXyz.read(file);
        assertEquals(2, back.size());
        assertIdentical(original, back.get(0), "periodic frame");
        assertIdentical(molecule, back.get(1), "molecule");
        assertInstanceOf(String[].class, back.get(0).info().get("names"));
    }

    @Test
    void gzipFilesAreWrittenAndReadTransparently() throws Exception {
        Structure original = everyKind();
        Path file = dir.resolve("every.extxyz.gz");
        ExtXyz.write(file, List.of(original));
        byte[] head = Files.readAllBytes(file);
        assertEquals((byte) 0x1f, head[0]);
        assertEquals((byte) 0x8b, head[1]);
        assertIdentical(original, ExtXyz.read(file).get(0), "gzip frame");
    }
}
