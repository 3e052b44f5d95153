package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.structure.Structure;

class StochasticVelocityRescalingTest {
    private static final double KELVIN = 600;

    /**
     * In the canonical ensemble the kinetic energy of N_f = 3N − 3 momentum degrees of freedom is gamma
     * distributed with shape N_f/2 and scale k_BT: mean N_f k_BT/2, variance N_f (k_BT)²/2, whatever the
     * potential. 27 atoms (N_f = 78) of the anharmonic network, 120 000 steps of 0.5 fs, cut into 40 blocks of
     * 1.5 ps (far longer than τ = 20 fs and the vibrational periods, so the block averages are independent); the
     * block means of K and of (K − mean)² are compared with the gamma moments within 4.5 standard errors.
     */
    @Test
    void kineticEnergyHasTheCanonicalMeanAndVariance() {
        Structure s = MdFixtures.simpleCubic(3, 2.5);
        MaxwellBoltzmann.assign(s, 300, 41, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s, MdFixtures.anharmonicNetwork(3));
        StochasticVelocityRescaling svr =
                new StochasticVelocityRescaling(system, 0.5, TemperatureSchedule.constant(KELVIN), 20, 42);
        for (int n = 0; n < 4000; n++) {
            svr.step();
        }
        int dof = Kinetics.degreesOfFreedom(s.size());
        double kT = Units.BOLTZMANN * KELVIN;
        double meanK = 0.5 * dof * kT;
        double varK = 0.5 * dof * kT * kT;
        int blocks = 40;
        int perBlock = 3000;
        double[] mean = new double[blocks];
        double[] variance = new double[blocks];
        double effective0 = system.results().energy + system.kineticEnergy() - svr.heatAdded();
        double worstDrift = 0;
        for (int b = 0; b < blocks; b++) {
            for (int n = 0; n < perBlock; n++) {
                svr.step();
                double k = system.kineticEnergy();
                mean[b] += k / meanK / perBlock;
                variance[b] += (k - meanK) * (k - meanK) / varK / perBlock;
                double effective = system.results().energy + k - svr.heatAdded();
                worstDrift = Math.max(worstDrift, Math.abs(effective - effective0));
            }
        }
        Estimates.assertMeanOfIndependent(1.0, mean, 4.5, "⟨K⟩ / (N_f k_BT/2)");
        Estimates.assertMeanOfIndependent(1.0, variance, 4.5, "Var K / (N_f (k_BT)²/2)");
        // Bussi's effective energy (total energy minus the heat the thermostat put in) is conserved up to the
        // integration error, like the NVE energy.
        assertTrue(worstDrift < 0.01 * meanK, "effective energy wandered by " + worstDrift + " eV");
    }

    /**
     * With τ ≪ dt (c = exp(−dt/τ) = 0) the new kinetic energy forgets the old one and α takes the sign of R₁
     * (Bussi et al., appendix), so the velocities reverse in about half of the steps: free particles, 400 steps,
     * the fraction of reversals must be 1/2 within 5 binomial standard deviations (±0.125).
     */
    @Test
    void instantCouplingReversesVelocitiesHalfTheTime() {
        Structure s = MdFixtures.simpleCubic(3, 3.0);
        MaxwellBoltzmann.assign(s, 300, 43, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s, new BondSprings(new int[0], 1, 0, 0));
        StochasticVelocityRescaling svr =
                new StochasticVelocityRescaling(system, 1.0, TemperatureSchedule.constant(300), 1e-3, 44);
        int steps = 400;
        int reversals = 0;
        for (int n = 0; n < steps; n++) {
            double before = s.velocities()[0];
            svr.step();
            if (before * s.velocities()[0] < 0) {
                reversals++;
            }
        }
        assertEquals(0.5, reversals / (double) steps, 5 * Math.sqrt(0.25 / steps));
    }

    @Test
    void sameSeedGivesTheSameTrajectoryBitForBit() {
        double[] a = run(51);
        double[] b = run(51);
        double[] c = run(52);
        assertArrayEquals(a, b, 0.0);
        assertFalse(Arrays.equals(a, c));
    }

    private static double[] run(long seed) {
        Structure s = MdFixtures.simpleCubic(3, 2.5);
        MaxwellBoltzmann.assign(s, 300, 1, MaxwellBoltzmann.Scaling.EXACT);
        StochasticVelocityRescaling svr = new StochasticVelocityRescaling(new MdSystem(s,
                MdFixtures.anharmonicNetwork(3)), 1.0, TemperatureSchedule.constant(600), 10, seed);
        for (int n = 0; n < 200; n++) {
            svr.step();
        }
        double[] state = Arrays.copyOf(s.positions(), 2 * s.positions().length);
        System.arraycopy(s.velocities(), 0, state, s.positions().length, s.velocities().length);
        return state;
    }

    @Test
    void refusesToRescaleAStructureAtRest() {
        MdSystem system = new MdSystem(MdFixtures.simpleCubic(3, 2.5), MdFixtures.anharmonicNetwork(3));
        StochasticVelocityRescaling svr =
                new StochasticVelocityRescaling(system, 1.0, TemperatureSchedule.constant(300), 10, 1);
        assertThrows(IllegalStateException.class, svr::step);
    }
}
