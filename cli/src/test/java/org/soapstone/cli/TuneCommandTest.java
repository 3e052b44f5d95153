package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.testing.Bits;
import org.soapstone.engine.testing.SharedData;
import org.soapstone.engine.testing.ShellWords;

/**
 * {@code soapstone tune} as a user runs it: progress, the trial table, the plots, the best settings as a command line
 * that {@code soapstone fit} runs to the very model tune wrote; bad input is one line and exit 1.
 */
class TuneCommandTest {
    private static final String SOAP = "gap={soap cutoff=4.5 n_max=6 l_max=4 atom_sigma=0.5 zeta=2 "
            + "cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product n_sparse=20 sparse_method=cur_points}";

    private static List<String> start(Path model) {
        return List.of("at_file=" + SharedData.gapFit("si-soap").resolve("train.xyz"), SOAP,
                "default_sigma={0.01 0.05 0.01 1}", "e0={Si:-0.79}", "sparse_jitter=1e-8", "force_parameter_name=forces",
                "rnd_seed=4", "gp_file=" + model);
    }

    @Test
    void theBestCommandLineFitsTheModelTuneWrote(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("t.gap");
        List<String> args = new ArrayList<>(List.of("tune", "--threads", "2", "--fits", "3", "--calibration", "none",
                "--fix", "n_max,l_max,zeta,cutoff_transition_width"));
        args.addAll(start(model));
        CliTesting.Run run = CliTesting.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("trial 2 of 3") && run.out().contains("best: trial")
                && run.out().contains("ETA"), run.out());
        Path out = dir.resolve("t.gap.tune");
        for (String f : List.of("trials.tsv", "best-command.txt", "search.png", "search.svg", "search-errors.png",
                "search-errors.svg")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(3, Files.readAllLines(out.resolve("trials.tsv")).stream()
                .filter(l -> l.matches("\\d+\t.*")).count(), "one row per trial");
        String line = Files.readString(out.resolve("best-command.txt")).strip();
        assertTrue(run.out().contains("best settings: " + line), run.out());
        List<String> tokens = ShellWords.split(line);
        assertEquals(List.of("soapstone", "fit"), tokens.subList(0, 2), line);
        Path again = dir.resolve("again.gap");
        List<String> fit = new ArrayList<>(List.of("fit", "--threads", "2", "--calibration", "none"));
        tokens.subList(2, tokens.size()).forEach(t -> fit.add(t.startsWith("gp_file=") ? "gp_file=" + again : t));
        CliTesting.Run refit = CliTesting.run(fit.toArray(String[]::new));
        assertEquals(0, refit.exitCode(), refit.err());
        GapModel a = GapModelFile.read(model).model();
        GapModel b = GapModelFile.read(again).model();
        Bits.assertSameBits(b.terms().getFirst().sparseX(), a.terms().getFirst().sparseX(), "sparse points");
        Bits.assertSameBits(b.terms().getFirst().alpha(), a.terms().getFirst().alpha(), "α");
    }

    @Test
    void badInputIsOneLineWithExitOneAndNothingWritten(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.gap");
        assertBad(List.of("--budget", "25x"), model, "--budget 25x");
        assertBad(List.of(), model, "--fits N");
        assertBad(List.of("--fits", "3", "--vary", "cutoff=5"), model, "--vary cutoff=5");
        assertBad(List.of("--fits", "3", "--vary", "cutoff=6:7"), model, "must contain its start value");
        assertBad(List.of("--fits", "3", "--fix", "cutof"), model, "--fix cutof");
        assertBad(List.of("--fits", "3", "--objective", "virials"), model, "virials");
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("trials.tsv"), "# soapstone tune trial log, format 1\n# start: another\n");
        assertBad(List.of("--fits", "3", "--output", other.toString()), model, other.resolve("trials.tsv") + ", line 2");
        assertFalse(Files.exists(model), "no model written");
    }

    private static void assertBad(List<String> options, Path model, String expected) {
        List<String> args = new ArrayList<>(List.of("tune"));
        args.addAll(options);
        args.addAll(start(model));
        CliTesting.Run run = CliTesting.run(args.toArray(String[]::new));
        assertEquals(1, run.exitCode(), options + ": " + run.out() + run.err());
        assertTrue(run.err().contains(expected), options + ": " + run.err());
        assertEquals(1, run.err().strip().lines().filter(l -> !l.startsWith("WARNING")).count(),
                options + ": one line: " + run.err());
    }
}
