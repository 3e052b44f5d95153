package org.soapstone.engine.md;

import java.util.function.Consumer;

/**
 * Something {@link MolecularDynamics} shows the state to every {@link #interval()} steps: a log, a trajectory, a
 * stop condition (e.g. a model uncertainty over a threshold). It is called when the system's step index is a
 * multiple of the interval, including at the start of a run, after the step's forces are computed.
 */
public interface MdObserver {

    /** What the run should do after an observation. */
    enum Action {
        /** Carry on. */
        CONTINUE,
        /** End the run cleanly after this step (the remaining observers of this step are still called). */
        STOP
    }

    /**
     * An observer that calls {@code fn} every {@code n} steps and lets the run go on (ASE's
     * {@code dyn.attach(fn, interval=n)}), e.g. {@code MdObserver.every(10, s -> System.out.println(s.temperature()))}.
     *
     * @param n the number of steps between calls, ≥ 1
     * @param fn what to do with the state (read only)
     * @return the observer
     * @throws IllegalArgumentException if n &lt; 1
     */
    static MdObserver every(int n, Consumer<MdSystem> fn) {
        if (n < 1) {
            throw new IllegalArgumentException("an observer's interval must be ≥ 1 step, got " + n);
        }
        return new MdObserver() {
            @Override
            public int interval() {
                return n;
            }

            @Override
            public Action observe(MdSystem system) {
                fn.accept(system);
                return Action.CONTINUE;
            }
        };
    }

    /** @return the number of steps between observations, ≥ 1 */
    default int interval() {
        return 1;
    }

    /**
     * @param system the state: {@link MdSystem#step()}, {@link MdSystem#time()} (fs), the structure (positions Å,
     *     velocities Å/fs) and the results at its positions (eV, eV/Å, eV/Å³); read only
     * @return whether the run should go on
     */
    Action observe(MdSystem system);
}
