package org.soapstone.engine.md;

import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.soapstone.engine.structure.Structure;

/**
 * Initial velocities from the Maxwell–Boltzmann distribution: each component v_iα = √(k_B T/m_i) ξ (Å/fs, with
 * m_i in amu and the factor {@link Units#ACCELERATION}), ξ standard normal, then the centre-of-mass velocity is
 * removed. Removing it is the orthogonal projection (in mass-weighted velocities) onto zero total momentum, so
 * the result is canonical on N_f = 3N − 3 degrees of freedom: ⟨2 KE⟩ = N_f k_B T exactly, and the kinetic
 * temperature reported by {@link Kinetics} is T on average, or exactly with {@link Scaling#EXACT}.
 */
public final class MaxwellBoltzmann {
    private MaxwellBoltzmann() {}

    /** Whether the sampled velocities are rescaled to the requested temperature. */
    public enum Scaling {
        /** Keep the sampled velocities: the kinetic temperature fluctuates around T (relative σ √(2/N_f)). */
        SAMPLED,
        /** Rescale so that the kinetic temperature is exactly T. */
        EXACT
    }

    /**
     * Gives {@code structure} new velocities (Å/fs) with zero total momentum.
     *
     * @param structure at least 2 atoms; its velocities are replaced
     * @param temperature the temperature (K), finite and ≥ 0
     * @param seed the random seed: a fixed seed gives the same velocities bit for bit
     * @param scaling whether to rescale to exactly {@code temperature}
     */
    public static void assign(Structure structure, double temperature, long seed, Scaling scaling) {
        if (!(temperature >= 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and ≥ 0 K, got " + temperature);
        }
        int atoms = structure.size();
        Kinetics.degreesOfFreedom(atoms);
        NormalizedGaussianSampler gaussian = ZigguratSampler.NormalizedGaussian.of(RandomStreams.create(seed));
        double[] m = structure.masses();
        double[] v = new double[3 * atoms];
        for (int i = 0; i < atoms; i++) {
            double sigma = Math.sqrt(Units.BOLTZMANN * temperature * Units.ACCELERATION / m[i]);
            for (int d = 3 * i; d < 3 * i + 3; d++) {
                v[d] = sigma * gaussian.sample();
            }
        }
        structure.setVelocities(v);
        Kinetics.removeCentreOfMassVelocity(structure);
        if (scaling == Scaling.EXACT && temperature > 0) {
            double sampled = Kinetics.temperature(Kinetics.kineticEnergy(structure), atoms);
            Kinetics.scaleVelocities(structure, Math.sqrt(temperature / sampled));
        }
    }
}
