package org.soapstone.engine.md;

import java.util.Locale;

/**
 * Stops a diverging run: an {@link MdObserver} that throws {@link UnstableRunException} at the first step whose
 * conserved energy ({@link ConservedEnergy}: the total energy for NVE, total − thermostat heat otherwise) differs
 * from the start's by more than {@link #LIMIT_PER_ATOM} eV per atom, or is not finite.
 *
 * <p>Why this bound: the conserved quantity moves only by the integration error. Measured on 512-atom SW silicon
 * started at 1000 K, over 1000 NVE steps its largest change is 1.7·10⁻⁴ eV/atom at 1 fs, 2.8·10⁻³ at 4 fs and
 * 3.8·10⁻² at 12 fs (GAP silicon: 5·10⁻⁴ over 10 ps at 1 fs); at 15 fs the run diverges and passes 1 eV/atom at
 * step 25 (then at 9000 K), at 100 fs at step 1 (5·10⁴ eV/atom). 1 eV/atom — the heat that would raise the
 * temperature by ≈ 7700 K — lies far from both, so a sound run never trips it and a diverging one trips it within a
 * few steps. When the potential changes mid-run (a learner's model update), {@link #rereference} takes the jump out,
 * as {@link ConservedEnergy#rereference} does.
 */
public final class DivergenceGuard implements MdObserver {
    /** The largest change of the conserved energy tolerated (eV per atom). */
    public static final double LIMIT_PER_ATOM = 1.0;

    private final ConservedEnergy conserved;
    private final double start;

    /** @param integrator the run's integrator, bound to its system (whose current state is the reference) */
    public DivergenceGuard(Integrator integrator) {
        this.conserved = new ConservedEnergy(integrator);
        this.start = conserved.value();
    }

    /** @param jump E_pot after − before a change of the potential at the same positions (eV) */
    public void rereference(double jump) {
        conserved.rereference(jump);
    }

    @Override
    public Action observe(MdSystem system) {
        double change = (conserved.value() - start) / system.structure().size();
        if (!(Math.abs(change) <= LIMIT_PER_ATOM)) {
            throw new UnstableRunException(system.step(), String.format(Locale.ROOT, "the run diverged: the "
                    + "conserved energy (total energy − thermostat heat) changed by %.4g eV/atom since the start "
                    + "(more than %s eV/atom; the temperature is now %.4g K): the time step is too long for these "
                    + "forces, or the forces are wrong", change, LIMIT_PER_ATOM, system.temperature()), null);
        }
        return Action.CONTINUE;
    }
}
