package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.neighbour.QuipNeighbourOrder;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.QuipPredictions;

/**
 * angle_3b and distance_Nb against the instances QUIP's own {@code descriptor_calc} gives
 * ({@code test-data/quip-reference/descriptors}, see its README): the same number of instances, and for each QUIP
 * instance one of ours with the same centre, the same gradient atoms at the same positions, the same vector,
 * cutoff weight and atoms sharing its energy ({@code ci}), and the same gradients of both — on cells small enough
 * that neighbours are periodic images, with species restrictions, permuted cluster order and wildcards.
 */
class ThreeBodyQuipTest {
    /** One QUIP instance: centre, ci, cutoff weight, values; per gradient entry atom, offset, dfc, ∂x/∂r. */
    private record Instance(int centre, int[] ci, double weight, double[] x, List<Entry> entries) {
        String key() {
            StringBuilder b = new StringBuilder().append(centre);
            for (Entry e : entries) {
                b.append('|').append(e.atom);
                for (double o : e.offset) {
                    b.append(',').append(Math.round(o * 1e6));
                }
            }
            return b.toString();
        }
    }

    private record Entry(int atom, double[] offset, double[] dWeight, double[] dx) {
    }

    private static List<Instance> read(Path file, int d) throws IOException {
        List<Instance> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII))) {
            double[] centrePos = null;
            int[] ci = null;
            double weight = 0;
            double[] x = null;
            List<Entry> entries = null;
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.strip().split("\\s+");
                switch (f[0]) {
                    case "FRAME" -> { }
                    case "INSTANCE" -> {
                        if (entries != null) {
                            out.add(new Instance(ci[0], ci, weight, x, entries));
                        }
                        weight = Double.parseDouble(f[2]);
                        ci = new int[f.length - 3];
                        for (int k = 0; k < ci.length; k++) {
                            ci[k] = Integer.parseInt(f[3 + k]) - 1;
                        }
                        entries = new ArrayList<>();
                        centrePos = null;
                    }
                    case "X" -> x = Arrays.stream(f, 1, f.length).mapToDouble(Double::parseDouble).toArray();
                    case "GRAD" -> {
                        double[] v = Arrays.stream(f, 2, f.length).mapToDouble(Double::parseDouble).toArray();
                        double[] pos = Arrays.copyOfRange(v, 0, 3);
                        if (centrePos == null) {
                            centrePos = pos;
                        }
                        double[] off = {pos[0] - centrePos[0], pos[1] - centrePos[1], pos[2] - centrePos[2]};
                        entries.add(new Entry(Integer.parseInt(f[1]) - 1, off, Arrays.copyOfRange(v, 3, 6),
                                Arrays.copyOfRange(v, 6, 6 + 3 * d)));
                    }
                    default -> throw new IllegalStateException(file + ": unexpected line " + line);
                }
            }
            if (entries != null) {
                out.add(new Instance(ci[0], ci, weight, x, entries));
            }
        }
        return out;
    }

    /** The references: file, frame, descriptor string. */
    static Stream<Arguments> references() {
        return Stream.of(
                Arguments.of("angle_3b-si8", "si8", "angle_3b cutoff=3.0 cutoff_transition_width=0.6"),
                Arguments.of("angle_3b-sic2", "sic2",
                        "angle_3b cutoff=3.3 cutoff_transition_width=0.5 Z=14 Z1=6 Z2=14"),
                Arguments.of("distance_Nb-si8", "si8",
                        "distance_Nb order=3 cutoff=3.0 cutoff_transition_width=0.5 Z={14 14 14}"),
                Arguments.of("distance_Nb-sic2", "sic2",
                        "distance_Nb order=3 cutoff=3.2 cutoff_transition_width=0.6 Z={6 14 14}"),
                Arguments.of("distance_Nb-sic8", "sic8",
                        "distance_Nb order=3 cutoff=2.4 cutoff_transition_width=0.4 Z={0 0 0}"),
                Arguments.of("distance_Nb-sic8-mixed", "sic8",
                        "distance_Nb order=3 cutoff=3.1 cutoff_transition_width=0.3 Z={0 0 0}"));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("references")
    void instancesMatchQuip(String reference, String frame, String descriptor) throws IOException {
        Path dir = QuipPredictions.dir("descriptors");
        Structure s = ExtXyz.read(dir.resolve(frame + ".xyz")).get(0);
        Descriptor desc = DescriptorString.parse(descriptor).create();
        int d = desc.dimension();
        List<Instance> quip = read(dir.resolve(reference + ".txt.gz"), d);
        DescriptorOutput out = desc.newOutput();
        desc.compute(s, NeighbourList.build(s, desc.cutoff() + 0.5, true), true, out);
        assertEquals(quip.size(), out.count(), "number of instances");
        Map<String, List<Integer>> ours = new HashMap<>();
        for (int i = 0; i < out.count(); i++) {
            StringBuilder b = new StringBuilder().append(out.centre(i));
            for (int e = out.gradientStart(i); e < out.gradientEnd(i); e++) {
                b.append('|').append(out.gradientAtom(e));
                for (int k = 0; k < 3; k++) {
                    b.append(',').append(Math.round(out.gradientOffsets()[3 * e + k] * 1e6));
                }
            }
            ours.computeIfAbsent(b.toString(), k -> new ArrayList<>()).add(i);
        }
        double worst = 0;
        for (Instance q : quip) {
            List<Integer> match = ours.get(q.key());
            assertNotNull(match, "no instance of ours has QUIP's centre, atoms and images " + q.key());
            int i = match.get(0);
            String where = reference + " instance " + q.key();
            for (int c = 0; c < d; c++) {
                worst = Math.max(worst, Math.abs(out.value(i, c) - q.x()[c]));
                assertEquals(q.x()[c], out.value(i, c), 1e-12, where + " component " + c);
            }
            assertEquals(q.weight(), out.cutoffWeight(i), 1e-14, where + " cutoff weight");
            int[] shares = new int[out.energyShares()];
            for (int k = 0; k < shares.length; k++) {
                shares[k] = out.energyAtom(i, k);
            }
            int[] ci = q.ci().clone();
            Arrays.sort(ci);
            Arrays.sort(shares);
            assertArrayEquals(ci, shares, where + ": atoms sharing the energy (QUIP's ci)");
            for (int e = 0; e < q.entries().size(); e++) {
                Entry qe = q.entries().get(e);
                int oe = out.gradientStart(i) + e;
                for (int k = 0; k < 3; k++) {
                    assertEquals(qe.dWeight()[k], out.cutoffWeightGradients()[3 * oe + k], 1e-12,
                            where + " entry " + e + ": d(cutoff weight)/dr_" + k);
                    for (int c = 0; c < d; c++) {
                        double ref = qe.dx()[k * d + c];
                        double got = out.gradients()[(3 * oe + k) * d + c];
                        worst = Math.max(worst, Math.abs(ref - got));
                        assertEquals(ref, got, 1e-12, where + " entry " + e + ": dx_" + c + "/dr_" + k);
                    }
                }
            }
            if (match.size() > 1) {
                match.remove(0);
            }
        }
        assertTrue(quip.size() > 20, "too few instances to be a test");
        System.out.printf("%s: %d instances, max |difference| %.2e%n", reference, quip.size(), worst);
    }

    /**
     * gap_fit numbers the candidates of its sparse points in QUIP's instance order: on QUIP's neighbour order
     * ({@link QuipNeighbourOrder}, connected with the cutoff quip_describe uses) our instances come in QUIP's order,
     * with QUIP's vectors to the bit; distance_Nb's order (QUIP sorts its clusters) holds on any neighbour list, and in
     * the mixed-species case a cluster's first neighbour is the one of lowest species, while clusters are ordered by
     * its atom index.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("references")
    void instancesComeInQuipsOrderWithQuipsValues(String reference, String frame, String descriptor)
            throws IOException {
        Path dir = QuipPredictions.dir("descriptors");
        Structure s = ExtXyz.read(dir.resolve(frame + ".xyz")).get(0);
        Descriptor desc = DescriptorString.parse(descriptor).create();
        List<Instance> quip = read(dir.resolve(reference + ".txt.gz"), desc.dimension());
        List<NeighbourList> lists = new ArrayList<>(List.of(QuipNeighbourOrder.build(s, desc.cutoff() + 0.5)));
        if (descriptor.startsWith("distance_Nb")) {
            lists.add(NeighbourList.build(s, desc.cutoff() + 0.5, true));
        }
        for (NeighbourList list : lists) {
            DescriptorOutput out = desc.newOutput();
            desc.compute(s, list, false, out);
            assertEquals(quip.size(), out.count(), "number of instances");
            for (int i = 0; i < quip.size(); i++) {
                Instance q = quip.get(i);
                int[] ours = new int[out.energyShares()];
                for (int k = 0; k < ours.length; k++) {
                    ours[k] = out.energyAtom(i, k);
                }
                int[] ci = out.energyShares() == 1 ? new int[] {q.centre()} : q.ci();
                assertArrayEquals(ci, ours, reference + " instance " + i + ": QUIP's atoms, in QUIP's order");
                for (int c = 0; c < desc.dimension(); c++) {
                    assertEquals(q.x()[c], out.value(i, c), 0, reference + " instance " + i + " component " + c);
                }
            }
        }
    }
}
