package org.soapstone.engine.gap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.descriptor.DescriptorStringException;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.io.Json;
import org.soapstone.engine.io.Npy;
import org.soapstone.engine.io.NpyArray;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.AseScript;
import org.soapstone.engine.testing.TestModels;
import org.soapstone.gp.ObservationKind;
import org.soapstone.gp.PredictiveCalibration.Figures;
import org.soapstone.gp.PredictiveCalibration.Scale;
import org.soapstone.gp.SparseGpPosterior;

/**
 * Soapstone's model file: a bit-exact round trip of a model with a posterior, the gap_fit XML round trip through
 * it, NumPy reading it, and an error naming file, entry and field for every kind of bad file.
 */
class GapModelFileTest {
    @TempDir
    Path tmp;

    private static final Path SIC = QuipAgreementTest.dir("sic-2b-soap");

    private static GapModel withPosterior;

    /** The gap_fit reference model (3 distance_2b ard_se terms, 2 SOAP dot_product terms) with a posterior. */
    private static synchronized GapModel modelWithPosterior() throws IOException {
        if (withPosterior == null) {
            withPosterior = TestModels.withRandomPosterior(GapModel.readQuip(SIC.resolve("gp.xml")), 5);
        }
        return withPosterior;
    }

    private static FitProvenance provenance() {
        return new FitProvenance("0.1.0-test", "2026-11-22T05:00:00Z", List.of("fit", "--gap", "soap \"x\"", "é"),
                Map.of("train.xyz", "ab".repeat(32)), new LinkedHashMap<>(Map.of("rows", "490")));
    }

    @Test
    void writeThenReadIsBitIdenticalAndPredictsTheSame() throws Exception {
        GapModel original = modelWithPosterior();
        Path file = tmp.resolve("model.gap");
        GapModelFile.write(file, original, provenance());
        StoredModel stored = GapModelFile.read(file);
        GapModel back = stored.model();
        assertEquals(provenance(), stored.provenance());
        assertSameModel(original, back);
        SparseGpPosterior a = original.posterior();
        SparseGpPosterior b = back.posterior();
        assertArrayEquals(a.sparseCholesky().data(), b.sparseCholesky().data());
        assertArrayEquals(a.accumulator().augmentedFactor(), b.accumulator().augmentedFactor());
        assertEquals(a.accumulator().rows(), b.accumulator().rows());
        assertEquals(a.accumulator().logSigmaSum(), b.accumulator().logSigmaSum());
        assertEquals(a.accumulator().priorCount(), b.accumulator().priorCount());
        assertEquals(a.logMarginalLikelihood(), b.logMarginalLikelihood());
        assertArrayEquals(a.alpha(), b.alpha());
        Random random = new Random(11);
        for (int trial = 0; trial < 5; trial++) {
            double[] kStar = random.doubles(a.sparseCount(), -1, 1).toArray();
            assertEquals(a.variance(kStar, 50), b.variance(kStar, 50), "posterior variance");
        }
        assertSamePredictions(original, back);
        assertTrue(GapModelFile.isNative(file));
        assertSameModel(original, GapModel.read(file));
    }

