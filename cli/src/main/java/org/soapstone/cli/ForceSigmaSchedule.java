package org.soapstone.cli;

import java.util.List;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.evaluator.FastGapCalculator.ForceSigma;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.ThermoLog;

/**
 * Which force σ each MD step of {@code soapstone md} computes: the exact one every {@code every} steps (step 0
 * included), the model's calibrated proxy on the others that use it ({@link SigmaSteps}) when it has one and the
 * local-energy σ is on. Observes every step first (it records what the step computed) and sets the force σ of the
 * next step's force call.
 */
final class ForceSigmaSchedule implements MdObserver {
    private final FastGapCalculator evaluator;
    private final int every;
    private final boolean proxy;
    private final SigmaSteps steps;
    private long lastStep = -1;
    private boolean lastExact;

    private ForceSigmaSchedule(FastGapCalculator evaluator, int every, boolean proxy, SigmaSteps steps) {
        this.evaluator = evaluator;
        this.every = every;
        this.proxy = proxy;
        this.steps = steps;
        evaluator.forceSigma(mode(0));
    }

    /**
     * @param model a model, or null
     * @return the rank of the variance projection its force-σ proxy is calibrated on, in [1, M]; −1 if it has no
     *     proxy
     */
    static int proxyRank(GapModel model) {
        if (model == null || !model.hasPosterior() || model.calibration() == null
                || model.calibration().forceProxy() == null) {
            return -1;
        }
        return model.calibration().forceProxy().rank(model.posterior().sparseCount());
    }

    /**
     * @param model a model, or null
     * @param rank the local-energy σ rank asked for (0: exact), or null for the default
     * @return whether the model has a proxy and the rank asked for is not the proxy's
     */
    static boolean otherRank(GapModel model, Integer rank) {
        int proxy = proxyRank(model);
        if (proxy < 0 || rank == null) {
            return false;
        }
        int m = model.posterior().sparseCount();
        return (rank == 0 ? m : Math.min(rank, m)) != proxy;
    }

    /**
     * @param evaluator the model's calculator, or null (no model)
     * @param noSigma whether the local-energy σ is off (then no proxy)
     * @param otherRank whether the local-energy σ is asked at another rank than the proxy's (then no proxy)
     * @param every steps between exact force σ, 0 never
     * @param stop whether --stop-if-uncertain-force needs a force σ
     * @param steps the steps that use σ (the proxy's; every step with {@code stop})
     * @return the schedule, or null if no step computes a force σ
     * @throws IllegalArgumentException if a force σ is asked of a model that cannot give it
     */
    static ForceSigmaSchedule of(FastGapCalculator evaluator, boolean noSigma, boolean otherRank, int every,
            boolean stop, SigmaSteps steps) {
        if (evaluator == null) {
            return null;
        }
        boolean asked = every > 0 || stop;
        if (!evaluator.model().hasPosterior()) {
            if (asked) {
                throw new IllegalArgumentException((every > 0 ? "--sigma-every" : "--stop-if-uncertain-force")
                        + " needs a model fitted by soapstone (with its sparse-GP posterior); this is an imported "
                        + "gap_fit model, whose only σ is the local-energy one (--stop-if-uncertain)");
            }
            return null;
        }
        SigmaCalibration c = evaluator.model().calibration();
        boolean proxy = !noSigma && !otherRank && c != null && c.forceProxy() != null;
        if (!proxy && every == 0) {
            if (stop) {
                throw new IllegalArgumentException("--stop-if-uncertain-force: this model has no calibrated force-σ "
                        + "proxy for every step (" + (noSigma ? "--no-sigma" : otherRank ? "--sigma-rank other than "
                        + "the proxy's" : "fitted with --calibration none or before the proxy existed")
                        + "); add --sigma-every N to check the exact force σ every N steps");
            }
            return null;
        }
        return new ForceSigmaSchedule(evaluator, every, proxy, steps);
    }

    private ForceSigma mode(long step) {
        if (every > 0 && step % every == 0) {
            return ForceSigma.EXACT;
        }
        return proxy && steps.used(step) ? ForceSigma.PROXY : ForceSigma.NONE;
    }

    @Override
    public Action observe(MdSystem system) {
        ForceSigma computed = evaluator.lastForceSigma();
        if (computed != ForceSigma.NONE) {
            lastStep = system.step();
            lastExact = computed == ForceSigma.EXACT;
        }
        evaluator.forceSigma(mode(system.step() + 1));
        return Action.CONTINUE;
    }

    /** @return whether the force σ last computed was the exact one */
    boolean lastExact() {
        return lastExact;
    }

    /**
     * @return the thermo-log columns: the largest and mean per-atom force σ (eV/Å; an atom's is the largest of its
     *     components') of the last step that computed one, that step, and whether it was exact (1) or the proxy (0)
     */
    List<ThermoLog.Column> columns() {
        return List.of(new ThermoLog.Column("force_sigma_max_eV/A", s -> evaluator.maxForceDeviation()),
                new ThermoLog.Column("force_sigma_mean_eV/A", s -> evaluator.meanForceDeviation()),
                new ThermoLog.Column("force_sigma_step", s -> lastStep),
                new ThermoLog.Column("force_sigma_exact", s -> lastExact ? 1 : 0));
    }
}
