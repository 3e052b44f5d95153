package org.soapstone.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.GapFit;
import org.soapstone.engine.fit.GapFitCommandLine;
import org.soapstone.engine.fit.TrainingDataException;
import org.soapstone.engine.fit.TrainingSet;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.structure.Structure;

/**
 * {@code soapstone fit --spark} against {@code soapstone fit} ({@link GapFit}, on threads, independent of Spark) on
 * SiC frames labelled by Tersoff (energies, forces, virials; Si and C; a pair and a SOAP descriptor, five terms):
 * the same sparse points, α and predictions for CUR, uniform and random selections; the same model when a task's
 * first attempt fails, when the set is several files or one file in many splits; stages named after the fit; progress
 * in frames; bad data named by file, line and field.
 */
class SparkGapFitTest {
    private static final String PAIR = "distance_2b cutoff=4.0 cutoff_transition_width=0.5 covariance_type=ard_se "
            + "delta=0.5 theta_uniform=1.0 n_sparse=8 add_species=T sparse_method=";
    private static final String SOAP = "soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 zeta=2 "
            + "cutoff_transition_width=0.5 delta=0.2 covariance_type=dot_product n_sparse=30 add_species=T "
            + "sparse_method=";
    /** CUR for SOAP, uniform for the pairs. */
    private static final String CUR_UNIFORM = "gap={" + PAIR + "uniform : " + SOAP + "cur_points}";
    private static final String RANDOM = "gap={" + PAIR + "random : " + SOAP + "random}";
    private static final int FRAMES = 18;

    @TempDir
    static Path dir;
    private static Path single;
    private static Path parts;
    private static List<Structure> held;
    private static final Map<String, GapFit.Result> fits = new ConcurrentHashMap<>();
    private static final List<String> stages = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void frames() throws Exception {
        List<Structure> frames = SicFrames.make(FRAMES, 7);
        single = SicFrames.write(dir.resolve("train.xyz"), frames);
        parts = Files.createDirectory(dir.resolve("parts"));
        SicFrames.write(parts.resolve("a.xyz"), frames.subList(0, 5));
        SicFrames.write(parts.resolve("b.xyz"), frames.subList(5, 12));
        SicFrames.write(parts.resolve("c.xyz"), frames.subList(12, FRAMES));
        held = SicFrames.make(3, 99);
        SharedSpark.get().sc().addSparkListener(new SparkListener() {
            @Override
            public void onStageCompleted(SparkListenerStageCompleted done) {
                stages.add(done.stageInfo().name());
            }
        });
    }

    private static List<String> arguments(String gap, String atFile) {
        return List.of("at_file=" + atFile, gap, "default_sigma={0.005 0.1 0.02 0}", "e0_method=average",
                "rnd_seed=11", "force_parameter_name=forces");
    }

    private static GapFit.Result local(String gap) {
        return fits.computeIfAbsent("local " + gap, k -> {
            var settings = GapFitCommandLine.parse(arguments(gap, single.toString()), dir);
            return GapFit.run(settings, TrainingSet.read(settings), "test", 2, FitListener.NONE);
        });
    }

    private static GapFit.Result spark(String gap, String atFile, FitListener listener) {
        GapFitCommandLine line = GapFitCommandLine.read(arguments(gap, atFile), dir);
        return SparkGapFit.run(SharedSpark.get(), line, dir, new SparkGapFit.Options(2, 0), "test", listener);
    }

    private static GapFit.Result spark(String gap) {
        return fits.computeIfAbsent("spark " + gap, k -> spark(gap, single.toString(), FitListener.NONE));
    }

    @Test
    void curAndUniformGiveTheModelOfTheLocalFit() {
        assertSameModel(local(CUR_UNIFORM), spark(CUR_UNIFORM), 1e-8);
    }

    @Test
    void randomGivesTheModelOfTheLocalFit() {
        assertSameModel(local(RANDOM), spark(RANDOM), 1e-8);
    }

    @Test
    void aTaskThatFailsItsFirstAttemptIsRetriedAndTheModelIsTheSame() {
        GapFit.Result reference = spark(CUR_UNIFORM);
        FlakyFileSystem.failed.clear();
        FlakyFileSystem.failing = "covariance and QR";
        GapFit.Result retried;
        try {
            retried = spark(CUR_UNIFORM, single.toString(), FitListener.NONE);
        } finally {
            FlakyFileSystem.failing = null;
        }
        assertFalse(FlakyFileSystem.failed.isEmpty(), "no task failed: the injection did not happen");
        assertSameModel(reference, retried, 0);
    }