    /**
     * A calibration record — noise per group, scales and figures per quantity and group, the force-σ proxy — is
     * read back equal (NaN figures as NaN), and the σ it gives are the same; a file without the proxy reads with
     * none, and a malformed proxy names its path.
     */
    @Test
    @SuppressWarnings("unchecked")
    void calibrationRecordRoundTripsWithItsForceProxy() throws Exception {
        Figures nan = new Figures(1, 1.0, 1.0, 0.5, -2.0, Double.NaN);
        Figures forces = new Figures(25630, 0.700, 0.953, 1.0, -0.94, 0.602);
        SigmaCalibration c = new SigmaCalibration(SigmaCalibration.Method.GROUP, 5, true,
                Map.of("default", new SigmaCalibration.Noise(0.01, 0.05, 0.01), "Surface",
                        new SigmaCalibration.Noise(0.02, 0.1, 0.02)),
                Map.of(ObservationKind.FORCE, Map.of("all", new Scale(13.6, 0.0198), "Surface", new Scale(15.3, 0))),
                Map.of(ObservationKind.FORCE, Map.of("all", forces, "Surface", nan)),
                new SigmaCalibration.ForceProxy(new Scale(3.61, 0.458), 100, Map.of("all", forces, "Vacancy", nan)));
        Path file = tmp.resolve("calibrated.gap");
        GapModelFile.write(file, modelWithPosterior().withCalibration(c), provenance());
        SigmaCalibration back = GapModelFile.read(file).model().calibration();
        assertEquals(c, back);
        assertEquals(c.proxyForceVariance(0.02), back.proxyForceVariance(0.02));
        assertEquals(3.61 * 3.61 * 0.02 + 0.458 * 0.458 * 0.05 * 0.05, back.proxyForceVariance(0.02), 1e-15);
        assertEquals(15.3 * 15.3 * 0.3, back.variance(ObservationKind.FORCE, "Surface", 8, 0.3), 1e-15);

        Path without = tmp.resolve("without.gap");
        GapModelFile.write(without, modelWithPosterior().withCalibration(new SigmaCalibration(c.method(), c.folds(),
                c.noisePerAtom(), c.noise(), c.scales(), c.figures(), null)), provenance());
        SigmaCalibration none = GapModelFile.read(without).model().calibration();
        assertNull(none.forceProxy());
        assertThrows(IllegalStateException.class, () -> none.proxyForceVariance(0.02));
        assertFails(editedJsonOf(file, "bad-proxy.gap", d -> ((Map<String, Object>) ((Map<String, Object>)
                d.get("calibration")).get("force_proxy")).remove("scale")),
                "model.json: calibration.force_proxy.scale: missing");
        assertFails(editedJsonOf(file, "bad-rank.gap", d -> ((Map<String, Object>) ((Map<String, Object>)
                d.get("calibration")).get("force_proxy")).put("rank", -3)),
                "model.json: calibration.force_proxy: the proxy's variance rank must be ≥ 0");
        assertFails(editedJsonOf(file, "half-rank.gap", d -> ((Map<String, Object>) ((Map<String, Object>)
                d.get("calibration")).get("force_proxy")).put("rank", 2.5)),
                "model.json: calibration.force_proxy.rank: expected a whole number, found 2.5");
        // a model written before the proxy's rank existed was calibrated on exact local variances
        Path older = editedJsonOf(file, "older.gap", d -> ((Map<String, Object>) ((Map<String, Object>)
                d.get("calibration")).get("force_proxy")).remove("rank"));
        SigmaCalibration.ForceProxy exact = GapModelFile.read(older).model().calibration().forceProxy();
        assertEquals(0, exact.rank());
        assertEquals(40, exact.rank(40));
        assertEquals(40, c.forceProxy().rank(40));
        assertEquals(100, c.forceProxy().rank(1000));
    }

    @Test
    void gapFitXmlThroughTheModelFileAndBackPredictsTheSame() throws Exception {
        GapModel xml = GapModel.readQuip(SIC.resolve("gp.xml"));
        Path file = tmp.resolve("converted.gap");
        GapModelFile.write(file, xml, null);
        StoredModel stored = GapModelFile.read(file);
        assertNull(stored.provenance());
        assertFalse(stored.model().hasPosterior());
        assertSameModel(xml, stored.model());
        Path again = tmp.resolve("again.xml");
        stored.model().writeQuip(again);
        GapModel back = GapModel.read(again);
        assertFalse(GapModelFile.isNative(again));
        assertSamePredictions(xml, back);
    }

    private static void assertSameModel(GapModel a, GapModel b) {
        assertEquals(a.label(), b.label());
        assertEquals(a.gapVersion(), b.gapVersion());
        assertArrayEquals(a.e0(), b.e0());
        assertEquals(a.terms().size(), b.terms().size());
        for (int t = 0; t < a.terms().size(); t++) {
            GapTerm x = a.terms().get(t);
            GapTerm y = b.terms().get(t);
            assertEquals(x.label(), y.label());
            assertEquals(x.descriptor().text(), y.descriptor().text());
            assertEquals(x.descriptor().descriptor(), y.descriptor().descriptor());
            assertEquals(x.covariance(), y.covariance());
            assertEquals(x.delta(), y.delta());
            assertEquals(x.f0(), y.f0());
            assertEquals(x.zeta(), y.zeta());
            assertArrayEquals(x.theta(), y.theta());
            assertArrayEquals(x.sparseX(), y.sparseX());
            assertArrayEquals(x.alpha(), y.alpha());
            assertArrayEquals(x.sparseCutoff(), y.sparseCutoff());
        }
        assertEquals(a.hasPosterior(), b.hasPosterior());
    }

