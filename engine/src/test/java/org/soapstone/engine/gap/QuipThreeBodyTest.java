package org.soapstone.engine.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.QuipPredictions;

/**
 * gap_fit models that combine distance_2b, a three-body term (angle_3b for Si; distance_Nb order=3 for SiC, with
 * add_species: four species combinations, two and six permutations) and SOAP, fitted by QUIP's own gap_fit and
 * evaluated by QUIP's own quip ({@code test-data/quip-reference}, see its README): energies, forces, virials and
 * local energies (QUIP shares a distance_Nb cluster's energy between its three atoms) as quip gives them, by the
 * reference calculator and by the fast one; QUIP's {@code local_gap_variance} as well. On periodic cells
 * ({@code quip-predictions.xyz}) and on isolated clusters ({@code quip-clusters.xyz}: a trimer and a small cluster).
 */
class QuipThreeBodyTest {
    /** Half a unit of the 8th decimal, quip's printing resolution for per-atom values. */
    private static final double PRINTED_HALF_DIGIT = 0.5e-8 * (1 + 1e-9);

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"si-2b3b-soap, quip-predictions.xyz", "sic-2b-nb-soap, quip-predictions.xyz",
        "si-2b3b-soap, quip-clusters.xyz", "sic-2b-nb-soap, quip-clusters.xyz"})
    void referenceCalculatorMatchesQuip(String name, String file) throws Exception {
        Path dir = QuipPredictions.dir(name);
        GapModel model = GapModel.readQuip(dir.resolve("gp.xml"));
        try (WorkerPool pool = new WorkerPool(2)) {
            ReferenceGapCalculator calc = new ReferenceGapCalculator(model, pool);
            QuipPredictions.check(calc, dir.resolve(file), QuipPredictions.Tolerances.QUIP);
            double worst = 0;
            for (Structure s : ExtXyz.read(dir.resolve(file))) {
                double[] var = QuipPredictions.reals(s, "gap_variance");
                double[] ours = calc.localVariance(s);
                for (int i = 0; i < s.size(); i++) {
                    double dv = Math.abs(ours[i] - var[i]);
                    worst = Math.max(worst, dv);
                    assertTrue(dv <= 1e-6 * Math.abs(var[i]) + PRINTED_HALF_DIGIT, name + " atom " + i
                            + ": gap_variance " + ours[i] + " vs quip " + var[i]);
                }
            }
            System.out.printf("%s: max |d gap_variance| %.2e eV^2%n", name, worst);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"si-2b3b-soap", "sic-2b-nb-soap"})
    void modelFileAndGapFitXmlWrittenHerePredictTheSame(String name, @org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path dir = QuipPredictions.dir(name);
        GapModel model = GapModel.readQuip(dir.resolve("gp.xml"));
        GapModelFile.write(tmp.resolve("m.gap"), model, null);
        model.writeQuip(tmp.resolve("m.xml"));
        Structure s = ExtXyz.read(dir.resolve("quip-predictions.xyz")).get(0);
        try (WorkerPool pool = new WorkerPool(1)) {
            double[] reference = new ReferenceGapCalculator(model, pool).calculate(s).forces;
            for (Path p : List.of(tmp.resolve("m.gap"), tmp.resolve("m.xml"))) {
                double[] again = new ReferenceGapCalculator(GapModel.read(p), pool).calculate(s).forces;
                org.junit.jupiter.api.Assertions.assertArrayEquals(reference, again, 1e-12, p.getFileName()
                        + " written and read back");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"si-2b3b-soap", "sic-2b-nb-soap"})
    void forcesAndStressAreGradientsOfTheEnergyInBothCalculators(String name) throws Exception {
        Path dir = QuipPredictions.dir(name);
        GapModel model = GapModel.readQuip(dir.resolve("gp.xml"));
        Structure s = ExtXyz.read(dir.resolve("quip-predictions.xyz")).get(2);
        try (WorkerPool pool = new WorkerPool(1)) {
            FastGapCalculator ev = new FastGapCalculator(model, s, pool, EvaluatorOptions.meanOnly());
            for (org.soapstone.engine.calculator.Calculator c : List.of(new ReferenceGapCalculator(model, pool), ev)) {
                FiniteDifferences.assertForcesMatch(c, s, 1e-4, 1e-5);
                FiniteDifferences.assertStressMatches(c, s, 1e-5, 1e-6);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"si-2b3b-soap, quip-predictions.xyz", "sic-2b-nb-soap, quip-predictions.xyz",
        "si-2b3b-soap, quip-clusters.xyz", "sic-2b-nb-soap, quip-clusters.xyz"})
    void fastCalculatorMatchesQuip(String name, String file) throws Exception {
        Path dir = QuipPredictions.dir(name);
        GapModel model = GapModel.readQuip(dir.resolve("gp.xml"));
        List<Structure> frames = ExtXyz.read(dir.resolve(file));
        try (WorkerPool pool = new WorkerPool(2)) {
            FastGapCalculator ev = new FastGapCalculator(model, frames.get(0), pool, EvaluatorOptions.withVariance());
            QuipPredictions.check(ev, dir.resolve(file), QuipPredictions.Tolerances.QUIP);
            Structure s = frames.get(0);
            ev.calculate(s, java.util.EnumSet.of(org.soapstone.engine.calculator.Property.ENERGY),
                    new org.soapstone.engine.calculator.CalculationResults());
            double[] sd = new double[s.size()];
            ev.deviations(sd);
            double[] var = QuipPredictions.reals(s, "gap_variance");
            for (int i = 0; i < s.size(); i++) {
                assertEquals(var[i], sd[i] * sd[i], 1e-6 * var[i] + PRINTED_HALF_DIGIT, name + " atom " + i
                        + ": squared deviation vs gap_variance");
            }
        }
    }
}
