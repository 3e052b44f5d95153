package org.soapstone.engine.gap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;

/** Writing gap_fit XML and reading it back; and clear errors for broken or unsupported model files. */
class GapModelIoTest {
    @TempDir
    Path tmp;

    private Path copyModel(String model) throws IOException {
        Path to = tmp.resolve(model);
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(QuipAgreementTest.dir(model))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("gp.xml")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to.resolve("gp.xml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"si-soap", "sic-2b-soap"})
    void writeThenReadGivesTheSameModelAndPredictions(String model) throws Exception {
        GapModel original = GapModel.readQuip(QuipAgreementTest.dir(model).resolve("gp.xml"));
        Path written = tmp.resolve("out").resolve("model.xml");
        Files.createDirectories(written.getParent());
        original.writeQuip(written);
        GapModel back = GapModel.readQuip(written);
        String xmlText = Files.readString(written);
        assertTrue(!xmlText.contains("xml_version"), "the reader's appended xml_version must not be written back");
        assertTrue(xmlText.contains("gap_version=\"" + original.gapVersion() + "\""));
        assertEquals(original.label(), back.label());
        assertEquals(original.gapVersion(), back.gapVersion());
        assertArrayEquals(original.e0(), back.e0());
        assertEquals(original.terms().size(), back.terms().size());
        for (int t = 0; t < original.terms().size(); t++) {
            GapTerm a = original.terms().get(t);
            GapTerm b = back.terms().get(t);
            assertEquals(a.descriptor().text(), b.descriptor().text());
            assertEquals(a.covariance(), b.covariance());
            assertEquals(a.delta(), b.delta());
            assertEquals(a.zeta(), b.zeta());
            assertArrayEquals(a.theta(), b.theta());
            assertArrayEquals(a.alpha(), b.alpha());
            assertArrayEquals(a.sparseCutoff(), b.sparseCutoff());
            assertArrayEquals(a.sparseX(), b.sparseX());
            assertTrue(Files.exists(written.resolveSibling("model.xml.sparseX." + a.label())));
        }
        List<Structure> frames = ExtXyz.read(QuipAgreementTest.dir(model).resolve("quip-predictions.xyz"));
        try (WorkerPool pool = new WorkerPool(1)) {
            ReferenceGapCalculator c1 = new ReferenceGapCalculator(original, pool);
            ReferenceGapCalculator c2 = new ReferenceGapCalculator(back, pool);
            for (Structure s : frames.subList(frames.size() - 3, frames.size())) {
                CalculationResults r1 = c1.calculate(s);
                CalculationResults r2 = c2.calculate(s);
                assertEquals(r1.energy, r2.energy, 1e-12 * Math.abs(r1.energy));
                assertArrayEquals(r1.forces, r2.forces, 1e-12);
                assertArrayEquals(r1.stress, r2.stress, 1e-12);
                assertArrayEquals(c1.localVariance(s), c2.localVariance(s), 1e-12);
            }
        }
    }

    private static GapFormatException fails(Path xml) {
        return assertThrows(GapFormatException.class, () -> GapModel.readQuip(xml));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should mention '" + p + "'");
        }
    }

    @Test
    void malformedXmlNamesTheFile() throws Exception {
        Path xml = copyModel("si-soap");
        String text = Files.readString(xml);
        Files.writeString(xml, text.substring(0, text.length() / 2));
        assertMentions(fails(xml), xml.toString(), "malformed XML");
    }

    @Test
    void missingSparseXFileNamesTheFileAndElement() throws Exception {
        Path xml = copyModel("sic-2b-soap");
        Files.delete(xml.resolveSibling("gp.xml.sparseX.GAP_2026_11_22_0_2_8_27_9524"));
        assertMentions(fails(xml), xml.toString(), "gpCoordinates label=\"GAP_2026_11_22_0_2_8_27_9524\"",
                "gp.xml.sparseX.GAP_2026_11_22_0_2_8_27_9524", "does not exist");
    }

    @Test
    void truncatedSparseXFileNamesTheFileAndElement() throws Exception {
        Path xml = copyModel("si-soap");
        Path sparse = xml.resolveSibling("gp.xml.sparseX.GAP_2026_11_22_0_2_8_36_7121");
        List<String> lines = Files.readAllLines(sparse);
        Files.write(sparse, lines.subList(0, lines.size() - 10));
        assertMentions(fails(xml), sparse.toString(), "gpCoordinates label=\"GAP_2026_11_22_0_2_8_36_7121\"",
                "truncated");
    }

    @Test
    void unsupportedDescriptorNamesTheFileAndElement() throws Exception {
        Path xml = copyModel("sic-2b-soap");
        String text = Files.readString(xml);
        Files.writeString(xml, text.replaceFirst("<descriptor>distance_2b", "<descriptor>angle_3b"));
        assertMentions(fails(xml), xml.toString(), "gpCoordinates label=\"GAP_2026_11_22_0_2_8_27_9521\"/descriptor",
                "angle_3b");
    }

    @Test
    void baselinePotentialWeDoNotHaveIsNamed() throws Exception {
        Path xml = copyModel("si-soap");
        String text = Files.readString(xml);
        text = text.replace("do_core=\"F\"", "do_core=\"T\"").replaceFirst("init_args=\"IP GAP label=",
                "init_args=\"Sum init_args_pot1={IP Glue} init_args_pot2={IP GAP label=");
        Files.writeString(xml, text);
        assertMentions(fails(xml), xml.toString(), "GAP_data", "IP Glue", "baseline");
    }
}
