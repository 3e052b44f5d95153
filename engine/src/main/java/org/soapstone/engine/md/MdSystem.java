package org.soapstone.engine.md;

import java.util.EnumSet;
import java.util.Set;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.NonFiniteResultException;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.neighbour.AtomsTooCloseException;
import org.soapstone.engine.structure.Structure;

/**
 * The state an {@link Integrator} advances: a {@link Structure} whose positions (Å) and velocities (Å/fs) are
 * updated in place, the {@link Calculator} that gives its forces, the {@link CalculationResults} at the current
 * positions, and the clock (step index and time in fs).
 *
 * <p>Invariant between steps: {@link #results()} hold the energy (eV), forces (eV/Å) and, if requested, stress
 * (eV/Å³) and per-atom energies of the current positions. The constructor makes the one calculator call that
 * establishes it; afterwards every step calls the calculator exactly once (velocity Verlet reuses the forces of
 * the previous step for its first half kick). The building blocks {@link #kick}, {@link #drift} and
 * {@link #computeForces} allocate nothing. Masses are read once, at construction.
 */
public final class MdSystem {
    private final Structure structure;
    private final Calculator calculator;
    private final Set<Property> requested;
    private final CalculationResults results = new CalculationResults();
    private final double[] accelerationPerForce;
    private long step;
    private double time;
    private long calculatorCalls;

    /**
     * A system that requests energy, forces, and whichever of stress (only for a cell with volume) and per-atom
     * energies the calculator implements. Velocities are set to zero if the structure has none.
     *
     * @param structure the atoms, updated in place by the integrator
     * @param calculator the energy model
     * @throws UnstableRunException if the forces of the start are not finite or two atoms overlap
     */
    public MdSystem(Structure structure, Calculator calculator) {
        this(structure, calculator, defaultRequest(structure, calculator));
    }

    /**
     * @param structure the atoms, updated in place by the integrator; velocities set to zero if it has none
     * @param calculator the energy model
     * @param requested what to compute every step; must contain {@link Property#ENERGY} and
     *     {@link Property#FORCES}
     * @throws UnstableRunException if the forces of the start are not finite or two atoms overlap
     */
    public MdSystem(Structure structure, Calculator calculator, Set<Property> requested) {
        if (!requested.contains(Property.ENERGY) || !requested.contains(Property.FORCES)) {
            throw new IllegalArgumentException("MD needs ENERGY and FORCES, requested " + requested);
        }
        calculator.checkRequested(requested);
        this.structure = structure;
        this.calculator = calculator;
        this.requested = EnumSet.copyOf(requested);
        if (structure.velocities() == null) {
            structure.setVelocities(new double[3 * structure.size()]);
        }
        double[] m = structure.masses();
        accelerationPerForce = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            if (!(m[i] > 0)) {
                throw new IllegalArgumentException(
                        "atom " + i + " has mass " + m[i] + " amu; MD needs positive masses");
            }
            accelerationPerForce[i] = Units.ACCELERATION / m[i];
        }
        try {
            computeForces();
        } catch (AtomsTooCloseException | NonFiniteResultException e) {
            throw new UnstableRunException(0, e);
        }
    }

    private static Set<Property> defaultRequest(Structure structure, Calculator calculator) {
        Set<Property> r = EnumSet.of(Property.ENERGY, Property.FORCES);
        Set<Property> implemented = calculator.implementedProperties();
        if (implemented.contains(Property.STRESS) && structure.cell().hasVolume()) {
            r.add(Property.STRESS);
        }
        if (implemented.contains(Property.ENERGIES)) {
            r.add(Property.ENERGIES);
        }
        return r;
    }

    /** @return the atoms (positions Å, velocities Å/fs), live */
    public Structure structure() {
        return structure;
    }

    /** @return the energy model */
    public Calculator calculator() {
        return calculator;
    }

    /** @return the results at the current positions (energy eV, forces eV/Å, stress eV/Å³), live */
    public CalculationResults results() {
        return results;
    }

    /** @return the properties computed every step */
    public Set<Property> requested() {
        return EnumSet.copyOf(requested);
    }

    /** @return the step index: the steps taken since construction, plus the step set by {@link #resumeAt} */
    public long step() {
        return step;
    }

    /** @return the simulated time since construction, plus the time set by {@link #resumeAt} (fs) */
    public double time() {
        return time;
    }

    /** @return how many times the calculator was called, including the one call at construction */
    public long calculatorCalls() {
        return calculatorCalls;
    }

    /** v ← v + dt · F/m for every atom, with dt in fs (velocities Å/fs, forces eV/Å, masses amu). */
    public void kick(double dt) {
        double[] v = structure.velocities();
        double[] f = results.forces;
        for (int i = 0; i < accelerationPerForce.length; i++) {
            double a = dt * accelerationPerForce[i];
            v[3 * i] += a * f[3 * i];
            v[3 * i + 1] += a * f[3 * i + 1];
            v[3 * i + 2] += a * f[3 * i + 2];
        }
    }

    /** r ← r + dt · v for every atom, with dt in fs (positions Å, velocities Å/fs). */
    public void drift(double dt) {
        double[] r = structure.positions();
        double[] v = structure.velocities();
        for (int k = 0; k < r.length; k++) {
            r[k] += dt * v[k];
        }
    }

    /**
     * Calls the calculator at the current positions, refreshing {@link #results()}.
     *
     * @throws AtomsTooCloseException if two atoms overlap
     * @throws NonFiniteResultException if the energy, a force or the stress is not finite
     */
    public void computeForces() {
        calculator.calculate(structure, requested, results);
        calculatorCalls++;
        results.requireFinite();
    }

    /** @return the kinetic energy (eV) */
    public double kineticEnergy() {
        return Kinetics.kineticEnergy(structure);
    }

    /** @return the kinetic temperature 2 KE / ((3N − 3) k_B) (K); see {@link Kinetics} */
    public double temperature() {
        return Kinetics.temperature(kineticEnergy(), structure.size());
    }

    /**
     * The instantaneous pressure including the kinetic (ideal-gas) term, as ASE's
     * {@code -trace(atoms.get_stress(include_ideal_gas=True))/3} and LAMMPS's {@code press}: ASE subtracts
     * Σ m v⊗v / V from the potential stress σ, so P = −tr(σ)/3 + 2 KE/(3V) = −tr(σ)/3 + N_f k_B T/(3V).
     *
     * @return the pressure (eV/Å³), or NaN if stress is not computed
     */
    public double pressure() {
        if (!requested.contains(Property.STRESS)) {
            return Double.NaN;
        }
        double[] s = results.stress;
        return -(s[0] + s[1] + s[2]) / 3 + 2 * kineticEnergy() / (3 * structure.volume());
    }

    /**
     * Sets the clock of a system that continues an earlier run (before its first step): observers, thermostat
     * schedules and errors then count steps and time from there.
     *
     * @param step the step the state belongs to, ≥ 0
     * @param time its time (fs)
     * @throws IllegalStateException if the system has already taken a step
     */
    public void resumeAt(long step, double time) {
        if (this.step != 0 || this.time != 0) {
            throw new IllegalStateException("the clock can only be set before the first step");
        }
        if (step < 0 || !Double.isFinite(time)) {
            throw new IllegalArgumentException("need a step ≥ 0 and a finite time, got " + step + ", " + time);
        }
        this.step = step;
        this.time = time;
    }

    /** Advances the clock by one step of {@code dt} fs; called by {@link Integrator#step()}. */
    void advanceClock(double dt) {
        step++;
        time += dt;
    }
}
