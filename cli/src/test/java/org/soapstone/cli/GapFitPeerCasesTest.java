package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.soapstone.engine.io.Json;
import org.soapstone.engine.testing.SharedData;
import org.soapstone.engine.testing.ShellWords;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * QUIP's own gap_fit tests ({@code tests/test_gapfit.py}, class {@code TestGAP_fit}), run through {@code soapstone fit}
 * as they are written: each case's gap_fit arguments ({@code ../shared/peer-tests/quip/gapfit-command-lines.json}),
 * split as the shell splits them, in a directory holding the training file, the input files the test prepares from
 * its reference and its config file. Soapstone has no MPI: a launcher {@code mpirun -np N} becomes
 * {@code --mpi-processes N}, which makes the fit choose its sparse points as gap_fit's N processes do. The result is
 * checked as {@code check_gap_fit} checks gap_fit's: the sparseX files and the α of the written {@code gp.xml}
 * against gap_fit's stored ones ({@code sparsex_tol} 1e-8, {@code alpha_tol} 1e-5, every coordinate), the
 * {@code sparse_index.out} that {@code print_sparse_index} wrote against gap_fit's indices (exactly, but for another
 * copy of a repeated environment: {@link #sameIndicesUpToCopies}), and for the case
 * with {@code export_covariance=T} the committee check of {@code check_gap_committee} (200 posterior samples drawn
 * with NumPy's seed 1 from the exported {@code gp.xml.R.<label>}, read as {@code quippy.gap_tools.read_xml} reads
 * it; every weight's sample mean within 0.2 sample standard deviations of α). The sparsify-only case, whose test
 * reads gap_fit's log, is checked on what it writes instead: the sparse points and indices of its reference run, no
 * fit (α = 0).
 */
class GapFitPeerCasesTest {
    private static final String PEER = "peer-tests/quip/";

    static Stream<String> cases() throws IOException {
        Path file = SharedData.root().resolve(PEER + "gapfit-command-lines.json");
        if (!Files.exists(file)) {
            return Stream.of("(absent)");
        }
        return tests(file).keySet().stream();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tests(Path file) throws IOException {
        return (Map<String, Object>) ((Map<String, Object>) Json.parse(Files.readString(file))).get("tests");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runsAsGapFitDoes(String name, @TempDir Path dir) throws Exception {
        Path commandLines = SharedData.require(PEER + "gapfit-command-lines.json");
        Map<String, Object> doc = map(Json.parse(Files.readString(commandLines)));
        Map<String, Object> tolerances = map(doc.get("tolerances"));
        double sparseXTolerance = ((Number) tolerances.get("sparsex_abs")).doubleValue();
        double alphaTolerance = ((Number) tolerances.get("alpha_abs")).doubleValue();
        Map<String, Object> test = map(map(doc.get("tests")).get(name));

        String atFile = (String) test.get("at_file");
        Files.copy(SharedData.require(PEER + atFile), dir.resolve(atFile));
        String referenceName = (String) test.get("reference");
        boolean sparsifyOnly = test.get("config_file") != null
                && ((String) map(test.get("config_file")).get("content")).contains("sparsify_only_no_fit=T");
        if (sparsifyOnly) {
            referenceName = "Si.soap.cur_points.json"; // the same gap string and seed: gap_fit's sparse points
        }
        Map<String, Object> reference = referenceName == null ? null
                : map(Json.parse(Files.readString(SharedData.require(PEER + referenceName))));
        if (test.get("prepared_input") != null) {
            prepare(map(test.get("prepared_input")), reference, dir);
        }
        if (test.get("config_file") != null) {
            Map<String, Object> config = map(test.get("config_file"));
            Files.writeString(dir.resolve((String) config.get("name")), (String) config.get("content"));
        }

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "org.soapstone.cli.SoapstoneCommand", "fit"));
        command.addAll(ShellWords.split((String) test.get("command_line")));
        command.addAll(List.of("--threads", "2"));
        Matcher launcher = Pattern.compile("mpirun -np (\\d+)").matcher((String) test.get("launcher"));
        if (launcher.find()) {
            command.addAll(List.of("--mpi-processes", launcher.group(1)));
        }
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("fit.log").toFile()).start();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), name + " did not finish");
        String log = Files.readString(dir.resolve("fit.log"));
        assertEquals(0, process.exitValue(), name + " failed:\n" + log);

        List<Map<String, double[]>> coords = coordinates(dir.resolve("gp.xml"));
        if (reference != null) {
            List<Object> refCoords = list(reference.get("coords"));
            assertEquals(refCoords.size(), coords.size(), name + ": number of coordinates");
            for (int c = 0; c < coords.size(); c++) {
                double[] sparseX = doubles(map(refCoords.get(c)).get("sparsex"));
                double[] alpha = doubles(map(refCoords.get(c)).get("alpha"));
                assertEquals(sparseX.length, coords.get(c).get("sparsex").length, name + " coordinate " + c);
                assertEquals(alpha.length, coords.get(c).get("alpha").length, name + " coordinate " + c);
                double dx = maxDifference(sparseX, coords.get(c).get("sparsex"));
                System.out.printf("%s coordinate %d: max |sparseX - gap_fit| %.3g, max |alpha - gap_fit| %.3g%n",
                        name, c, dx, sparsifyOnly ? Double.NaN : maxDifference(alpha, coords.get(c).get("alpha")));
                assertTrue(dx < sparseXTolerance, name + " coordinate " + c + ": sparseX differs by " + dx);
                if (sparsifyOnly) {
                    assertEquals(0.0, maxDifference(new double[alpha.length], coords.get(c).get("alpha")),
                            name + ": no fit, so alpha = 0");
                } else {
                    double da = maxDifference(alpha, coords.get(c).get("alpha"));
                    assertTrue(da < alphaTolerance, name + " coordinate " + c + ": alpha differs by " + da);
                }
            }
            Path index = dir.resolve("sparse_index.out");
            if (Files.exists(index)) {
                List<List<Long>> written = new ArrayList<>();
                for (String line : Files.readAllLines(index)) {
                    written.add(Stream.of(line.trim().split("\\s+")).map(Long::valueOf).toList());
                }
                sameIndicesUpToCopies(list(reference.get("index")), written, refCoords, coords, sparseXTolerance,
                        name);
            }
        }
        if (Boolean.TRUE.equals(test.get("committee_check"))) {
            committee(dir, name);
        }
    }

    /**
     * {@code sparse_index.out} against gap_fit's, index for index. gap_fit sets aside one of two candidates whose
     * descriptors agree within {@code unique_descriptor_tolerance} (equivalent atoms of a crystal) by the order of
     * their hashes, 1-norms that differ by rounding only: which copy survives is decided by last bits that neither
     * code's descriptor fixes. So where an index differs it must name another copy of gap_fit's environment: the
     * sparse point at that position equals gap_fit's to the sparseX tolerance.
     */
    private static void sameIndicesUpToCopies(List<Object> reference, List<List<Long>> written, List<Object> refCoords,
            List<Map<String, double[]>> coords, double tolerance, String name) {
        assertEquals(reference.size(), written.size(), name + ": sparse_index.out lines");
        for (int c = 0; c < written.size(); c++) {
            List<Object> expected = list(reference.get(c));
            List<Long> actual = written.get(c);
            assertEquals(expected.size(), actual.size(), name + ": sparse_index.out line " + (c + 1));
            double[] refX = doubles(map(refCoords.get(c)).get("sparsex"));
            double[] x = coords.get(c).get("sparsex");
            int d = x.length / actual.size();
            for (int i = 0; i < actual.size(); i++) {
                if (((Number) expected.get(i)).longValue() != actual.get(i)) {
                    double[] a = Arrays.copyOfRange(refX, i * d, (i + 1) * d);
                    double[] b = Arrays.copyOfRange(x, i * d, (i + 1) * d);
                    assertTrue(maxDifference(a, b) < tolerance, name + ": sparse_index.out line " + (c + 1)
                            + " names " + actual.get(i) + " where gap_fit has " + expected.get(i)
                            + ", and that is no copy of gap_fit's environment");
                    System.out.printf("%s: index %d where gap_fit has %s, a copy of its environment%n", name,
                            actual.get(i), expected.get(i));
                }
            }
        }
    }

    /** The input file the test makes from its reference: the first coordinate's indices, or its sparse points. */
    private static void prepare(Map<String, Object> input, Map<String, Object> reference, Path dir)
            throws IOException {
        int c = ((Number) input.get("coordinate")).intValue();
        StringBuilder s = new StringBuilder();
        if (input.get("kind").equals("index")) {
            for (Object i : list(list(reference.get("index")).get(c))) {
                s.append(i).append('\n');
            }
        } else {
            Map<String, Object> coord = map(list(reference.get("coords")).get(c));
            int d = ((Number) coord.get("dimensions")).intValue();
            double[] x = doubles(coord.get("sparsex"));
            double[] cutoff = doubles(coord.get("cutoff"));
            for (int p = 0; p < cutoff.length; p++) {
                s.append(cutoff[p]).append('\n');
                for (int k = 0; k < d; k++) {
                    s.append(x[p * d + k]).append('\n');
                }
            }
        }
        Files.writeString(dir.resolve((String) input.get("file")), s.toString());
    }

    /** Per gpCoordinates of gap_fit's XML: alpha and sparseCutoff from the XML, sparseX from its file. */
    private static List<Map<String, double[]>> coordinates(Path xml) throws Exception {
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
                .getDocumentElement();
        NodeList params = root.getElementsByTagName("GAP_params");
        Element sparse = (Element) ((Element) params.item(0)).getElementsByTagName("gpSparse").item(0);
        NodeList coords = sparse.getElementsByTagName("gpCoordinates");
        List<Map<String, double[]>> out = new ArrayList<>();
        for (int c = 0; c < coords.getLength(); c++) {
            Element coord = (Element) coords.item(c);
            NodeList points = coord.getElementsByTagName("sparseX");
            double[] alpha = new double[points.getLength()];
            for (int i = 0; i < alpha.length; i++) {
                alpha[i] = Double.parseDouble(((Element) points.item(i)).getAttribute("alpha"));
            }
            String[] values = Files.readString(xml.resolveSibling(coord.getAttribute("sparseX_filename"))).strip()
                    .split("\\s+");
            double[] sparseX = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                sparseX[i] = Double.parseDouble(values[i]);
            }
            out.add(Map.of("alpha", alpha, "sparsex", sparseX));
        }
        return out;
    }

    /**
     * {@code check_gap_committee}: the exported R read as {@code quippy.gap_tools.read_xml} reads it
     * ({@code np.loadtxt(R).reshape((M, M)).T}), 200 weight vectors α + R⁻¹z with z from NumPy's generator seeded
     * with 1, and every weight's sample mean within 0.2 of its sample standard deviation of α.
     */
    private static void committee(Path dir, String name) throws Exception {
        String script = String.join("\n",
                "import sys, xml.etree.ElementTree as ET",
                "import numpy as np",
                "root = ET.parse('gp.xml').getroot()",
                "label = root[0].attrib['label']",
                "alpha = np.array([float(s.attrib['alpha']) for s in root.iter('sparseX')])",
                "R = np.loadtxt('gp.xml.R.' + label).reshape((alpha.size, alpha.size)).T",
                "np.random.seed(1)",
                "w = np.array([alpha + np.linalg.solve(R, np.random.normal(size=alpha.size)) for _ in range(200)])",
                "err = np.abs(np.average(w, axis=0) - alpha) / np.std(w, axis=0)",
                "print('max mean err =', np.max(err))",
                "sys.exit(0 if np.all(err < 0.2) else 1)",
                "");
        CliTesting.Run p = CliTesting.python(dir, script);
        String out = p.out();
        System.out.print(name + " committee: " + out);
        assertEquals(0, p.exitCode(), name + ": committee check failed: " + out);
    }

    private static double[] doubles(Object values) {
        List<Object> l = list(values);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).doubleValue();
        }
        return out;
    }

    private static double maxDifference(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