    private static void assertSamePredictions(GapModel a, GapModel b) throws IOException {
        List<Structure> frames = ExtXyz.read(SIC.resolve("quip-predictions.xyz"));
        try (WorkerPool pool = new WorkerPool(1)) {
            ReferenceGapCalculator ca = new ReferenceGapCalculator(a, pool);
            ReferenceGapCalculator cb = new ReferenceGapCalculator(b, pool);
            for (Structure s : frames) {
                CalculationResults ra = ca.calculate(s);
                CalculationResults rb = cb.calculate(s);
                assertEquals(ra.energy, rb.energy, 1e-12 * Math.abs(ra.energy));
                assertArrayEquals(ra.forces, rb.forces, 1e-12);
                assertArrayEquals(ra.stress, rb.stress, 1e-12);
                assertArrayEquals(ra.energies, rb.energies, 1e-12);
                assertArrayEquals(ca.localVariance(s), cb.localVariance(s), 1e-12);
            }
        }
    }

    /**
     * NumPy reads the file with only zipfile, json and numpy: it recomputes a SOAP (dot_product) and a
     * distance_2b (ard_se) term's local energy for given descriptor vectors, α = R⁻¹c and the posterior variance
     * of a kernel row from U and R̃, and the log marginal likelihood from the stored sums — each compared with
     * Soapstone's own numbers.
     */
    @Test
    void numpyReadsTheFileAndRecomputesEnergiesAndTheVariance() throws Exception {
        GapModel model = modelWithPosterior();
        Path file = tmp.resolve("model.gap");
        GapModelFile.write(file, model, provenance());
        GapTerm soap = model.terms().get(3);
        GapTerm pair = model.terms().get(0);
        double[] sx = soap.sparseX();
        int d = soap.dimension();
        double[] x = new double[d];
        double norm = 0;
        for (int j = 0; j < d; j++) {
            x[j] = sx[j] + 0.3 * sx[d + j];
            norm += x[j] * x[j];
        }
        for (int j = 0; j < d; j++) {
            x[j] /= Math.sqrt(norm);
        }
        double[] r = {2.37};
        Npy.write(tmp.resolve("x3.npy"), NpyArray.of(x, d));
        Npy.write(tmp.resolve("x0.npy"), NpyArray.of(r, 1));
        SparseGpPosterior post = model.posterior();
        double[] kStar = new Random(3).doubles(post.sparseCount(), -1, 1).toArray();
        Npy.write(tmp.resolve("k.npy"), NpyArray.of(kStar, kStar.length));
        String script = """
                import io, json, sys, zipfile
                import numpy as np
                z = zipfile.ZipFile(sys.argv[1])
                meta = json.loads(z.read('model.json'))
                assert meta['format'] == 'soapstone-gap' and meta['format_version'] == 1
                arr = lambda name: np.load(io.BytesIO(z.read(name)))
                def energy(t, x):
                    a = t['arrays']
                    X, alpha, c = arr(a['sparse_x']), arr(a['alpha']), arr(a['sparse_cutoff'])
                    assert X.shape == (t['sparse_count'], t['dimension'])
                    if t['covariance'] == 'dot_product':
                        k = t['delta'] ** 2 * (X @ x) ** t['zeta']
                    else:
                        q = (((X - x) / arr(a['theta'])) ** 2).sum(axis=1)
                        k = t['delta'] ** 2 * np.exp(-0.5 * q) + t['f0'] ** 2
                    return [float((alpha * k * c).sum()), float(abs(alpha * k * c).sum())]
                terms = meta['terms']
                out = {'e3': energy(terms[3], np.load(sys.argv[2])), 'e0': energy(terms[0], np.load(sys.argv[3]))}
                p = meta['posterior']
                U, Ra = arr(p['arrays']['u']), arr(p['arrays']['r_augmented'])
                m = p['sparse_count']
                assert p['u_triangle'] == 'upper' and U.shape == (m, m) and Ra.shape == (m + 1, m + 1)
                assert not np.tril(U, -1).any() and not np.tril(Ra, -1).any()
                R, c, rho = Ra[:m, :m], Ra[:m, m], Ra[m, m]
                out['alpha'] = np.linalg.solve(R, c).tolist()
                k = np.load(sys.argv[4])
                a, b = np.linalg.solve(U.T, k), np.linalg.solve(R.T, k)
                out['variance'] = float(50 - a @ a + b @ b)
                out['lml'] = float(-0.5 * rho ** 2 - p['log_sigma_sum'] - np.log(abs(np.diag(R))).sum()
                                   + np.log(np.diag(U)).sum() - 0.5 * p['rows'] * np.log(2 * np.pi))
                out['stored_lml'] = p['log_marginal_likelihood']
                out['e0_Si'] = meta['e0']['Si']
                print(json.dumps(out))
                """;
        @SuppressWarnings("unchecked")
        Map<String, Object> got = (Map<String, Object>) Json.parse(AseScript.run(script, file.toString(),
                tmp.resolve("x3.npy").toString(), tmp.resolve("x0.npy").toString(), tmp.resolve("k.npy").toString()));
        TermPredictor.Scratch scratch = new TermPredictor.Scratch(200, d);
        double e3 = new TermPredictor(soap).predict(x, 0, null, scratch);
        double e0 = new TermPredictor(pair).predict(r, 0, null, scratch);
        // Σ α_s k_s cancels: the rounding scale is Σ |α_s k_s|, which NumPy reports second
        List<?> py3 = (List<?>) got.get("e3");
        List<?> py0 = (List<?>) got.get("e0");
        assertEquals(e3, (Double) py3.get(0), 1e-13 * (Double) py3.get(1), "SOAP term energy from NumPy");
        assertEquals(e0, (Double) py0.get(0), 1e-13 * (Double) py0.get(1), "distance_2b term energy from NumPy");
        assertTrue(Math.abs(e3) > 1e-3 && Math.abs(e0) > 1e-3, "energies too small to test: " + e3 + ", " + e0);
        double[] alpha = ((List<?>) got.get("alpha")).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
        assertArrayEquals(post.alpha(), alpha, 1e-9 * Arrays.stream(alpha).map(Math::abs).max().orElseThrow());
        double variance = post.variance(kStar, 50);
        assertEquals(variance, (Double) got.get("variance"), 1e-9 * Math.abs(variance), "posterior variance");
        double lml = post.logMarginalLikelihood();
        assertEquals(lml, (Double) got.get("lml"), 1e-9 * Math.abs(lml), "log marginal likelihood from NumPy");
        assertEquals(lml, (Double) got.get("stored_lml"));
        assertEquals(model.e0(14), (Double) got.get("e0_Si"));
    }

