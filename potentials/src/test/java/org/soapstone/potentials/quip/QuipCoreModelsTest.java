package org.soapstone.potentials.quip;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.baseline.Baseline;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.QuipPredictions;

/**
 * gap_fit models fitted on top of a core potential ({@code core_param_file} + {@code core_ip_args}, gap_fit's
 * {@code do_core}) with three-body terms, read from their XML with no option and evaluated as quip evaluates them
 * ({@code test-data/quip-reference/<model>}, fitted and predicted by QUIP's own gap_fit and quip, see its README): the
 * reference calculator and the native evaluator both add the core to the GAP, to 1e-6 eV/atom, 2e-6 eV/Å, 1e-5 eV
 * for virials and 1e-6 eV for per-atom energies where quip gives them and splits them as Soapstone does; on the
 * periodic cells of {@code quip-predictions.xyz} and on the isolated clusters of {@code quip-clusters.xyz} (a trimer
 * and an 8-atom cluster of each).
 */
class QuipCoreModelsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"si-glue-2b-nb-soap, IP Glue, true", "si-zbl-2b3b, IP ZBL cutoff=2.6 cutoff_width=0.6, false",
        "si-sw-3b, IP SW, false", "si-lj-2b3b, IP LJ, false", "si-eam-2b-nb, IP Glue, true",
        "sic-tersoff-2b3b, IP Tersoff, false",
        "si-glue-zbl-2b, 'Sum init_args_pot1={IP Glue} init_args_pot2={IP ZBL cutoff=2.6 cutoff_width=0.6}', false"})
    void modelsWithACorePotentialEvaluateAsQuip(String name, String core, boolean localEnergies) throws Exception {
        Path dir = QuipPredictions.dir(name);
        GapModel model = GapModel.readQuip(dir.resolve("gp.xml"));
        Baseline.QuipCore quipCore = assertInstanceOf(Baseline.QuipCore.class, model.baseline(),
                "the model carries its core potential");
        assertEquals(core, quipCore.initArgs());
        QuipPredictions.Tolerances bar = localEnergies ? QuipPredictions.Tolerances.QUIP
                : new QuipPredictions.Tolerances(1e-6, 2e-6, 1e-5, Double.NaN);
        try (WorkerPool pool = new WorkerPool(2)) {
            for (String file : List.of("quip-predictions.xyz", "quip-clusters.xyz")) {
                Path predictions = dir.resolve(file);
                List<Structure> frames = ExtXyz.read(predictions);
                QuipPredictions.check(new ReferenceGapCalculator(model, pool), predictions, bar);
                QuipPredictions.check(new FastGapCalculator(model, frames.get(0), pool,
                        EvaluatorOptions.withVariance()), predictions, bar);
            }
        }
    }

    /**
     * The step loop ({@link FastGapCalculator#evaluate}, what MD runs) adds the core to the energy, forces and virial
     * W = −σV as quip does: on the periodic cells (the core's virial from its stress) and on the clusters given no
     * cell at all (from Σ r ⊗ F), against quip's printed virials (8 decimals).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"si-glue-2b-nb-soap", "si-zbl-2b3b", "si-eam-2b-nb", "sic-tersoff-2b3b"})
    void theStepLoopAddsTheCoreToEnergyForcesAndVirialAsQuip(String name) throws Exception {
        Path dir = QuipPredictions.dir(name);
        GapModel model = GapModel.readQuip(dir.resolve("gp.xml"));
        List<Structure> frames = new ArrayList<>(ExtXyz.read(dir.resolve("quip-predictions.xyz")));
        for (Structure c : ExtXyz.read(dir.resolve("quip-clusters.xyz"))) {
            Structure bare = new Structure(c.numbers(), c.positions(), c.masses(), Cell.none());
            bare.info().putAll(c.info());
            bare.properties().putAll(c.properties());
            frames.add(bare);
        }
        try (WorkerPool pool = new WorkerPool(2); Arena arena = Arena.ofConfined()) {
            for (Structure s : frames) {
                int n = s.size();
                String where = name + ", " + n + " atoms" + (s.cell().hasVolume() ? "" : ", no cell");
                FastGapCalculator fast = new FastGapCalculator(model, s, pool, EvaluatorOptions.meanOnly());
                MemorySegment r = arena.allocate(JAVA_DOUBLE, 3L * n);
                MemorySegment f = arena.allocate(JAVA_DOUBLE, 3L * n);
                MemorySegment w = arena.allocate(JAVA_DOUBLE, 9);
                MemorySegment.copy(s.positions(), 0, r, JAVA_DOUBLE, 0, 3 * n);
                double e = fast.evaluate(r, null, f, w, null, null);
                assertEquals(s.infoReal("energy") / n, e / n, 1e-6, where + ": energy per atom (eV)");
                double[] fRef = QuipPredictions.reals(s, "force");
                for (int k = 0; k < 3 * n; k++) {
                    assertEquals(fRef[k], f.getAtIndex(JAVA_DOUBLE, k), 2e-6, where + ": force " + k + " (eV/Å)");
                }
                double[] wRef = (double[]) s.info().get("virial");
                for (int k = 0; k < 9; k++) {
                    assertEquals(wRef[k], w.getAtIndex(JAVA_DOUBLE, k), 1e-5, where + ": virial " + k + " (eV)");
                }
            }
        }
    }
}
