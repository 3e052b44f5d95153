package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.learn.LearnRun;
import org.soapstone.engine.learn.LearnSettings;
import org.soapstone.engine.learn.LearningPolicy;
import org.soapstone.engine.learn.StartingModel;
import org.soapstone.engine.md.Langevin;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MolecularDynamics;
import org.soapstone.engine.md.TemperatureSchedule;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.PotentialSpec;

/**
 * A learning run killed at every one of its file writes resumes with {@code learn --resume}: the resumed run
 * finishes, its files agree with each other (every training frame in the model and in learn.log, once), thermo.log
 * and trajectory.xyz hold each step once and in order, the conserved energy continues across the resume, and the
 * temporary files a kill leaves are gone.
 */
class LearnCrashTest {
    private static final String SOAP = "soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 zeta=4 delta=1 "
            + "covariance_type=dot_product n_sparse=10";
    private static final int STEPS = 24;
    private static final int EVERY = 4;
    private static final double TEMPERATURE = 900;
    private static final long SEED = 12345;

    @TempDir
    Path dir;

    /** Thrown after the chosen write: ends the run there, as a kill would (nothing is written after it). */
    private static final class Killed extends Error {
        Killed() {
            super("killed", null, false, false);
        }
    }

    private static String sw() {
        return "sw:" + CliTesting.testData("Si.sw");
    }

    /** The run `learn` would make of {@link #resumeArgs}, written through LearnRun with a hook after each write. */
    private static void run(Path out, Path start, Consumer<Path> afterWrite) throws Exception {
        Structure s = ExtXyz.read(start).getLast();
        MaxwellBoltzmann.assign(s, TEMPERATURE, SEED, MaxwellBoltzmann.Scaling.EXACT);
        LearnSettings settings = new LearnSettings(out, new Sigmas(0.002, 0.05, 0.05, 0), 1e-8,
                new LearningPolicy(0.02, 5, 4, 1000, 1, 0),
                sys -> new Langevin(sys, 1.0, TemperatureSchedule.constant(TEMPERATURE), 0.01, SEED), STEPS, EVERY,
                EVERY, true, List.of(), "test");
        Calculator sw = PotentialSpec.parse(sw());
        try (WorkerPool pool = new WorkerPool(1);
                LearnRun run = LearnRun.open(settings, sw, pool, s, new StartingModel.Bootstrap(
                        DescriptorString.parse(SOAP)), false, afterWrite)) {
            new MolecularDynamics(run.integrator(), run.observers()).run(run.remainingSteps());
            run.finish();
        }
    }

    private static String[] resumeArgs(Path out, Path start) {
        return args(out, start, STEPS, true);
    }

    private static String[] args(Path out, Path start, int steps, boolean resume) {
        List<String> a = new ArrayList<>(List.of("learn", "--reference", sw(), "--descriptor", SOAP, "--temperature",
                "900", "--steps", Integer.toString(steps), "--std-tolerance", "0.02", "--thermo-every",
                Integer.toString(EVERY), "--trajectory-every", Integer.toString(EVERY),
                "--reset-reference-after-update", "--threads", "1", "--output", out.toString(), start.toString()));
        if (resume) {
            a.add("--resume");
        }
        return a.toArray(String[]::new);
    }

