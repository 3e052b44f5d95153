package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;

/**
 * QUIP's SOAP options beyond the plain power spectrum — the GTO and POLY radial bases, compressed SOAP
 * ({@code Z_mix}, {@code R_mix}, {@code sym_mix}, {@code coupling=F}, {@code K}, {@code mix_shift}) and the averaged
 * SOAP ({@code average=T}, with a subset of centres {@code Z}) — against QUIP's own numbers: {@code test-data/quip-soap/*.json}, written by
 * QUIP's descriptor code (provenance in each file and in {@code test-data/README.md}) for the frames of QUIP's
 * {@code SOAP_reference_data.json} structures ({@code ../shared/peer-tests/quip-soap-ref}, made periodic, as QUIP's
 * descriptor program reads them). Every instance's values to 1e-9 and the first gradient entries of the first
 * instance to 1e-7 (each matched by its atom and image offset; the tabulated radial functions' derivatives set this
 * bound: the worst case, K = 5 channels, differs by 2e-8); then finite differences of the same descriptor on a
 * rattled frame, and invariance under a rotation of the frame.
 */
class SoapQuipOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"z-mix-elementwise", "z-mix-sym-elementwise", "r-mix-elementwise", "r-mix-sym-full",
        "zr-mix-elementwise", "zr-mix-sym-full", "z-mix-full", "elementwise", "average", "average-subset", "gto",
        "poly", "gto-species", "poly-compressed"})
    void valuesAndGradientsAreQuips(String name) throws Exception {
        JsonNode ref = JSON.readTree(Path.of(System.getProperty("soapstone.root"), "test-data", "quip-soap",
                name + ".json").toFile());
        List<Structure> frames = frames(ref.get("structure").asText());
        Descriptor d = DescriptorString.parseToDescribe(ref.get("descriptor").asText()).descriptor().create();
        for (int f = 0; f < frames.size(); f++) {
            Structure s = frames.get(f);
            DescriptorOutput out = d.compute(s, true);
            JsonNode instances = ref.get("frames").get(f);
            assertEquals(instances.size(), out.count(), name + ", frame " + (f + 1) + ": instances");
            for (int i = 0; i < out.count(); i++) {
                JsonNode x = instances.get(i).get("x");
                assertEquals(x.size(), d.dimension(), name + ": dimension");
                for (int c = 0; c < x.size(); c++) {
                    assertEquals(x.get(c).asDouble(), out.value(i, c), 1e-9,
                            name + ", frame " + (f + 1) + ", instance " + (i + 1) + ", component " + c);
                }
            }
            if (f == 0) {
                JsonNode grads = ref.get("gradients");
                int dim = d.dimension();
                for (int e = 0; e < grads.size(); e++) {
                    JsonNode g = grads.get(e);
                    int entry = entry(out, g.get("atom").asInt(), g.get("pos"), grads.get(0).get("pos"));
                    String[] axes = {"dx", "dy", "dz"};
                    for (int a = 0; a < 3; a++) {
                        JsonNode row = g.get(axes[a]);
                        for (int c = 0; c < dim; c++) {
                            assertEquals(row.get(c).asDouble(), out.gradients()[(3 * entry + a) * dim + c], 1e-7,
                                    name + ": entry " + e + ", " + axes[a] + ", component " + c);
                        }
                    }
                }
            }
        }
        Structure s = frames.getFirst();
        DescriptorTesting.assertGradientsMatch(d, rattled(s, 0.05, 3), 1e-5, 1e-6);
        double[] before = DescriptorTesting.values(d, s);
        double[] after = DescriptorTesting.values(d, rotated(s, DescriptorTesting.randomRotation(new Random(5))));
        for (int k = 0; k < before.length; k++) {
            assertEquals(before[k], after[k], 1e-10, name + ": rotation changed component " + k);
        }
        assertTrue(before.length > 0);
    }

    /**
     * @return the first instance's gradient entry of that atom whose image is seen at {@code pos} (Å), the centre
     *     at {@code centre}
     */
    private static int entry(DescriptorOutput out, int atom, JsonNode pos, JsonNode centre) {
        double[] o = out.gradientOffsets();
        for (int e = out.gradientStart(0); e < out.gradientEnd(0); e++) {
            boolean same = out.gradientAtom(e) == atom;
            for (int k = 0; k < 3; k++) {
                same &= Math.abs(o[3 * e + k] - (pos.get(k).asDouble() - centre.get(k).asDouble())) < 1e-6;
            }
            if (same) {
                return e;
            }
        }
        throw new AssertionError("no gradient entry for atom " + atom + " at " + pos);
    }

    private static List<Structure> frames(String structure) throws Exception {
        Path file = SharedData.require("peer-tests/quip-soap-ref/" + structure + ".xyz");
        List<Structure> frames = ExtXyz.read(file);
        for (Structure s : frames) {
            s.setCell(new Cell(s.cell().matrix(), new boolean[] {true, true, true}));
        }
        return frames;
    }

    private static Structure rattled(Structure s, double amplitude, long seed) {
        Structure c = s.copy();
        Random rng = new Random(seed);
        double[] x = c.positions();
        for (int k = 0; k < x.length; k++) {
            x[k] += amplitude * (2 * rng.nextDouble() - 1);
        }
        return c;
    }

    /** The frame with its positions and lattice rotated by the 3×3 matrix r. */
    private static Structure rotated(Structure s, double[] r) {
        double[] x = s.positions().clone();
        for (int i = 0; i < s.size(); i++) {
            rotate(x, 3 * i, r);
        }
        double[] lattice = s.cell().matrix().clone();
        for (int v = 0; v < 3; v++) {
            rotate(lattice, 3 * v, r);
        }
        return new Structure(s.numbers(), x, new Cell(lattice, s.cell().pbc()));
    }

    private static void rotate(double[] x, int o, double[] r) {
        double a = x[o], b = x[o + 1], c = x[o + 2];
        for (int k = 0; k < 3; k++) {
            x[o + k] = r[3 * k] * a + r[3 * k + 1] * b + r[3 * k + 2] * c;
        }
    }
}
