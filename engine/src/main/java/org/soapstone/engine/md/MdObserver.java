package org.soapstone.engine.md;

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