    /**
     * The crash window as it was found: training.xyz gained frames but model.gap did not (here: model.gap put back
     * from before the last run). The resume fits the frames the model lacks (it used to stop with "the training
     * frames give 995 observations, the model was fitted to 796"), and thermo.log does not repeat the resumed step.
     */
    @Test
    void aModelThatLacksTheLastTrainingFramesIsBroughtUpToDateOnResume() throws Exception {
        Path start = dir.resolve("si8.xyz");
        ExtXyz.write(start, List.of(Crystal.diamond(14, 5.431, 1)));
        Path out = dir.resolve("window");
        assertEquals(0, CliTesting.run(args(out, start, STEPS, false)).exitCode());
        Path early = dir.resolve("early.gap");
        Files.copy(out.resolve("model.gap"), early);
        int before = ExtXyz.read(out.resolve("training.xyz")).size();
        CliTesting.Run more = CliTesting.run(args(out, start, 3 * STEPS, true));
        assertEquals(0, more.exitCode(), more.err());
        int after = ExtXyz.read(out.resolve("training.xyz")).size();
        assertTrue(after > before, "the second run added frames: " + before + " -> " + after);
        Files.copy(early, out.resolve("model.gap"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CliTesting.Run r = CliTesting.run(args(out, start, 4 * STEPS, true));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("lacked the last " + (after - before) + " frame(s)"), r.out());
        List<double[]> rows = thermo(out);
        for (int k = 0; k < rows.size(); k++) {
            assertEquals(k * EVERY, (long) rows.get(k)[0], "thermo.log holds each step once, in order");
        }
        assertEquals(ExtXyz.read(out.resolve("training.xyz")).size(), Integer.parseInt(GapModelFile.read(
                out.resolve("model.gap")).provenance().summary().get("frames")), "model.gap holds every frame");
    }

    private static List<double[]> thermo(Path out) throws Exception {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("thermo.log"))) {
            if (!line.startsWith("#")) {
                rows.add(java.util.Arrays.stream(line.strip().split("\\s+")).mapToDouble(Double::parseDouble)
                        .toArray());
            }
        }
        return rows;
    }

    @Test
    void aRunKilledAtEveryWriteResumesAndFinishesConsistently() throws Exception {
        Path start = dir.resolve("si8.xyz");
        ExtXyz.write(start, List.of(Crystal.diamond(14, 5.431, 1)));
        Path whole = dir.resolve("whole");
        List<Path> writes = new ArrayList<>();
        run(whole, start, writes::add);
        List<double[]> wholeThermo = thermo(whole);
        double steadiest = 0;
        for (int k = 1; k < wholeThermo.size(); k++) {
            steadiest = Math.max(steadiest, Math.abs(wholeThermo.get(k)[7] - wholeThermo.get(k - 1)[7]));
        }
        int calls = (int) Files.readAllLines(whole.resolve("learn.log")).stream().filter(l -> !l.startsWith("#"))
                .count();
        assertTrue(calls >= 2, "the run makes reference calls after the bootstrap: " + calls);
        assertTrue(writes.size() > 3 * calls + 2 * STEPS / EVERY, writes.size() + " writes");
        for (int kill = 1; kill <= writes.size(); kill++) {
            Path out = dir.resolve("killed-" + kill);
            int[] count = {0};
            int at = kill;
            assertThrows(Killed.class, () -> run(out, start, file -> {
                if (++count[0] == at) {
                    throw new Killed();
                }
            }));
            String where = "killed after write " + kill + " (" + writes.get(kill - 1).getFileName() + ")";
            // an atomic write interrupted by a kill leaves its temporary file (this process is alive: use a dead pid)
            Files.writeString(out.resolve(".model.gap.999999999-1f.tmp"), "partial");
            Files.writeString(out.resolve(".model.gap1234567.tmp"), "partial, as older versions named it");
            CliTesting.Run r = CliTesting.run(resumeArgs(out, start));
            assertEquals(0, r.exitCode(), where + ": " + r.err());
            assertTrue(r.out().contains("to step " + STEPS), where + ": " + r.out());
            assertConsistent(out, where);
            List<double[]> rows = thermo(out);
            for (int k = 1; k < rows.size(); k++) {
                double jump = Math.abs(rows.get(k)[7] - rows.get(k - 1)[7]);
                assertTrue(jump <= 3 * steadiest + 1e-3, where + ": conserved_eV jumps by " + jump + " eV at step "
                        + (long) rows.get(k)[0] + " (uninterrupted run: at most " + steadiest + ")");
            }
        }
    }

    /** The files of a finished run agree with each other and hold every step once, in order. */
    private static void assertConsistent(Path out, String where) throws Exception {
        List<Structure> training = ExtXyz.read(out.resolve("training.xyz"));
        var summary = GapModelFile.read(out.resolve("model.gap")).provenance().summary();
        assertEquals(training.size(), Integer.parseInt(summary.get("frames")), where + ": model.gap holds every frame");
        List<String> log = Files.readAllLines(out.resolve("learn.log")).stream().filter(l -> !l.startsWith("#"))
                .toList();
        assertEquals(training.size(), log.size(), where + ": one learn.log line per training frame");
        for (int i = 0; i < log.size(); i++) {
            assertEquals(training.get(i).infoReal("step"), Double.parseDouble(log.get(i).split("\\s+")[0]),
                    where + ": learn.log line " + (i + 1) + " is training frame " + (i + 1));
        }
        List<double[]> rows = thermo(out);
        assertEquals(STEPS / EVERY + 1, rows.size(), where + ": thermo.log lines");
        for (int k = 0; k < rows.size(); k++) {
            assertEquals(k * EVERY, (long) rows.get(k)[0], where + ": thermo.log holds each step once, in order");
        }
        List<Structure> trajectory = ExtXyz.read(out.resolve("trajectory.xyz"));
        assertEquals(STEPS / EVERY + 1, trajectory.size(), where + ": trajectory frames");
        for (int k = 0; k < trajectory.size(); k++) {
            assertEquals(k * EVERY, trajectory.get(k).infoReal("step"), where + ": trajectory steps");
        }
        try (var files = Files.list(out)) {
            List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertTrue(left.isEmpty(), where + ": temporary files left: " + left);
        }
        assertFalse(Files.exists(out.resolve("reference")), where);
    }
}
