package org.soapstone.engine.md;

/**
 * A molecular-dynamics integrator bound to one {@link MdSystem}: each {@link #step()} advances positions and
 * velocities by one timestep, calls the calculator exactly once, and leaves the system's results at the new
 * positions.
 */
public abstract class Integrator {
    /** The state this integrator advances. */
    protected final MdSystem system;
    /** The timestep (fs). */
    protected final double timestep;

    /**
     * @param system the state to advance
     * @param timestep the timestep (fs), positive and finite
     */
    protected Integrator(MdSystem system, double timestep) {
        if (!(timestep > 0) || !Double.isFinite(timestep)) {
            throw new IllegalArgumentException("timestep must be positive and finite (fs), got " + timestep);
        }
        this.system = system;
        this.timestep = timestep;
    }

    /** @return the state this integrator advances */
    public final MdSystem system() {
        return system;
    }

    /** @return the timestep (fs) */
    public final double timestep() {
        return timestep;
    }

    /**
     * The energy the thermostat has put into the system since the integrator was built (eV): total energy minus
     * this is the run's conserved quantity ({@link ConservedEnergy}). Velocity Verlet adds none; a thermostat
     * counts the kinetic-energy change of its velocity updates (for Bussi's rescaling this gives his effective
     * energy, Bussi, Donadio and Parrinello, J. Chem. Phys. 126, 014101 (2007); for BAOAB Langevin the same
     * bookkeeping, Bussi and Parrinello, Phys. Rev. E 75, 056707 (2007)).
     *
     * @return the heat added (eV)
     */
    public double heatAdded() {
        return 0;
    }

    /** Advances the system by one timestep and its clock by one step. */
    public final void step() {
        advance();
        system.advanceClock(timestep);
    }

    /** Moves positions and velocities by one timestep, calling {@link MdSystem#computeForces()} exactly once. */
    protected abstract void advance();

    /**
     * One velocity-Verlet step (Swope, Andersen, Berens and Wilson, J. Chem. Phys. 76, 637 (1982)): half kick
     * with the current forces, drift, new forces, half kick.
     */
    protected final void velocityVerlet() {
        system.kick(0.5 * timestep);
        system.drift(timestep);
        system.computeForces();
        system.kick(0.5 * timestep);
    }
}
