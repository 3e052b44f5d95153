package org.soapstone.engine.gap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.baseline.Baseline;
import org.soapstone.engine.testing.QuipPredictions;

/**
 * A model's baseline potential survives every way of writing it: gap_fit's XML ({@code do_core=T}, the core's
 * {@code Sum} and its parameter elements, as gap_fit writes them; a model read from such a file and written again
 * gives the same core) and Soapstone's model file (both kinds of baseline); a Soapstone potential spec has no
 * gap_fit form and is refused by name; the three-body terms' permutations are written as gap_fit writes them.
 */
class BaselineModelIoTest {
    @TempDir
    Path dir;

    @Test
    void gapFitCoreModelIsReadAndWrittenBackWithItsCore() throws Exception {
        GapModel model = GapModel.readQuip(QuipPredictions.dir("si-glue-2b-nb-soap").resolve("gp.xml"));
        Baseline.QuipCore core = (Baseline.QuipCore) model.baseline();
        assertEquals("IP Glue", core.initArgs());
        assertTrue(core.parameters().contains("<Glue_params") && core.parameters().contains("potential_pair"),
                "the core's parameters come with the model");
        Path xml = dir.resolve("again.xml");
        model.writeQuip(xml);
        String text = Files.readString(xml);
        assertTrue(text.contains("init_args=\"Sum init_args_pot1={IP Glue} init_args_pot2={IP GAP label="
                + model.label() + "}\"") && text.contains("do_core=\"T\""), "written as gap_fit writes it");
        GapModel back = GapModel.readQuip(xml);
        assertEquals(core.initArgs(), ((Baseline.QuipCore) back.baseline()).initArgs());
        assertEquals(canonical(core.parameters()), canonical(((Baseline.QuipCore) back.baseline()).parameters()));
        assertEquals(model.terms().size(), back.terms().size());
        for (int t = 0; t < model.terms().size(); t++) {
            assertArrayEquals(model.terms().get(t).alpha(), back.terms().get(t).alpha());
            assertArrayEquals(model.terms().get(t).theta(), back.terms().get(t).theta());
        }
        assertTrue(text.contains("n_permutations=\"6\"") && text.contains("<permutation i=\"4\">3 1 2 </permutation>"),
                "distance_Nb's six permutations written as gap_fit writes them");
    }

    @Test
    void bothKindsOfBaselineSurviveTheModelFile() throws Exception {
        GapModel model = GapModel.readQuip(QuipPredictions.dir("si-sw-3b").resolve("gp.xml"));
        Path file = dir.resolve("m.gap");
        GapModelFile.write(file, model, null);
        assertEquals(model.baseline(), GapModelFile.read(file).model().baseline());
        Baseline spec = new Baseline.Potential("sw:Si.sw", Map.of("Si.sw", "Si Si Si 2.1683 2.0951 1.80 21.0 1.20 "
                + "-0.333333333333 7.049556277 0.6022245584 4.0 0.0 0.0\n"));
        GapModelFile.write(file, model.withBaseline(spec), null);
        assertEquals(spec, GapModelFile.read(file).model().baseline());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.withBaseline(spec).writeQuip(dir.resolve("x.xml")));
        assertTrue(e.getMessage().contains("sw:Si.sw") && e.getMessage().contains("model file"), e.getMessage());
        GapModelFile.write(file, model.withBaseline(null), null);
        assertNull(GapModelFile.read(file).model().baseline());
    }

    /** The parameter elements with whitespace between tags and attribute quoting normalised. */
    private static String canonical(String xml) {
        return xml.replaceAll(">\\s+<", "><").replace('\'', '"').strip();
    }
}
