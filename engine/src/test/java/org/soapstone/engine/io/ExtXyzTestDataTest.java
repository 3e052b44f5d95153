package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.soapstone.engine.io.StructureAssertions.assertIdentical;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.structure.Structure;

class ExtXyzTestDataTest {
    @TempDir
    Path dir;

    @Test
    void lammpsReferenceFileReadsAndRoundTrips() throws Exception {
        Path file = Path.of(System.getProperty("soapstone.root"), "test-data", "si_sw_refs.extxyz");
        List<Structure> frames = ExtXyz.read(file);
        assertEquals(8, frames.size());
        Structure first = frames.get(0);
        assertEquals(64, first.size());
        assertEquals(-275.913824234236, first.infoReal("energy"));
        assertEquals(-4.29556556, first.properties().get("local_energy").reals()[0]);
        assertEquals(0.84915184, first.properties().get("forces").reals()[2]);
        Path copy = dir.resolve("copy.extxyz");
        ExtXyz.write(copy, frames);
        List<Structure> back = ExtXyz.read(copy);
        for (int k = 0; k < frames.size(); k++) {
            assertIdentical(frames.get(k), back.get(k), "frame " + k);
        }
    }
}
