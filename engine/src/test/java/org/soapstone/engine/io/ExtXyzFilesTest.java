package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.soapstone.engine.io.StructureAssertions.assertIdentical;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;

/**
 * Every real file we have: {@code test-data/*.xyz} (the project's own cells) and, where the shared data directory
 * exists ({@link SharedData}; locally and in CI), the mlearn DFT data, the LAMMPS reference files, the gap_fit/QUIP
 * files and the peers' test frames. For each file
 * the frame count and the first, middle and last frames must equal what ASE reads, and read → write → read must
 * be bit-identical.
 */
class ExtXyzFilesTest {
    private static final String ASE_SAMPLES = """
            out = {}
            for path in sys.argv[1:]:
                frames = ase.io.read(path, index=':', format='extxyz')
                n = len(frames)
                out[path] = {'count': n, 'samples': {str(i): dump(frames[i]) for i in sorted({0, n // 2, n - 1})}}
            print(json.dumps(out))
            """;

    @TempDir
    Path dir;

    static List<Path> files() throws IOException {
        Path root = Path.of(System.getProperty("soapstone.root"));
        List<Path> files = new ArrayList<>();
        glob(root.resolve("test-data"), "*.xyz", files);
        Path shared = SharedData.root();
        if (Files.isDirectory(shared)) {
            glob(shared.resolve("datasets/mlearn"), "*.xyz", files);
            glob(shared.resolve("reference"), "*.extxyz", files);
            glob(shared.resolve("peer-tests/quip"), "*.xyz", files);
            glob(shared.resolve("peer-tests/quip-soap-ref"), "*.xyz", files);
            try (DirectoryStream<Path> fits = Files.newDirectoryStream(shared.resolve("reference/gap_fit"),
                    Files::isDirectory)) {
                for (Path fit : fits) {
                    glob(fit, "*.xyz", files);
                }
            }
        }
        return files;
    }

    private static void glob(Path directory, String pattern, List<Path> into) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory, pattern)) {
            s.forEach(into::add);
        }
        into.sort(null);
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> everyFileReadsAsAseReadsItAndRoundTripsBitForBit() throws Exception {
        List<Path> files = files();
        assertFalse(files.isEmpty());
        Map<String, Object> ase = (Map<String, Object>) AsePython.run(ASE_SAMPLES,
                files.stream().map(Path::toString).toArray(String[]::new));
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            List<Structure> frames = ExtXyz.read(file);
            Map<String, Object> expected = (Map<String, Object>) ase.get(file.toString());
            assertEquals(expected.get("count"), (long) frames.size(), file + ": frame count");
            Map<String, Object> samples = (Map<String, Object>) expected.get("samples");
            for (Map.Entry<String, Object> e : samples.entrySet()) {
                int k = Integer.parseInt(e.getKey());
                AsePython.assertMatches((Map<String, Object>) e.getValue(), frames.get(k), file + " frame " + k);
            }
            Path copy = dir.resolve(file.getFileName() + ".copy");
            ExtXyz.write(copy, frames);
            List<Structure> back = ExtXyz.read(copy);
            assertEquals(frames.size(), back.size());
            for (int k = 0; k < frames.size(); k++) {
                assertIdentical(frames.get(k), back.get(k), file + " frame " + k);
            }
        }));
    }
}
