package org.soapstone.potentials.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.baseline.Baseline;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.IncrementalGapFit;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.learn.LabelledFrames;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.QuipPredictions;
import org.soapstone.potentials.PotentialBaselines;
import org.soapstone.potentials.PotentialSpec;

/**
 * The on-the-fly learner's incremental fit carried on from a model with a baseline: reference labels (full energies,
 * forces, stresses) are folded in less the baseline, so adding frames one by one gives the model a full fit of the
 * residuals gives — and the model keeps its baseline.
 */
class LearnerBaselineTest {
    private static final Sigmas SIGMAS = new Sigmas(0.001, 0.02, 0.02, 0);

    @Test
    void addedReferenceFramesAreFittedLessTheModelsBaseline() throws Exception {
        String sw = "sw:" + QuipPredictions.dir("").getParent().resolve("Si.sw");
        Baseline baseline = PotentialBaselines.embed(sw);
        Calculator reference = PotentialSpec.parse("tersoff:" + QuipPredictions.dir("").getParent()
                .resolve("Si.tersoff"));
        Calculator swCalc = PotentialSpec.parse(sw);
        List<Structure> structures = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            structures.add(FiniteDifferences.rattled(Crystal.diamond(14, 5.43, 1), 0.1, 30 + k));
        }
        // labels as the learner stores them: the reference's full results
        List<TrainingFrame> full = new ArrayList<>();
        List<TrainingFrame> residual = new ArrayList<>();
        for (Structure s : structures) {
            CalculationResults r = reference.calculate(s);
            full.add(LabelledFrames.trainingFrame(full.size(), LabelledFrames.labelled(s, r, 0), SIGMAS));
            CalculationResults b = swCalc.calculate(s);
            CalculationResults d = new CalculationResults();
            d.reset(s.size());
            d.energy = r.energy - b.energy;
            for (int k = 0; k < d.forces.length; k++) {
                d.forces[k] = r.forces[k] - b.forces[k];
            }
            for (int k = 0; k < 6; k++) {
                d.stress[k] = r.stress[k] - b.stress[k];
            }
            d.markComputed(r.computed());
            residual.add(LabelledFrames.trainingFrame(residual.size(), LabelledFrames.labelled(s, d, 0), SIGMAS));
        }
        GapModel start = GapModel.readQuip(QuipPredictions.dir("si-sw-3b").resolve("gp.xml"));
        List<GapTerm> terms = start.terms();
        double[] e0 = new double[119];
        // the model the learner resumes: fitted to the first two frames' residuals, carrying the baseline
        GapModel first = SparseGpSolve.fit("L", e0, terms, residual.subList(0, 2), 1e-8, 1, FitListener.NONE)
                .withBaseline(baseline);
        IncrementalGapFit fit = IncrementalGapFit.resume(first, full.subList(0, 2), 1e-8, 1);
        fit.addFrames(full.subList(2, 4));
        GapModel learnt = fit.model();
        assertEquals(baseline, learnt.baseline(), "the learnt model keeps its baseline");
        GapModel direct = SparseGpSolve.fit("L", e0, terms, residual, 1e-8, 1, FitListener.NONE);
        double[] a = new double[0];
        double[] b = new double[0];
        for (int t = 0; t < terms.size(); t++) {
            a = concat(a, learnt.terms().get(t).alpha());
            b = concat(b, direct.terms().get(t).alpha());
        }
        double scale = 0;
        for (double v : b) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertArrayEquals(b, a, 1e-6 * scale, "α as a full fit of the residuals");
        Structure s = structures.get(3);
        CalculationResults learntOn = new ReferenceGapCalculator(learnt).calculate(s);
        assertEquals(reference.calculate(s).energy, learntOn.energy, 0.02 * s.size(),
                "the learnt model with its baseline predicts the reference on a frame it saw");
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
