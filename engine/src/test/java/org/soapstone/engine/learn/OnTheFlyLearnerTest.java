package org.soapstone.engine.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.md.Langevin;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.MolecularDynamics;
import org.soapstone.engine.md.TemperatureSchedule;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.Bits;
import org.soapstone.engine.testing.SharedData;

/**
 * The learner driven by MD, with gap_fit's Si SOAP model (the shared reference/gap_fit/si-soap, read by QUIP's rules) as the
 * reference on 8-atom diamond Si: its decisions use σ from the force pass of check steps only, equal to the
 * independent {@link ReferenceGapCalculator#localVariance} of the model before the update; and a periodic re-optimisation
 * gives exactly the model a direct fit with the chosen δ and σ gives, frames added afterwards included.
 */
class OnTheFlyLearnerTest {
    private static final String SOAP = "soap cutoff=4.0 n_max=6 l_max=4 atom_sigma=0.5 zeta=4 delta=1 "
            + "covariance_type=dot_product n_sparse=10";
    private static final Sigmas SIGMAS = new Sigmas(0.002, 0.05, 0.05, 0);
    private static final double JITTER = 1e-8;

    private static Calculator reference() throws Exception {
        return new ReferenceGapCalculator(GapModel.readQuip(SharedData.gapFit("si-soap").resolve("gp.xml")));
    }

    /** Records every event, labelled frame, model and re-optimisation, in order. */
    private static final class Recorder implements LearnListener {
        final List<LearnerEvent> events = new ArrayList<>();
        final List<Structure> frames = new ArrayList<>();
        final List<GapModel> models = new ArrayList<>();
        final List<Reoptimisation> reoptimisations = new ArrayList<>();
        /** For each re-optimisation, the number of events before it. */
        final List<Integer> reoptimisedAfter = new ArrayList<>();

        @Override
        public void updated(LearnerEvent event, Structure labelled, GapModel model) {
            events.add(event);
            frames.add(labelled);
            models.add(model);
        }

        @Override
        public void reoptimised(Reoptimisation r) {
            reoptimisations.add(r);
            reoptimisedAfter.add(events.size());
        }
    }

    /** Runs Langevin MD at 1500 K with the learner until {@code calls} reference calls or {@code steps} steps. */
    private static OnTheFlyLearner run(LearningPolicy policy, Recorder recorder, int calls, int steps)
            throws Exception {
        return run(policy, recorder, calls, steps, Crystal.diamond(14, 5.431, 1), 1);
    }

    /** As {@link #run(LearningPolicy, Recorder, int, int)} from {@code s} (moved) on {@code threads} threads. */
    private static OnTheFlyLearner run(LearningPolicy policy, Recorder recorder, int calls, int steps, Structure s,
            int threads) throws Exception {
        MaxwellBoltzmann.assign(s, 1500, 3, MaxwellBoltzmann.Scaling.EXACT);
        try (WorkerPool pool = new WorkerPool(threads)) {
            OnTheFlyLearner learner = OnTheFlyLearner.bootstrap(s, reference(), DescriptorString.parse(SOAP), SIGMAS,
                    JITTER, policy, recorder, pool);
            MdSystem system = new MdSystem(s, learner);
            Langevin integrator = new Langevin(system, 1.0, TemperatureSchedule.constant(1500), 0.02, 5);
            MdObserver enough = sys -> learner.referenceCalls() >= calls ? MdObserver.Action.STOP
                    : MdObserver.Action.CONTINUE;
            new MolecularDynamics(integrator, List.of(learner, enough)).run(steps);
            return learner;
        }
    }

