package org.soapstone.engine.md;

import java.util.List;
import org.soapstone.engine.calculator.NonFiniteResultException;
import org.soapstone.engine.neighbour.AtomsTooCloseException;

/**
 * The MD run loop: steps an {@link Integrator} and shows the state to {@link MdObserver}s. Observers whose
 * interval divides the current step index are called at the start of {@link #run} and after every step, in
 * the order given; any of them can end the run. The loop itself allocates nothing per step, and each step makes
 * exactly one calculator call.
 */
public final class MolecularDynamics {
    private final Integrator integrator;
    private final MdObserver[] observers;
    private final int[] intervals;

    /** How a {@link #run} ended: the steps it took, and whether an observer stopped it early. */
    public record Outcome(long steps, boolean stoppedByObserver) {}

    /**
     * @param integrator the integrator, bound to its system
     * @param observers the observers, called in this order
     */
    public MolecularDynamics(Integrator integrator, List<? extends MdObserver> observers) {
        this.integrator = integrator;
        this.observers = observers.toArray(new MdObserver[0]);
        this.intervals = new int[this.observers.length];
        for (int k = 0; k < intervals.length; k++) {
            intervals[k] = this.observers[k].interval();
            if (intervals[k] < 1) {
                throw new IllegalArgumentException("observer " + this.observers[k] + " has interval " + intervals[k]
                        + "; it must be ≥ 1");
            }
        }
    }

    /** @return the integrator */
    public Integrator integrator() {
        return integrator;
    }

    /**
     * Runs up to {@code steps} steps.
     *
     * @param steps the number of steps, ≥ 0
     * @return the number of steps taken and whether an observer stopped the run
     * @throws UnstableRunException naming the step if the forces there are not finite, two atoms overlap, or an
     *     observer (a {@link DivergenceGuard}) finds the run diverged
     */
    public Outcome run(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
        }
        if (observe()) {
            return new Outcome(0, true);
        }
        for (long n = 1; n <= steps; n++) {
            try {
                integrator.step();
            } catch (AtomsTooCloseException | NonFiniteResultException e) {
                throw new UnstableRunException(integrator.system().step() + 1, e);
            }
            if (observe()) {
                return new Outcome(n, true);
            }
        }
        return new Outcome(steps, false);
    }

    /** @return true if an observer asked to stop */
    private boolean observe() {
        MdSystem system = integrator.system();
        long step = system.step();
        boolean stop = false;
        try {
            for (int k = 0; k < observers.length; k++) {
                if (step % intervals[k] == 0 && observers[k].observe(system) == MdObserver.Action.STOP) {
                    stop = true;
                }
            }
        } catch (AtomsTooCloseException | NonFiniteResultException e) {
            throw new UnstableRunException(step, e);
        }
        return stop;
    }
}
