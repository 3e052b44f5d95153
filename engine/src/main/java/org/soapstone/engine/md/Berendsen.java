package org.soapstone.engine.md;

/**
 * Berendsen weak-coupling thermostat (Berendsen, Postma, van Gunsteren, DiNola and Haak, J. Chem. Phys. 81,
 * 3684 (1984)) on top of velocity Verlet. Each step first rescales the velocities by
 * λ = √(1 + (dt/τ)(T₀/T − 1)), T being the kinetic temperature, so that without forces T relaxes to T₀ as
 * exp(−t/τ); then a velocity-Verlet step follows (the order of ASE's {@code NVTBerendsen}). It does not sample
 * the canonical ensemble (use {@link StochasticVelocityRescaling} for that). With zero kinetic energy there is
 * nothing to rescale and the step is plain velocity Verlet. Units: timestep and τ fs, temperature K.
 */
public final class Berendsen extends Integrator {
    private final TemperatureSchedule target;
    private final double couplingPerStep;
    private double heatAdded;

    /**
     * @param system the state to advance
     * @param timestep the timestep (fs)
     * @param target the target temperature (K) by step
     * @param timeConstant the coupling time τ (fs), at least one timestep
     */
    public Berendsen(MdSystem system, double timestep, TemperatureSchedule target, double timeConstant) {
        super(system, timestep);
        if (!(timeConstant >= timestep) || !Double.isFinite(timeConstant)) {
            throw new IllegalArgumentException("time constant must be finite and at least the timestep " + timestep
                    + " fs, got " + timeConstant);
        }
        this.target = target;
        this.couplingPerStep = timestep / timeConstant;
    }

    /** @return the kinetic energy the rescalings have added so far (eV); see {@link Integrator#heatAdded()} */
    @Override
    public double heatAdded() {
        return heatAdded;
    }

    @Override
    protected void advance() {
        double kinetic = system.kineticEnergy();
        double t = Kinetics.temperature(kinetic, system.structure().size());
        if (t > 0) {
            double targetKelvin = target.at(system.step() + 1);
            double lambdaSquared = 1 + couplingPerStep * (targetKelvin / t - 1);
            Kinetics.scaleVelocities(system.structure(), Math.sqrt(lambdaSquared));
            heatAdded += (lambdaSquared - 1) * kinetic;
        }
        velocityVerlet();
    }
}