    /**
     * The same learning run three times in one JVM (the first while the JIT compiles the code) gives the same
     * decisions, models and trajectory bit for bit, at 1 and 2 threads (issue 15).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void repeatRunsAreBitIdentical(int threads) throws Exception {
        Structure first = null;
        Recorder expected = null;
        for (int run = 0; run < 3; run++) {
            Recorder r = new Recorder();
            Structure s = Crystal.diamond(14, 5.431, 1);
            run(new LearningPolicy(0.003, 4, 2, 1000, 1, 0), r, 4, 120, s, threads);
            assertTrue(r.events.size() >= 3, "only " + r.events.size() + " calls in 120 steps");
            if (run == 0) {
                first = s;
                expected = r;
                continue;
            }
            String where = threads + " threads, run " + run;
            assertEquals(expected.events.size(), r.events.size(), where + ": calls");
            for (int k = 0; k < r.events.size(); k++) {
                LearnerEvent a = expected.events.get(k);
                LearnerEvent b = r.events.get(k);
                assertEquals(a.step(), b.step(), where + ": step of call " + k);
                assertEquals(a.atom(), b.atom(), where + ": atom of call " + k);
                Bits.assertSameBits(new double[] {a.maxSigma(), a.energyError(), a.energyJump()},
                        new double[] {b.maxSigma(), b.energyError(), b.energyJump()}, where + ": call " + k);
                GapTerm ta = expected.models.get(k).terms().getFirst();
                GapTerm tb = r.models.get(k).terms().getFirst();
                Bits.assertSameBits(ta.sparseX(), tb.sparseX(), where + ": sparse points after call " + k);
                Bits.assertSameBits(ta.alpha(), tb.alpha(), where + ": α after call " + k);
            }
            Bits.assertSameBits(first.positions(), s.positions(), where + ": final positions");
            Bits.assertSameBits(first.velocities(), s.velocities(), where + ": final velocities");
        }
    }

    @Test
    void decisionsUseTheForcePassSigmaOfCheckStepsOnly() throws Exception {
        Recorder r = new Recorder();
        run(new LearningPolicy(0.003, 4, 2, 1000, 3, 0), r, 5, 400);
        assertTrue(r.events.size() >= 4, "only " + r.events.size() + " calls in 400 steps");
        for (int k = 1; k < r.events.size(); k++) {
            LearnerEvent e = r.events.get(k);
            assertEquals(0, e.step() % 3, "call at step " + e.step() + ", not a check step (every 3)");
            assertTrue(e.step() - r.events.get(k - 1).step() >= 4, "calls closer than --min-steps");
            // σ of the model before the update at the call's positions, by the independent descriptor pass
            double[] var = new ReferenceGapCalculator(r.models.get(k - 1)).localVariance(r.frames.get(k));
            int worst = 0;
            for (int i = 1; i < var.length; i++) {
                worst = var[i] > var[worst] ? i : worst;
            }
            assertEquals(Math.sqrt(var[worst]), e.maxSigma(), 1e-7 * Math.sqrt(var[worst]), "max σ at call " + k);
            assertEquals(worst, e.atom(), "most uncertain atom at call " + k);
            assertTrue(e.maxSigma() > 0.003);
        }
    }

    /**
     * With a force tolerance alone, every call comes on a check step at which the model before the update has an
     * exact force σ over the tolerance — recomputed by the reference path's observed σ at the call's positions.
     */
    @Test
    void aForceToleranceCallsTheReferenceOnTheExactForceSigma() throws Exception {
        Recorder r = new Recorder();
        double tolerance = 4e-4; // uncalibrated √(uᵀΣu): a bootstrapped model carries no calibration
        run(new LearningPolicy(Double.POSITIVE_INFINITY, 4, 2, 1000, 2, 0, tolerance), r, 4, 300);
        assertTrue(r.events.size() >= 3, "only " + r.events.size() + " calls in 300 steps");
        for (int k = 1; k < r.events.size(); k++) {
            LearnerEvent e = r.events.get(k);
            assertEquals(0, e.step() % 2, "call at step " + e.step() + ", not a check step (every 2)");
            double[] var = new ReferenceGapCalculator(r.models.get(k - 1)).observedVariance(r.frames.get(k), null)
                    .forces();
            double max = 0;
            for (double v : var) {
                max = Math.max(max, Math.sqrt(v));
            }
            assertTrue(max > tolerance, "call " + k + " at step " + e.step() + ": largest force σ " + max
                    + " eV/Å ≤ the tolerance");
        }
    }

