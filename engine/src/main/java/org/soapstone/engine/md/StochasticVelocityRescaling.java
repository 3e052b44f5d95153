package org.soapstone.engine.md;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.AhrensDieterMarsagliaTsangGammaSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Canonical-sampling velocity rescaling (Bussi, Donadio and Parrinello, J. Chem. Phys. 126, 014101 (2007)) on
 * top of velocity Verlet. Each step first draws a new kinetic energy K′ from the exact solution over dt of the
 * stochastic differential equation dK = (K̄ − K) dt/τ + 2 √(K K̄/N_f) dW/√τ (their appendix):
 * K′ = c K + (1 − c) (K̄/N_f) (R₁² + S) + 2 R₁ √(c (1 − c) K K̄/N_f), with c = exp(−dt/τ), K̄ = N_f k_B T₀/2,
 * R₁ standard normal and S = Σ_{i=2}^{N_f} R_i² drawn in one go as a χ² variable with N_f − 1 degrees of
 * freedom (a gamma variable of shape (N_f − 1)/2 and scale 2). Velocities are scaled by α = ±√(K′/K), the sign
 * that of R₁ + √(c N_f K/((1 − c) K̄)); then a velocity-Verlet step follows (the order of ASE's
 * {@code Bussi}). N_f = 3N − 3, see {@link Kinetics}. Units: timestep and τ fs, temperature K, energy eV.
 */
public final class StochasticVelocityRescaling extends Integrator {
    private final TemperatureSchedule target;
    private final int degreesOfFreedom;
    private final double decay;
    private final NormalizedGaussianSampler gaussian;
    private final ContinuousSampler chiSquared;
    private double heatAdded;

    /**
     * @param system the state to advance
     * @param timestep the timestep (fs)
     * @param target the target temperature (K) by step
     * @param timeConstant the coupling time τ (fs), positive and finite
     * @param seed the random seed: a fixed seed gives a bit-identical run
     */
    public StochasticVelocityRescaling(MdSystem system, double timestep, TemperatureSchedule target,
            double timeConstant, long seed) {
        super(system, timestep);
        if (!(timeConstant > 0) || !Double.isFinite(timeConstant)) {
            throw new IllegalArgumentException("time constant must be positive and finite (fs), got " + timeConstant);
        }
        this.target = target;
        this.degreesOfFreedom = Kinetics.degreesOfFreedom(system.structure().size());
        this.decay = Math.exp(-timestep / timeConstant);
        UniformRandomProvider rng = RandomStreams.create(seed);
        this.gaussian = ZigguratSampler.NormalizedGaussian.of(rng);
        this.chiSquared = AhrensDieterMarsagliaTsangGammaSampler.of(rng, 0.5 * (degreesOfFreedom - 1), 2.0);
    }

    /**
     * @return the total energy (eV) the thermostat has put into the system so far; the total energy minus this
     *     is Bussi's effective energy, conserved up to the integration error
     */
    @Override
    public double heatAdded() {
        return heatAdded;
    }

    @Override
    protected void advance() {
        double kinetic = system.kineticEnergy();
        if (!(kinetic > 0)) {
            throw new IllegalStateException("stochastic velocity rescaling needs non-zero kinetic energy; "
                    + "give the atoms velocities first (MaxwellBoltzmann)");
        }
        double meanKinetic = 0.5 * degreesOfFreedom * Units.BOLTZMANN * target.at(system.step() + 1);
        double r1 = gaussian.sample();
        double s = chiSquared.sample();
        double perDof = (1 - decay) * meanKinetic / degreesOfFreedom;
        double newKinetic = decay * kinetic + perDof * (r1 * r1 + s) + 2 * r1 * Math.sqrt(decay * kinetic * perDof);
        double alpha = Math.sqrt(newKinetic / kinetic);
        if (r1 + Math.sqrt(decay * kinetic / perDof) < 0) {
            alpha = -alpha;
        }
        Kinetics.scaleVelocities(system.structure(), alpha);
        heatAdded += newKinetic - kinetic;
        velocityVerlet();
    }
}
