package org.soapstone.engine.fit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;

/**
 * Refits the gap_fit reference models of the shared {@code reference/gap_fit/} on their own training files with gap_fit's own
 * sparse points, sigmas, e0 and jitter (read from the model and its {@code <command_line>}), and compares the
 * refitted model's predictions with QUIP's {@code quip} predictions of the original model on held-out frames.
 * gap_fit and Soapstone solve the same least-squares problem, so the predictions agree to the conditioning of that
 * problem — an independent check of the covariance assembly (energies, forces, sparse cutoffs of pair terms, the
 * block structure of several terms) and of the solve.
 */
class RefitGapFitModelTest {

    static Path dir(String model) {
        return SharedData.gapFit(model);
    }

    @Test
    void siSoapRefitPredictsAsQuip() throws Exception {
        assertRefitMatchesQuip("si-soap", 0.01, 0.05, 1e-8, 1e-7, 2e-6);
    }

    @Test
    void sic2bSoapRefitPredictsAsQuip() throws Exception {
        assertRefitMatchesQuip("sic-2b-soap", 0.005, 0.1, 1e-8, 1e-7, 2e-6);
    }

    private static void assertRefitMatchesQuip(String model, double sigmaE, double sigmaF, double jitter,
            double energyTolerance, double forceTolerance) throws Exception {
        GapModel reference = GapModel.readQuip(dir(model).resolve("gp.xml"));
        List<TrainingFrame> train = RefitFrames.read(dir(model).resolve("train.xyz"), sigmaE, sigmaF);
        GapModel refit = SparseGpSolve.fit("refit", reference.e0(), reference.terms(), train, jitter, 2,
                FitListener.NONE);
        List<Structure> test = ExtXyz.read(dir(model).resolve("quip-predictions.xyz"));
        double maxE = 0;
        double maxF = 0;
        try (WorkerPool pool = new WorkerPool(2)) {
            ReferenceGapCalculator calc = new ReferenceGapCalculator(refit, pool);
            for (Structure s : test) {
                CalculationResults r = calc.calculate(s);
                maxE = Math.max(maxE, Math.abs(r.energy - s.infoReal("energy")) / s.size());
                double[] f = s.properties().get("force").reals();
                for (int k = 0; k < f.length; k++) {
                    maxF = Math.max(maxF, Math.abs(r.forces[k] - f[k]));
                }
            }
        }
        System.out.printf("%s refit vs quip: max |dE| %.3g eV/atom, max |dF| %.3g eV/Å%n", model, maxE, maxF);
        assertTrue(maxE < energyTolerance, model + ": energy differs from quip by " + maxE + " eV/atom");
        assertTrue(maxF < forceTolerance, model + ": forces differ from quip by " + maxF + " eV/Å");
    }
}
