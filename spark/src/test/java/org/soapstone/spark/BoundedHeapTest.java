package org.soapstone.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.cli.SoapstoneCommand;

/**
 * Executor memory does not grow with the number of frames: {@code soapstone fit --spark local[2]} in a JVM whose
 * heap (512 MiB, Spark's minimum) is smaller than the design matrix of the fit (1000 frames, 199 000 rows × 402
 * sparse points: 640 MB) — a fit that held the design rows, or the frames, would run out of memory; and the same
 * fit with 2700 sparse points, whose R factors two tasks cannot hold in that heap, stops with one line saying how
 * much memory executors need.
 */
class BoundedHeapTest {
    private static final String HEAP = "-Xmx512m";

    @TempDir
    Path dir;

    @Test
    void aFitLargerThanTheHeapStreamsAndTooLargeAnRIsAClearError() throws Exception {
        List<org.soapstone.engine.structure.Structure> frames = new ArrayList<>();
        List<org.soapstone.engine.structure.Structure> distinct = SicFrames.make(250, 3);
        for (int copy = 0; copy < 4; copy++) {
            frames.addAll(distinct); // 1000 frames: the rows are what fill the heap
        }
        Path train = SicFrames.write(dir.resolve("train.xyz"), frames);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), HEAP, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Dsoapstone.root=" + System.getProperty("soapstone.root"),
                "-cp", System.getProperty("java.class.path"), BoundedHeapTest.class.getName(), train.toString(),
                dir.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the child JVM did not finish");
        System.out.println(out.lines().filter(l -> l.startsWith("child:") || l.contains("time: total")
                || l.contains("error")).reduce((a, b) -> a + "\n" + b).orElse(""));
        assertTrue(out.contains("child: streamed fit exit 0"), out);
        assertTrue(Files.size(dir.resolve("streamed.gap")) > 0, "model written");
        assertTrue(out.contains("child: large M exit 1"), out);
        assertTrue(out.contains("executor memory: the R factor of 2700 sparse points"), out);
        assertTrue(out.contains("spark.executor.memory"), out);
        assertEquals(0, p.exitValue(), out);
    }

    private static String[] fit(String train, Path dir, int nSparse, String model) {
        return new String[] {"fit", "--spark", "local[2]", "at_file=" + train, "gap={distance_2b cutoff=4.0 "
                + "cutoff_transition_width=0.5 covariance_type=ard_se delta=0.5 theta_uniform=1.0 n_sparse="
                + nSparse + " sparse_method=uniform add_species=T}", "default_sigma={0.005 0.1 0.02 0}",
                "e0_method=average", "rnd_seed=1", "force_parameter_name=forces", "gp_file=" + dir.resolve(model)};
    }

    /** The child JVM: the two fits, one after the other. */
    public static void main(String[] args) {
        Path dir = Path.of(args[1]);
        int streamed = SoapstoneCommand.commandLine().execute(fit(args[0], dir, 134, "streamed.gap"));
        System.out.println("child: streamed fit exit " + streamed);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cl = SoapstoneCommand.commandLine();
        cl.setErr(new java.io.PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
        int large = cl.execute(fit(args[0], dir, 900, "large.gap"));
        System.out.println("child: large M exit " + large);
        System.out.println(err.toString(StandardCharsets.UTF_8));
        System.exit(0);
    }
}