    // ---- a file written before the schema was declared as records still loads ----

    /**
     * {@code test-data/model-format1.gap} (format_version 1, written by the code before {@link ModelDocument}; see
     * {@code test-data/README.md}) loads, and what it loads is what an independent reading of the file finds — the
     * JSON by the plain parser, every array by the NumPy reader — and its posterior is the terms' own: α = R⁻¹c
     * from the arrays equals the weights each term stores. Written again, it is the same document and arrays.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aFormatVersion1FileWrittenBeforeTheRecordsStillLoads() throws Exception {
        Path file = Path.of(System.getProperty("soapstone.root"), "test-data", "model-format1.gap");
        StoredModel stored = GapModelFile.read(file);
        GapModel model = stored.model();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        Map<String, Object> doc = (Map<String, Object>) Json.parse(new String(entries.get("model.json"),
                StandardCharsets.UTF_8));
        assertEquals(doc.get("label"), model.label());
        assertEquals(((Long) doc.get("gap_version")).intValue(), model.gapVersion());
        assertEquals((Double) ((Map<String, Object>) doc.get("e0")).get("Si"), model.e0(14));
        List<Object> terms = (List<Object>) doc.get("terms");
        assertEquals(2, terms.size());
        assertEquals(terms.size(), model.terms().size());
        double[] alpha = new double[0];
        for (int i = 0; i < terms.size(); i++) {
            Map<String, Object> t = (Map<String, Object>) terms.get(i);
            Map<String, Object> arrays = (Map<String, Object>) t.get("arrays");
            GapTerm term = model.terms().get(i);
            assertEquals(t.get("label"), term.label());
            assertEquals(t.get("descriptor"), term.descriptor().text());
            assertEquals(t.get("covariance"), term.covariance().name().toLowerCase(java.util.Locale.ROOT));
            assertEquals((Double) t.get("delta"), term.delta());
            assertEquals((Double) t.get("f0"), term.f0());
            assertEquals((Double) t.get("zeta"), term.zeta());
            assertEquals((Long) t.get("sparse_count"), term.sparseCount());
            assertEquals((Long) t.get("dimension"), term.dimension());
            assertArrayEquals(npy(entries.get((String) arrays.get("sparse_x"))).doubles(), term.sparseX());
            assertArrayEquals(npy(entries.get((String) arrays.get("alpha"))).doubles(), term.alpha());
            assertArrayEquals(npy(entries.get((String) arrays.get("sparse_cutoff"))).doubles(), term.sparseCutoff());
            if (arrays.containsKey("theta")) {
                assertArrayEquals(npy(entries.get((String) arrays.get("theta"))).doubles(), term.theta());
            }
            alpha = java.util.stream.DoubleStream.concat(Arrays.stream(alpha), Arrays.stream(term.alpha())).toArray();
        }
        assertTrue(((Map<String, Object>) ((Map<String, Object>) terms.get(0)).get("arrays")).containsKey("theta"),
                "the file has an ard_se term with its length scales");
        Map<String, Object> p = (Map<String, Object>) doc.get("posterior");
        SparseGpPosterior post = model.posterior();
        int m = ((Long) p.get("sparse_count")).intValue();
        assertEquals(m, post.sparseCount());
        assertEquals((Long) p.get("rows"), post.observations());
        assertEquals((Double) p.get("log_marginal_likelihood"), post.logMarginalLikelihood(),
                1e-9 * Math.abs(post.logMarginalLikelihood()));
        double[] u = npy(entries.get("posterior/u.npy")).doubles();
        double[] uLoaded = post.sparseCholesky().data();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                assertEquals(u[i * m + j], uLoaded[i + j * m], "U[" + i + ", " + j + "]");
            }
        }
        double scale = Arrays.stream(alpha).map(Math::abs).max().orElseThrow();
        assertTrue(scale > 0, "the terms have weights");
        double[] fromPosterior = post.alpha();
        for (int j = 0; j < m; j++) {
            assertEquals(alpha[j], fromPosterior[j], 1e-9 * scale, "α[" + j + "] = (R⁻¹c)[" + j + "]");
        }
        Map<String, Object> prov = (Map<String, Object>) doc.get("provenance");
        assertEquals(prov.get("soapstone_version"), stored.provenance().soapstoneVersion());
        assertEquals(prov.get("created"), stored.provenance().created());
        assertEquals(prov.get("command_line"), stored.provenance().commandLine());
        assertEquals(prov.get("training_files"), stored.provenance().trainingFiles());
        assertEquals(prov.get("summary"), stored.provenance().summary());
        // and today's writer writes the same document (whitespace aside) and the same arrays
        Path again = tmp.resolve("again.gap");
        GapModelFile.write(again, model, stored.provenance());
        Map<String, byte[]> rewritten = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(again))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                rewritten.put(e.getName(), in.readAllBytes());
            }
        }
        assertEquals(doc, Json.parse(new String(rewritten.get("model.json"), StandardCharsets.UTF_8)));
        assertEquals(entries.keySet(), rewritten.keySet());
        for (String name : entries.keySet()) {
            if (name.endsWith(".npy")) {
                assertArrayEquals(entries.get(name), rewritten.get(name), name);
            }
        }
    }

    // ---- bad files: every error names the file, the entry and the field ----

    private Path written() throws IOException {
        Path file = tmp.resolve("good.gap");
        if (!Files.exists(file)) {
            GapModelFile.write(file, modelWithPosterior(), provenance());
        }
        return file;
    }

    /** @return a copy of the good file with its entries edited by {@code edit} (name → bytes, in order) */
    private Path edited(String name, Consumer<Map<String, byte[]>> edit) throws IOException {
        return edited(written(), name, edit);
    }