    @Test
    void reoptimisedModelEqualsADirectFitWithTheChosenValues() throws Exception {
        Recorder r = new Recorder();
        OnTheFlyLearner learner = run(new LearningPolicy(0.003, 4, 2, 1000, 1, 3), r, 5, 600);
        assertEquals(5, learner.referenceCalls(), "calls in 600 steps");
        assertEquals(1, r.reoptimisations.size(), "one re-optimisation, at the third call");
        Reoptimisation opt = r.reoptimisations.getFirst();
        assertEquals(2, r.reoptimisedAfter.getFirst(), "after the bootstrap and one more call, before the third");
        assertEquals(r.events.get(2).step(), opt.step());
        assertEquals(SIGMAS, opt.oldSigmas());
        assertArrayEquals(new double[] {1.0}, opt.oldDelta());
        assertNotEquals(SIGMAS, opt.newSigmas(), "the search moved the σ");
        assertTrue(opt.newLogLikelihood() >= opt.oldLogLikelihood(), opt.toString());
        assertEquals(opt.newSigmas(), learner.sigmas());
        // right after the re-optimisation (3 frames) and at the end (5 frames: 2 added with the new σ and δ, with
        // new sparse points bordered onto the relabelled frames)
        for (int events : new int[] {3, 5}) {
            GapModel learnt = r.models.get(events - 1);
            GapModel direct = directFit(learnt, opt, r.frames.subList(0, events));
            assertEquals(opt.newDelta()[0], learnt.terms().getFirst().delta(), 0.0, "δ of the learnt model");
            double[] a = learnt.terms().getFirst().alpha();
            double[] b = direct.terms().getFirst().alpha();
            double scale = java.util.Arrays.stream(b).map(Math::abs).max().orElseThrow();
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-6 * scale, "α[" + i + "] after " + events + " calls");
            }
            assertEquals(direct.posterior().logMarginalLikelihood(), learnt.posterior().logMarginalLikelihood(),
                    1e-7 * Math.abs(direct.posterior().logMarginalLikelihood()), "ln p(y) after " + events);
            if (events == 3) {
                assertEquals(opt.newLogLikelihood(), direct.posterior().logMarginalLikelihood(),
                        1e-7 * Math.abs(opt.newLogLikelihood()), "the logged optimum is the direct fit's ln p(y)");
            }
            Structure probe = r.frames.getLast().copy();
            CalculationResults x = new CalculationResults();
            CalculationResults y = new CalculationResults();
            new ReferenceGapCalculator(learnt).calculate(probe, EnumSet.of(Property.ENERGY, Property.FORCES), x);
            new ReferenceGapCalculator(direct).calculate(probe, EnumSet.of(Property.ENERGY, Property.FORCES), y);
            assertEquals(y.energy, x.energy, 1e-7, "energy (eV) after " + events + " calls");
            assertArrayEquals(y.forces, x.forces, 1e-6, "forces (eV/Å) after " + events + " calls");
        }
    }

    /**
     * A fit from scratch of the learnt model's sparse points with the re-optimisation's δ and σ, the frames labelled
     * from the reference's data with the new σ (gap_fit's sigma_per_atom convention).
     */
    private static GapModel directFit(GapModel learnt, Reoptimisation opt, List<Structure> labelled) {
        GapTerm t = learnt.terms().getFirst();
        GapTerm term = new GapTerm(t.label(), t.descriptor(), t.covariance(), opt.newDelta()[0], t.f0(), t.zeta(),
                t.theta(), t.sparseX(), new double[t.sparseCount()], t.sparseCutoff());
        Sigmas s = opt.newSigmas();
        List<TrainingFrame> frames = new ArrayList<>();
        for (Structure l : labelled) {
            int n = l.size();
            double[] fs = new double[3 * n];
            java.util.Arrays.fill(fs, s.force());
            double[] forces = l.properties().get("forces").reals();
            double[] stress = (double[]) l.info().get("stress");
            assertEquals(9, stress.length, "the reference gives the stress, fitted as the virial");
            double[] virial = new double[9];
            double[] vs = new double[9];
            for (int k = 0; k < 9; k++) {
                virial[k] = -l.volume() * 0.5 * (stress[k] + stress[3 * (k % 3) + k / 3]);
                vs[k] = s.virial() * Math.sqrt(n);
            }
            frames.add(new TrainingFrame(frames.size(), 0, l, "default", l.infoReal("energy"),
                    s.energy() * Math.sqrt(n), forces, fs, virial, vs));
        }
        return SparseGpSolve.fit(learnt.label(), learnt.e0(), List.of(term), frames, JITTER, 1, FitListener.NONE);
    }
}
