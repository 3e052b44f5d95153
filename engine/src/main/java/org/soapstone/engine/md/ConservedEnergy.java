package org.soapstone.engine.md;

/**
 * The conserved quantity of a run (eV): E_pot + E_kin − the heat its thermostat has added
 * ({@link Integrator#heatAdded()}) − a reference shift. For velocity Verlet it is the total energy; for Bussi's
 * rescaling his effective energy (Bussi, Donadio and Parrinello, J. Chem. Phys. 126, 014101 (2007)); for BAOAB
 * Langevin and Berendsen the same bookkeeping. Its drift measures the integration error alone.
 *
 * <p>When the potential itself changes mid-run (an on-the-fly learner's model update), the energy jumps by
 * ΔE = E_new − E_old at fixed positions and velocities; {@link #rereference(double)} moves the reference by that
 * jump so that the quantity continues without it, and the drift seen afterwards is the models' own.
 */
public final class ConservedEnergy {
    private final Integrator integrator;
    private double shift;

    /** @param integrator the run's integrator, bound to its system */
    public ConservedEnergy(Integrator integrator) {
        this.integrator = integrator;
    }

    /** @return E_pot + E_kin − heat added − the reference shifts so far (eV) */
    public double value() {
        return unshifted() - shift;
    }

    /** @return E_pot + E_kin − heat added, without the reference shifts (eV) */
    public double unshifted() {
        MdSystem system = integrator.system();
        return system.results().energy + system.kineticEnergy() - integrator.heatAdded();
    }

    /**
     * Moves the reference by an energy jump of the potential, so that {@link #value()} does not jump with it.
     *
     * @param jump E_pot after − before the change of potential, at the same positions (eV)
     */
    public void rereference(double jump) {
        shift += jump;
    }

    /** @return the sum of the jumps re-referenced so far (eV) */
    public double shift() {
        return shift;
    }
}