    @Test
    void severalFilesAndOneFileInManySplitsGiveTheSameModel() {
        GapFit.Result whole = spark(CUR_UNIFORM);
        GapFit.Result directory = spark(CUR_UNIFORM, parts.toString(), FitListener.NONE);
        assertSameModel(whole, directory, 0);
        assertEquals(3, directory.provenance().trainingFiles().size(), "the directory's three files, hashed");
        var hadoop = SharedSpark.get().hadoopConfiguration();
        hadoop.set(TrainingFiles.MAX_SPLIT, "4096");
        GapFit.Result split;
        try {
            split = spark(CUR_UNIFORM, dir.resolve("parts") + "/[ab].xyz", FitListener.NONE);
        } finally {
            hadoop.unset(TrainingFiles.MAX_SPLIT);
        }
        assertEquals(12 * 64, Long.parseLong(split.provenance().summary().get("atoms")), "a glob: the first two files");
        GapFit.Result splitWhole;
        hadoop.set(TrainingFiles.MAX_SPLIT, "4096");
        try {
            splitWhole = spark(CUR_UNIFORM, single.toString(), FitListener.NONE);
        } finally {
            hadoop.unset(TrainingFiles.MAX_SPLIT);
        }
        assertSameModel(whole, splitWhole, 0);
    }

