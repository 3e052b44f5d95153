package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.structure.Structure;

class MaxwellBoltzmannTest {

    private static double[] momentum(Structure s) {
        double[] p = new double[3];
        for (int i = 0; i < s.size(); i++) {
            for (int d = 0; d < 3; d++) {
                p[d] += s.masses()[i] * s.velocities()[3 * i + d];
            }
        }
        return p;
    }

    @Test
    void totalMomentumIsZeroAndExactScalingHitsTheTemperature() {
        Structure s = MdFixtures.dimers(500);
        MaxwellBoltzmann.assign(s, 1234.5, 1, MaxwellBoltzmann.Scaling.EXACT);
        assertArrayEquals(new double[3], momentum(s), 1e-12);
        assertEquals(1234.5, Kinetics.temperature(Kinetics.kineticEnergy(s), s.size()), 1e-9);
        assertEquals(0.5 * (3 * 1000 - 3) * Units.BOLTZMANN * 1234.5, Kinetics.kineticEnergy(s), 1e-12);
    }

    @Test
    void sampledVelocitiesHaveTheMaxwellBoltzmannMoments() {
        int dimers = 10_000;
        double t = 800;
        Structure s = MdFixtures.dimers(dimers);
        MaxwellBoltzmann.assign(s, t, 2, MaxwellBoltzmann.Scaling.SAMPLED);
        assertArrayEquals(new double[3], momentum(s), 1e-12);
        // y = m v_α² / (k_B T) per component: mean 1 (less m/M from the momentum removal, < 1e-4 here), mean y² 3.
        double[][] sums = new double[2][2];
        for (int i = 0; i < s.size(); i++) {
            for (int d = 0; d < 3; d++) {
                double v = s.velocities()[3 * i + d];
                double y = s.masses()[i] * v * v / (Units.ACCELERATION * Units.BOLTZMANN * t);
                sums[i % 2][0] += y;
                sums[i % 2][1] += y * y;
            }
        }
        int perSpecies = 3 * dimers;
        for (int species = 0; species < 2; species++) {
            double mean = sums[species][0] / perSpecies;
            double fourth = sums[species][1] / perSpecies;
            // Var(y) = 2 and Var(y²) = 105 − 9 = 96 for y = ξ²; bounds at 5 standard errors.
            assertEquals(1.0, mean, 5 * Math.sqrt(2.0 / perSpecies), "⟨m v²⟩/k_BT of species " + species);
            assertEquals(3.0, fourth, 5 * Math.sqrt(96.0 / perSpecies), "⟨(m v²/k_BT)²⟩ of species " + species);
        }
        double temperature = Kinetics.temperature(Kinetics.kineticEnergy(s), s.size());
        assertEquals(t, temperature, 5 * t * Math.sqrt(2.0 / Kinetics.degreesOfFreedom(s.size())));
    }

    @Test
    void seedFixesTheVelocitiesBitForBit() {
        Structure a = MdFixtures.dimers(50);
        Structure b = MdFixtures.dimers(50);
        Structure c = MdFixtures.dimers(50);
        MaxwellBoltzmann.assign(a, 300, 42, MaxwellBoltzmann.Scaling.SAMPLED);
        MaxwellBoltzmann.assign(b, 300, 42, MaxwellBoltzmann.Scaling.SAMPLED);
        MaxwellBoltzmann.assign(c, 300, 43, MaxwellBoltzmann.Scaling.SAMPLED);
        assertArrayEquals(a.velocities(), b.velocities());
        assertFalse(Arrays.equals(a.velocities(), c.velocities()));
    }

    @Test
    void zeroTemperatureGivesRestAndBadInputIsRejected() {
        Structure s = MdFixtures.dimers(3);
        MaxwellBoltzmann.assign(s, 0, 5, MaxwellBoltzmann.Scaling.EXACT);
        assertArrayEquals(new double[18], s.velocities(), 0.0);
        assertThrows(IllegalArgumentException.class,
                () -> MaxwellBoltzmann.assign(s, -1, 5, MaxwellBoltzmann.Scaling.EXACT));
        Structure single = new Structure(new int[] {14}, new double[3], s.cell());
        assertThrows(IllegalArgumentException.class,
                () -> MaxwellBoltzmann.assign(single, 300, 5, MaxwellBoltzmann.Scaling.EXACT));
    }
}
