package org.soapstone.engine.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.testing.SyntheticGap;
import org.soapstone.engine.fit.FitSettings;
import org.soapstone.engine.fit.GapFitCommandLine;
import org.soapstone.engine.fit.Objective;
import org.soapstone.engine.fit.TrainingSet;

/**
 * {@link TuneSearch} on data made by a known GAP ({@link SyntheticGap}: SOAP cutoff 3.6 Å, atom_sigma 0.45 Å, 30 sparse
 * points, noise 0.5 meV/atom and 5 meV/Å): starting from cutoff 3.0 Å and atom_sigma 0.6 Å, a search of 24 trials
 * on a grid of 33 × 17 settings finds the true pair, and its cross-validation force error is the noise's; a search
 * interrupted after its third trial and run again ends with the trials and best
 * settings of the uninterrupted one; a log of another search is refused.
 */
class TuneSearchTest {

    @TempDir
    static Path dir;
    private static Path data;

    @BeforeAll
    static void data() throws Exception {
        data = dir.resolve("synthetic.xyz");
        SyntheticGap.write(data, SyntheticGap.SOAP, 36, 7, 5e-4, 5e-3);
    }

    private static FitSettings start(String gpFile) {
        return GapFitCommandLine.parse(List.of("at_file=" + data, "gap={soap cutoff=3.0 cutoff_transition_width=1.0 "
                + "n_max=4 l_max=3 atom_sigma=0.6 zeta=2 delta=1.0 covariance_type=dot_product n_sparse=30 "
                + "sparse_method=cur_points}", "default_sigma={0.0005 0.005 0 0}", "e0={Si:0}", "rnd_seed=7",
                "energy_parameter_name=energy", "force_parameter_name=forces", "gp_file=" + gpFile), dir);
    }

    private static TuneSettings settings(FitSettings start, int fits, Path log) {
        SearchSpace space = SearchSpace.of(start.descriptors(), Map.of(SearchSpace.Key.CUTOFF,
                new double[] {2.8, 4.4}, SearchSpace.Key.ATOM_SIGMA, new double[] {0.3, 0.7}),
                List.of(SearchSpace.Key.N_MAX, SearchSpace.Key.L_MAX, SearchSpace.Key.ZETA,
                        SearchSpace.Key.CUTOFF_TRANSITION_WIDTH));
        return new TuneSettings(start, dir, space, Objective.Target.BOTH, Double.NaN, Double.NaN, 4, fits, 0, 20,
                0.3, 2, log);
    }

    @Test
    void findsTheCutoffAndAtomSigmaOfTheModelThatMadeTheData() {
        FitSettings start = start("found.gap");
        TuneSearch.Result r = TuneSearch.run(settings(start, 24, dir.resolve("found/trials.tsv")),
                TrainingSet.read(start), new TuneSearch.Listener() { });
        double[] best = r.best().values();
        System.out.println("tune on synthetic data: best " + Arrays.toString(best) + ", loss " + r.best().loss()
                + " after " + r.trials().size() + " trials; start CV " + r.trials().get(0).startCv() + ", best CV "
                + r.best().cv());
        assertEquals(3.6, best[0], 1e-9, "cutoff (Å)");
        assertEquals(0.45, best[1], 1e-9, "atom_sigma (Å)");
        // at the true settings the model represents the data to the noise: E|N(0, σ)| = σ √(2/π) = 4.0 meV/Å
        assertTrue(r.best().cv().force() < 1.25 * 5e-3 * Math.sqrt(2 / Math.PI),
                "cross-validation force MAE at the noise level: " + r.best().cv().force() + " eV/Å");
    }

    @Test
    void aResumedSearchEndsAsTheUninterruptedOne() throws Exception {
        FitSettings start = start("resumed.gap");
        TrainingSet set = TrainingSet.read(start);
        Path whole = dir.resolve("whole/trials.tsv");
        TuneSearch.Result uninterrupted = TuneSearch.run(settings(start, 7, whole), set, new TuneSearch.Listener() { });
        Path cut = dir.resolve("cut/trials.tsv");
        RuntimeException stop = new IllegalStateException("interrupted");
        assertThrows(IllegalStateException.class, () -> TuneSearch.run(settings(start, 7, cut), set,
                new TuneSearch.Listener() {
                    @Override
                    public void trialDone(Trial trial, Trial best, boolean replayed, TuneSearch.Progress p) {
                        if (trial.index() == 2) {
                            throw stop;
                        }
                    }
                }));
        assertEquals(3, Files.readAllLines(cut).stream().filter(l -> !l.startsWith("#")).count() - 1,
                "the log holds the three trials done");
        int[] replayed = new int[1];
        TuneSearch.Result resumed = TuneSearch.run(settings(start, 7, cut), set, new TuneSearch.Listener() {
            @Override
            public void trialDone(Trial trial, Trial best, boolean fromLog, TuneSearch.Progress p) {
                replayed[0] += fromLog ? 1 : 0;
            }
        });
        assertEquals(3, replayed[0], "the logged trials are replayed, not fitted");
        assertEquals(uninterrupted.trials().size(), resumed.trials().size());
        for (int i = 0; i < resumed.trials().size(); i++) {
            Trial a = uninterrupted.trials().get(i);
            Trial b = resumed.trials().get(i);
            assertTrue(Arrays.equals(a.values(), b.values()), "trial " + i + " settings");
            assertEquals(a.loss(), b.loss(), 0.0, "trial " + i + " loss, bit for bit");
            assertTrue(Arrays.equals(a.factors().sigma(), b.factors().sigma()), "trial " + i + " σ factors");
        }
        assertEquals(uninterrupted.best().index(), resumed.best().index());
        assertEquals(uninterrupted.arguments(), resumed.arguments());
        assertEquals(withoutTimes(whole), withoutTimes(cut), "the two logs agree but for the wall times");

        FitSettings other = GapFitCommandLine.parse(List.of("at_file=" + data, "gap={soap cutoff=3.1 "
                + "cutoff_transition_width=0.5 n_max=4 l_max=3 atom_sigma=0.6 zeta=2 delta=1.0 "
                + "covariance_type=dot_product n_sparse=30 sparse_method=cur_points}", "default_sigma={0.0005 0.005 0 0}",
                "e0={Si:0}", "rnd_seed=7", "energy_parameter_name=energy", "force_parameter_name=forces"), dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TuneSearch.run(settings(other, 7, cut), set, new TuneSearch.Listener() { }));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("line 2")
                && e.getMessage().contains("another search"), e.getMessage());
    }

    /** The log's lines with the two wall-time columns blanked. */
    private static List<String> withoutTimes(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        int at = Arrays.asList(lines.stream().filter(l -> l.startsWith("trial\t")).findFirst().orElseThrow()
                .split("\t")).indexOf("seconds");
        return lines.stream().map(l -> {
            if (l.startsWith("#") || l.startsWith("trial\t")) {
                return l;
            }
            String[] c = l.split("\t", -1);
            c[at] = "";
            c[at + 1] = "";
            return String.join("\t", c);
        }).toList();
    }
}
