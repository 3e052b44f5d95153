package org.soapstone.engine.md;

import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.soapstone.engine.structure.Structure;

/**
 * Canonical (NVT) Langevin dynamics by the BAOAB splitting of Leimkuhler and Matthews, Appl. Math. Res. Express
 * 2013, 34 (2013): B half kick, A half drift, O exact Ornstein–Uhlenbeck velocity update, A half drift, forces,
 * B half kick. The O step is v ← c v + √(1 − c²) √(k_B T/m) ξ with c = exp(−γ dt) and ξ standard normal per
 * component; for a harmonic potential BAOAB samples positions exactly and velocities with a relative error
 * (ω dt)²/4.
 *
 * <p>After the O step the centre-of-mass velocity is removed (ASE's {@code fixcm=True}): in mass-weighted
 * velocities this is the orthogonal projection onto zero total momentum, so for a translation-invariant
 * potential the O step is an exact thermostat on the 3N − 3 degrees of freedom that {@link Kinetics} counts.
 * It is not meant for potentials with external fields. Units: friction γ 1/fs, timestep fs, temperature K.
 */
public final class Langevin extends Integrator {
    private final TemperatureSchedule target;
    private final double decay;
    private final double noise;
    private final double[] thermalSpeedPerRootKelvin;
    private final NormalizedGaussianSampler gaussian;
    private double heatAdded;

    /**
     * @param system the state to advance
     * @param timestep the timestep (fs)
     * @param target the target temperature (K) by step
     * @param friction the friction γ (1/fs), positive and finite
     * @param seed the random seed: a fixed seed gives a bit-identical run
     */
    public Langevin(MdSystem system, double timestep, TemperatureSchedule target, double friction, long seed) {
        super(system, timestep);
        if (!(friction > 0) || !Double.isFinite(friction)) {
            throw new IllegalArgumentException("friction must be positive and finite (1/fs), got " + friction);
        }
        this.target = target;
        this.decay = Math.exp(-friction * timestep);
        this.noise = Math.sqrt(-Math.expm1(-2 * friction * timestep));
        double[] m = system.structure().masses();
        this.thermalSpeedPerRootKelvin = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            thermalSpeedPerRootKelvin[i] = Math.sqrt(Units.BOLTZMANN * Units.ACCELERATION / m[i]);
        }
        this.gaussian = ZigguratSampler.NormalizedGaussian.of(RandomStreams.create(seed));
    }

    /** @return the kinetic energy the O steps have added so far (eV); see {@link Integrator#heatAdded()} */
    @Override
    public double heatAdded() {
        return heatAdded;
    }

    @Override
    protected void advance() {
        double half = 0.5 * timestep;
        system.kick(half);
        system.drift(half);
        thermalise(Math.sqrt(target.at(system.step() + 1)));
        system.drift(half);
        system.computeForces();
        system.kick(half);
    }

    /** The O step: exact Ornstein–Uhlenbeck update of every velocity component, then zero total momentum. */
    private void thermalise(double rootKelvin) {
        Structure s = system.structure();
        double before = Kinetics.kineticEnergy(s);
        double[] v = s.velocities();
        for (int i = 0; i < thermalSpeedPerRootKelvin.length; i++) {
            double sigma = noise * rootKelvin * thermalSpeedPerRootKelvin[i];
            for (int d = 3 * i; d < 3 * i + 3; d++) {
                v[d] = decay * v[d] + sigma * gaussian.sample();
            }
        }
        Kinetics.removeCentreOfMassVelocity(s);
        heatAdded += Kinetics.kineticEnergy(s) - before;
    }
}