    /** @return a copy of {@code source} with its entries edited by {@code edit} (name → bytes, in order) */
    private Path edited(Path source, String name, Consumer<Map<String, byte[]>> edit) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(source))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        edit.accept(entries);
        Path out = tmp.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out;
    }

    /** @return a copy with model.json edited as a tree */
    @SuppressWarnings("unchecked")
    private Path editedJson(String name, Consumer<Map<String, Object>> edit) throws IOException {
        return editedJsonOf(written(), name, edit);
    }

    /** @return a copy of {@code source} with model.json edited as a tree */
    @SuppressWarnings("unchecked")
    private Path editedJsonOf(Path source, String name, Consumer<Map<String, Object>> edit) throws IOException {
        return edited(source, name, entries -> {
            Map<String, Object> doc = (Map<String, Object>) Json.parse(
                    new String(entries.get("model.json"), StandardCharsets.UTF_8));
            edit.accept(doc);
            entries.put("model.json", Json.format(doc).getBytes(StandardCharsets.UTF_8));
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> term(Map<String, Object> doc, int i) {
        return (Map<String, Object>) ((List<Object>) doc.get("terms")).get(i);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> posterior(Map<String, Object> doc) {
        return (Map<String, Object>) doc.get("posterior");
    }

    private static byte[] npy(NpyArray a) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Npy.write(out, a);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static NpyArray npy(byte[] bytes) {
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            return Npy.read(in, "test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertFails(Path file, String... parts) {
        IOException e = assertThrows(IOException.class, () -> GapModelFile.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should mention '" + p + "'");
        }
    }

    @Test
    void notAZipArchive() throws Exception {
        Path text = tmp.resolve("text.gap");
        Files.writeString(text, "<GAP>not a zip</GAP>\n");
        assertFails(text, "not a zip archive");
        Path cut = tmp.resolve("cut.gap");
        byte[] bytes = Files.readAllBytes(written());
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(GapModelFile.isNative(cut));
        assertFails(cut, "not a zip archive");
    }

    @Test
    void corruptCompressedDataNamesTheEntry() throws Exception {
        Path bad = tmp.resolve("flipped.gap");
        byte[] bytes = Files.readAllBytes(written());
        for (int k = 0; k < 16; k++) {
            bytes[bytes.length / 2 + k] ^= (byte) 0x5a;
        }
        Files.write(bad, bytes);
        // depending on what the flipped bits decode to: bad deflate data, a CRC mismatch, or extra/missing bytes
        IOException e = assertThrows(IOException.class, () -> GapModelFile.read(bad));
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(bad.toString())
                + ": (terms/\\d+|posterior)/\\w+\\.npy: .*(corrupt|bytes|truncated).*"), e.getMessage());
    }

    @Test
    void missingModelJson() throws Exception {
        assertFails(edited("nojson.gap", e -> e.remove("model.json")), "model.json: missing");
    }

    @Test
    void malformedJson() throws Exception {
        Path f = edited("bad.gap", e -> e.put("model.json", "{\"format\": \"soapstone-gap\",\n \"x\" 1}"
                .getBytes(StandardCharsets.UTF_8)));
        assertFails(f, "model.json: malformed JSON: line 2");
    }

    @Test
    void unknownFormatOrVersion() throws Exception {
        assertFails(editedJson("f.gap", d -> d.put("format", "quip")), "model.json: format: 'quip'");
        assertFails(editedJson("v.gap", d -> d.put("format_version", 2L)), "model.json: format_version: 2 is not "
                + "supported");
    }

    @Test
    @SuppressWarnings("unchecked")
    void missingOrMistypedField() throws Exception {
        assertFails(editedJson("d.gap", d -> term(d, 2).remove("delta")), "model.json: terms[2].delta: missing");
        assertFails(editedJson("m.gap", d -> term(d, 1).put("sparse_count", "15")),
                "model.json: terms[1].sparse_count: expected an integer");
        assertFails(editedJson("u.gap", d -> ((Map<String, Object>) d.get("units")).put("length", "nm")),
                "model.json: units.length: 'nm'");
    }

    /**
     * A key this version does not know (a later one may add fields) is ignored; a fault deep in the document, or in
     * a term that is JSON null, names its path; a string of digits is not an integer, nor 2.5 a count, nor "NaN" a
     * finite number.
     */
    @Test
    @SuppressWarnings("unchecked")
    void unknownKeysAreIgnoredAndFaultsNameTheirPath() throws Exception {
        Path later = editedJson("later.gap", d -> {
            d.put("uncertainty_model", Map.of("energy_scale", 1.3));
            term(d, 0).put("observation_noise", 0.01);
        });
        assertSameModel(modelWithPosterior(), GapModelFile.read(later).model());
        assertFails(editedJson("calibration.gap", d -> d.put("calibration", Map.of("energy_scale", 1.3))),
                "model.json: calibration.method: missing");
        assertFails(editedJson("rows.gap", d -> posterior(d).put("rows", "490")),
                "model.json: posterior.rows: expected an integer");
        assertFails(editedJson("count.gap", d -> term(d, 3).put("sparse_count", 2.5)),
                "model.json: terms[3].sparse_count: expected an integer");
        assertFails(editedJson("null.gap", d -> ((List<Object>) d.get("terms")).set(1, null)),
                "model.json: terms[1]: missing");
        assertFails(editedJson("prov.gap", d -> ((Map<String, Object>) d.get("provenance")).remove("created")),
                "model.json: provenance.created: missing");
        assertFails(editedJson("nan.gap", d -> term(d, 0).put("f0", "NaN")),
                "model.json: terms[0].f0: NaN is not finite");
    }

    @Test
    void missingArray() throws Exception {
        assertFails(edited("a.gap", e -> e.remove("terms/1/alpha.npy")), "terms/1/alpha.npy: missing",
                "terms[1].arrays.alpha");
    }

    @Test
    void arrayOfWrongShapeOrDtype() throws Exception {
        assertFails(edited("s.gap", e -> e.put("terms/3/alpha.npy", npy(NpyArray.of(new double[99], 99)))),
                "terms/3/alpha.npy: shape: (99,), expected (100,)");
        assertFails(edited("x.gap", e -> e.put("terms/4/sparse_x.npy", npy(NpyArray.of(new double[391 * 100],
                100, 391, 1)))), "terms/4/sparse_x.npy: shape: (100, 391, 1), expected (100, 391)");
        assertFails(edited("t.gap", e -> e.put("terms/0/alpha.npy", npy(NpyArray.of(new long[15], 15)))),
                "terms/0/alpha.npy: dtype: '<i8', expected '<f8'");
        assertFails(edited("n.gap", e -> e.put("terms/0/alpha.npy", Arrays.copyOf(e.get("terms/0/alpha.npy"),
                100))), "terms/0/alpha.npy", "truncated");
    }

    @Test
    void nanInAnArray() throws Exception {
        Path f = edited("nan.gap", e -> {
            NpyArray x = npy(e.get("terms/3/sparse_x.npy"));
            x.doubles()[2 * 391 + 5] = Double.NaN;
            e.put("terms/3/sparse_x.npy", npy(x));
        });
        assertFails(f, "terms/3/sparse_x.npy: data: element [2, 5] is NaN");
    }

    @Test
    void descriptorThatDoesNotParse() throws Exception {
        String bad = "soap cutoff=5.0 n_max=8 l_max=8 atom_sigma=0.5 bogus_key=3";
        String parserMessage = assertThrows(DescriptorStringException.class, () -> DescriptorString.parse(bad))
                .getMessage();
        assertFails(editedJson("desc.gap", d -> term(d, 4).put("descriptor", bad)),
                "model.json: terms[4].descriptor: '" + bad + "': " + parserMessage);
    }

    @Test
    @SuppressWarnings("unchecked")
    void e0ForAnUnknownElement() throws Exception {
        assertFails(editedJson("e0.gap", d -> ((Map<String, Object>) d.get("e0")).put("Xx", 1.5)),
                "model.json: e0.Xx: unknown element symbol 'Xx'");
    }

    @Test
    void posteriorThatDoesNotMatchTheTerms() throws Exception {
        assertFails(editedJson("p.gap", d -> posterior(d).put("sparse_count", 244L)),
                "model.json: posterior.sparse_count: 244, but the terms have 245 sparse points");
        Path lower = edited("l.gap", e -> {
            NpyArray u = npy(e.get("posterior/u.npy"));
            u.doubles()[3 * 245 + 1] = 0.5;
            e.put("posterior/u.npy", npy(u));
        });
        assertFails(lower, "posterior/u.npy: data: element [3, 1] below the diagonal");
        assertFails(editedJson("lml.gap", d -> posterior(d).put("log_marginal_likelihood", 1.0)),
                "model.json: posterior.log_marginal_likelihood: 1.0, but the arrays give");
    }

    @Test
    void writingReplacesAtomicallyAndLeavesNoTemporaryFile() throws Exception {
        Path file = tmp.resolve("m.gap");
        Files.writeString(file, "old");
        GapModel model = GapModel.readQuip(SIC.resolve("gp.xml"));
        GapModelFile.write(file, model, null);
        assertSameModel(model, GapModelFile.read(file).model());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("m.gap"), files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