    @Test
    void stagesAreNamedAfterTheFitAndProgressCountsFrames() throws InterruptedException {
        Map<String, Long> totals = new LinkedHashMap<>();
        Map<String, AtomicLong> done = new ConcurrentHashMap<>();
        String[] current = new String[1];
        stages.clear();
        spark(RANDOM, single.toString(), new FitListener() {
            @Override
            public synchronized void stage(String name, long units) {
                totals.put(name, units);
                done.put(name, new AtomicLong());
                current[0] = name;
            }

            @Override
            public synchronized void advance(long units) {
                done.get(current[0]).addAndGet(units);
            }
        });
        for (String s : List.of("read frames", "descriptors and sparse points", "covariance and QR")) {
            assertEquals(FRAMES, totals.get(s), s + ": stage announced with the number of frames");
            assertEquals(FRAMES, done.get(s).get(), s + ": every frame counted once");
        }
        List<String> expected = List.of("read frames: frame boundaries", "read frames",
                "descriptors and sparse points", "covariance and QR", "merge R factors, level 1", "checksums");
        long deadline = System.nanoTime() + 30_000_000_000L; // stage events reach listeners asynchronously
        while (!stages.containsAll(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<String> names = new ArrayList<>(stages);
        for (String s : expected) {
            assertTrue(names.contains(s), "Spark stage '" + s + "' in " + names);
        }
    }

    @Test
    void badDataIsNamedByFileLineAndField() throws Exception {
        Path bad = Files.createDirectory(dir.resolve("bad"));
        Files.copy(parts.resolve("a.xyz"), bad.resolve("a.xyz"));
        List<String> lines = new ArrayList<>(Files.readAllLines(parts.resolve("b.xyz")));
        int line = 2 * 66 + 2 + 5; // third frame, atom 5
        String[] fields = lines.get(line - 1).strip().split("\\s+");
        fields[5] = "NaN";
        lines.set(line - 1, String.join(" ", fields));
        Files.write(bad.resolve("b.xyz"), lines);
        var settings = GapFitCommandLine.parse(arguments(CUR_UNIFORM, bad.resolve("b.xyz").toString()), dir);
        String local = assertThrows(TrainingDataException.class, () -> TrainingSet.read(settings)).getMessage();
        String distributed = assertThrows(SparkFitException.class,
                () -> spark(CUR_UNIFORM, bad.toString(), FitListener.NONE)).getMessage();
        assertTrue(local.startsWith(bad.resolve("b.xyz") + ":" + line + ": frame 3 (index 2), 'forces': atom 5"), local);
        assertTrue(distributed.contains("b.xyz:" + line + ": frame 8 (index 7), 'forces': atom 5"
                + local.substring(local.indexOf("atom 5") + "atom 5".length())), distributed + " vs " + local);
        String missing = assertThrows(TrainingDataException.class,
                () -> spark(CUR_UNIFORM, dir.resolve("none") + "/*.xyz", FitListener.NONE)).getMessage();
        assertTrue(missing.contains("at_file: no such file"), missing);
    }

    @Test
    void theCommandLineWritesTheModelFileOfSoapstoneFit() throws Exception {
        List<String> args = new ArrayList<>(arguments(CUR_UNIFORM, single.toString()));
        args.add(0, "fit");
        List<String> local = new ArrayList<>(args);
        // the Spark fit does not calibrate; a calibrated local fit merges its folds' factors in another order
        local.addAll(List.of("--threads", "2", "--calibration", "none", "gp_file=" + dir.resolve("local.gap")));
        List<String> spark = new ArrayList<>(args);
        spark.addAll(List.of("--spark", "local[2]", "gp_file=" + dir.resolve("spark.gap")));
        assertEquals(0, org.soapstone.cli.SoapstoneCommand.commandLine().execute(local.toArray(String[]::new)));
        assertEquals(0, org.soapstone.cli.SoapstoneCommand.commandLine().execute(spark.toArray(String[]::new)));
        var a = org.soapstone.engine.gap.GapModelFile.read(dir.resolve("local.gap"));
        var b = org.soapstone.engine.gap.GapModelFile.read(dir.resolve("spark.gap"));
        assertTrue(b.model().hasPosterior(), "the model file keeps the posterior");
        assertArrayEquals(a.model().posterior().accumulator().augmentedFactor(),
                b.model().posterior().accumulator().augmentedFactor(), "the same R factor");
        assertEquals("2", b.provenance().summary().get("partitions"));
        assertEquals(a.provenance().trainingFiles(), b.provenance().trainingFiles(), "the same file and SHA-256");
        assertSameModel(new GapFit.Result(a.model(), a.provenance(), List.of(), Map.of()),
                new GapFit.Result(b.model(), b.provenance(), List.of(), Map.of()), 0);
    }

    /** Same sparse points (bit for bit), same α and predictions on held-out frames (to {@code tolerance}). */
    private static void assertSameModel(GapFit.Result expected, GapFit.Result actual, double tolerance) {
        GapModel a = expected.model();
        GapModel b = actual.model();
        assertEquals(5, a.terms().size(), "three pair terms and two SOAP terms");
        assertEquals(a.terms().size(), b.terms().size());
        assertArrayEquals(a.e0(), b.e0(), "e0");
        assertEquals(FRAMES * (1 + 3 * 64 + 6), a.posterior().observations(), "energies, forces and virials fitted");
        assertEquals(a.posterior().observations(), b.posterior().observations());
        double alpha = 0;
        for (int t = 0; t < a.terms().size(); t++) {
            GapTerm x = a.terms().get(t);
            GapTerm y = b.terms().get(t);
            assertArrayEquals(x.sparseX(), y.sparseX(), "term " + t + ": sparse points");
            assertArrayEquals(x.sparseCutoff(), y.sparseCutoff(), "term " + t + ": sparse cutoffs");
            alpha = Math.max(alpha, relative(x.alpha(), y.alpha()));
        }
        double prediction = 0;
        ReferenceGapCalculator ca = new ReferenceGapCalculator(a);
        ReferenceGapCalculator cb = new ReferenceGapCalculator(b);
        for (Structure s : held) {
            CalculationResults ra = ca.calculate(s);
            CalculationResults rb = cb.calculate(s);
            prediction = Math.max(prediction, Math.abs(ra.energy - rb.energy) / Math.abs(ra.energy));
            prediction = Math.max(prediction, relative(ra.forces, rb.forces));
        }
        System.out.printf("models: α differ by %.2g relative, predictions by %.2g%n", alpha, prediction);
        assertTrue(alpha <= tolerance, "α differs by " + alpha + " relative");
        assertTrue(prediction <= tolerance, "predictions differ by " + prediction + " relative");
    }

    /** max |x − y| / max |x|. */
    private static double relative(double[] x, double[] y) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < x.length; i++) {
            diff = Math.max(diff, Math.abs(x[i] - y[i]));
            scale = Math.max(scale, Math.abs(x[i]));
        }
        return diff / scale;
    }
}
