package org.soapstone.engine.md;

/**
 * Microcanonical (NVE) dynamics by velocity Verlet: v ← v + (dt/2) F/m; r ← r + dt v; F ← F(r);
 * v ← v + (dt/2) F/m. Symplectic and time-reversible, global error O(dt²). Timestep in fs.
 */
public final class VelocityVerlet extends Integrator {

    /**
     * @param system the state to advance
     * @param timestep the timestep (fs)
     */
    public VelocityVerlet(MdSystem system, double timestep) {
        super(system, timestep);
    }

    @Override
    protected void advance() {
        velocityVerlet();
    }
}
