package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.gap.FitProvenance;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.testing.SharedData;
import org.soapstone.engine.testing.TestModels;

/**
 * Every file written atomically gets the permissions any new file of the process gets (0666 less the umask; model
 * files were 0600), and the temporary files of writes that did not finish are cleaned up.
 */
class AtomicFileTest {
    @TempDir
    Path dir;

    /** @return the permissions a plain new file gets here: the process umask applied to 0666 */
    private Set<PosixFilePermission> plain() throws IOException {
        Path p = Files.createFile(dir.resolve("plain"));
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
        Files.delete(p);
        return mode;
    }

    @Test
    void everyAtomicWriterFollowsTheUmask() throws Exception {
        Set<PosixFilePermission> expected = plain();
        ExtXyz.write(dir.resolve("frames.xyz"), List.of(Crystal.diamond(14, 5.431, 1)));
        Npy.write(dir.resolve("a.npy"), NpyArray.of(new double[] {1, 2}, 2));
        LammpsData.write(Crystal.diamond(14, 5.431, 1), List.of(Element.of(14)), dir.resolve("si.data"));
        AtomicFile.write(dir.resolve("bytes.bin"), out -> out.write(1));
        GapModel model = TestModels.withRandomPosterior(GapModel.readQuip(SharedData.gapFit("si-soap")
                .resolve("gp.xml")), 3);
        GapModelFile.write(dir.resolve("model.gap"), model, new FitProvenance("test", "now", List.of(), Map.of(),
                Map.of()));
        model.writeQuip(dir.resolve("model.xml"));
        try (var files = Files.list(dir)) {
            List<Path> written = files.toList();
            assertEquals(7, written.size(), written.toString());
            for (Path p : written) {
                assertEquals(expected, Files.getPosixFilePermissions(p), p.getFileName() + " follows the umask");
            }
        }
    }

    @Test
    void temporaryFilesOfDeadProcessesAreRemovedAndOthersKept() throws Exception {
        long self = ProcessHandle.current().pid();
        Path dead = Files.writeString(dir.resolve(".model.gap.999999999-1f.tmp"), "killed mid-write");
        Path alive = Files.writeString(dir.resolve(".model.gap." + self + "-2e.tmp"), "being written");
        Path other = Files.writeString(dir.resolve(".other.xyz.999999999-3d.tmp"), "another target");
        AtomicFile.write(dir.resolve("model.gap"), out -> out.write(1));
        assertFalse(Files.exists(dead), "the same target's temporary file of a dead process goes");
        assertTrue(Files.exists(alive) && Files.exists(other), "a live writer's and another target's stay");
        assertEquals(1, AtomicFile.removeStale(dir));
        assertFalse(Files.exists(other));
        assertTrue(Files.exists(alive));
    }

    @Test
    void aFailedWriteLeavesNeitherTemporaryFileNorTarget() throws Exception {
        Path target = dir.resolve("out.bin");
        assertThrows(IOException.class, () -> AtomicFile.write(target, out -> {
            out.write(1);
            throw new IOException("disk full");
        }));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
        IOException missing = assertThrows(IOException.class, () -> AtomicFile.write(dir.resolve("no/such/x.bin"),
                out -> out.write(1)));
        assertTrue(missing.getMessage().contains("the directory " + dir.resolve("no/such") + " does not exist"),
                missing.getMessage());
    }
}
