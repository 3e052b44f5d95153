package org.soapstone.engine.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.io.Json;

/**
 * gap_fit's sparse points on frames that exercise QUIP's neighbour order where QUIP's own test data do not: a
 * triclinic cell with atoms outside it, perfect diamond (every SOAP a duplicate of the others, so gap_fit's heap sort
 * decides which survives), a slab periodic in two directions, a cluster in a non-periodic cell, a cell smaller than
 * the cutoff (atoms see their own images) and a frame without a lattice (QUIP's 10 Å vacuum box), Si and C (three
 * pair terms and two SOAP terms after {@code add_species}), with {@code uniform} and {@code cur_points} (libAtoms'
 * generator) and with {@code random} (gfortran's {@code random_number}). The references are gap_fit's own runs of
 * the same command lines ({@code test-data/gap_fit-sparse/}, with their provenance): their
 * {@code print_sparse_index} files exactly and their sparseX files to 1e-8 (QUIP's test tolerance).
 */
class GapFitSparsePointsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"gap_fit-sparse-points.json", "gap_fit-random-sparse-points.json"})
    @SuppressWarnings("unchecked")
    void sparsePointsAndTheirIndicesAreGapFits(String file) throws Exception {
        Path data = Path.of(System.getProperty("soapstone.root"), "test-data", "gap_fit-sparse");
        Map<String, Object> reference = (Map<String, Object>) Json.parse(Files.readString(data.resolve(file)));
        Files.copy(data.resolve("frames.xyz"), dir.resolve("frames.xyz"));
        List<String> args = List.of(((String) reference.get("command_line")).split(" "));
        FitSettings settings = GapFitCommandLine.parse(args, dir);
        GapFit.Result result = GapFit.run(settings, TrainingSet.read(settings), "test", 2, FitListener.NONE);
        assertFalse(result.model().hasPosterior(), "sparsify_only_no_fit=T: no fit");

        List<Object> coords = (List<Object>) reference.get("coords");
        List<GapTerm> terms = result.model().terms();
        assertEquals(coords.size(), terms.size());
        List<List<Long>> written = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("idx.out"))) {
            written.add(java.util.stream.Stream.of(line.split(" ")).map(Long::valueOf).toList());
        }
        for (int t = 0; t < terms.size(); t++) {
            Map<String, Object> c = (Map<String, Object>) coords.get(t);
            assertEquals(c.get("index"), written.get(t), "print_sparse_index of term " + t + " " + c.get("descriptor"));
            List<Object> x = (List<Object>) c.get("sparsex");
            double[] ours = terms.get(t).sparseX();
            assertEquals(x.size(), ours.length, "term " + t);
            double max = 0;
            for (int k = 0; k < ours.length; k++) {
                max = Math.max(max, Math.abs(ours[k] - ((Number) x.get(k)).doubleValue()));
            }
            System.out.printf("term %d: max |sparseX - gap_fit| %.3g%n", t, max);
            assertTrue(max < 1e-8, "term " + t + ": sparseX differs from gap_fit's by " + max);
            List<Object> cutoff = (List<Object>) c.get("cutoff");
            for (int s = 0; s < cutoff.size(); s++) {
                assertEquals(((Number) cutoff.get(s)).doubleValue(), terms.get(t).sparseCutoff()[s], 1e-12);
            }
        }
        assertEquals(coords.size(), written.size(), "one line per term");
    }
}
