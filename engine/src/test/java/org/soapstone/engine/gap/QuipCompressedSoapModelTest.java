package org.soapstone.engine.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;

/**
 * A gap_fit model whose SOAP terms use the options beyond the plain power spectrum — radial_basis=GTO with
 * Z_mix, K=2, coupling=F, and radial_basis=POLY with R_mix, sym_mix, K=2, mix_shift=1, two species, add_species —
 * read from gap_fit's XML and evaluated by both calculators, against quip's energies (to 1e-8 eV/atom) and forces
 * (to 1e-7 eV/Å, quip printed them with 8 decimals) on three SiC cells ({@code test-data/quip-soap-model}, made
 * by gap_fit and quip; provenance in {@code test-data/README.md}).
 */
class QuipCompressedSoapModelTest {
    @Test
    void energiesAndForcesMatchQuip() throws Exception {
        Path dir = Path.of(System.getProperty("soapstone.root"), "test-data", "quip-soap-model");
        GapModel model = GapModel.readQuip(dir.resolve("gp.xml"));
        assertEquals(4, model.terms().size(), "two descriptors, one term per centre species");
        List<Structure> frames = ExtXyz.read(dir.resolve("quip-predictions.xyz"));
        assertEquals(3, frames.size());
        try (WorkerPool pool = new WorkerPool(2)) {
            for (Calculator calc : List.of(new ReferenceGapCalculator(model, pool),
                    new FastGapCalculator(model, pool, EvaluatorOptions.withVariance()))) {
                for (int f = 0; f < frames.size(); f++) {
                    Structure s = frames.get(f);
                    String where = calc.getClass().getSimpleName() + ", frame " + f;
                    CalculationResults r = calc.calculate(s);
                    assertEquals(s.infoReal("energy") / s.size(), r.energy / s.size(), 1e-8, where + ": energy/atom");
                    double[] ref = s.properties().get("force").reals();
                    double scale = 0;
                    for (int k = 0; k < ref.length; k++) {
                        assertEquals(ref[k], r.forces[k], 1e-7, where + ": force component " + k);
                        scale = Math.max(scale, Math.abs(ref[k]));
                    }
                    assertTrue(scale > 1e-3, "test set-up: the cells must have forces");
                }
            }
        }
    }
}
