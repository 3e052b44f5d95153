package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.structure.Structure;

class LangevinTest {
    private static final double KELVIN = 500;
    private static final double SPRING = 2.0;

    /**
     * Zero-rest-length springs joining Si–C dimers: each dimer's relative coordinate x = r_Si − r_C is an exact
     * harmonic oscillator in each Cartesian direction with reduced mass μ and ω² = k/μ, untouched by the
     * centre-of-mass removal (which shifts both velocities alike), and its centre of mass is a free particle. So
     * the 3D relative coordinates are independent BAOAB oscillators, for which Leimkuhler and Matthews show
     * ⟨x²⟩ = k_BT/k exactly and ⟨μ u²⟩ = k_BT (1 − ω²dt²/4) at the end of a step (u the relative velocity); each
     * dimer's centre-of-mass velocity V is exactly canonical, ⟨M V²⟩ = k_BT (1 − M/M_total). The test takes the
     * time average of each quantity per dimer and direction, and compares their mean with the expectation
     * within 4.5 standard errors estimated from their spread (the dimers are independent).
     */
    @Test
    void harmonicDimersSampleTheCanonicalDistribution() {
        int dimers = 200;
        double dt = 1.0;
        Structure s = MdFixtures.dimers(dimers);
        MaxwellBoltzmann.assign(s, KELVIN, 21, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s, new BondSprings(MdFixtures.dimerBonds(dimers), SPRING, 0, 0));
        Langevin langevin = new Langevin(system, dt, TemperatureSchedule.constant(KELVIN), 0.02, 22);
        for (int n = 0; n < 1000; n++) {
            langevin.step();
        }
        double m1 = s.masses()[0];
        double m2 = s.masses()[1];
        double mu = m1 * m2 / (m1 + m2);
        double[] x2 = new double[3 * dimers];
        double[] u2 = new double[3 * dimers];
        double[] com2 = new double[3 * dimers];
        int samples = 10_000;
        double[] r = s.positions();
        double[] v = s.velocities();
        for (int n = 0; n < samples; n++) {
            langevin.step();
            for (int j = 0; j < 3 * dimers; j++) {
                int a = 6 * (j / 3) + j % 3;
                double x = r[a] - r[a + 3];
                double u = v[a] - v[a + 3];
                double com = (m1 * v[a] + m2 * v[a + 3]) / (m1 + m2);
                x2[j] += x * x / samples;
                u2[j] += u * u / samples;
                com2[j] += com * com / samples;
            }
        }
        double kT = Units.BOLTZMANN * KELVIN;
        double omegaDt = Math.sqrt(SPRING * Units.ACCELERATION / mu) * dt;
        double totalMass = dimers * (m1 + m2);
        for (int j = 0; j < 3 * dimers; j++) {
            x2[j] *= SPRING / kT;
            u2[j] *= mu / (Units.ACCELERATION * kT);
            com2[j] *= (m1 + m2) / (Units.ACCELERATION * kT);
        }
        Estimates.assertMeanOfIndependent(1.0, x2, 4.5, "⟨k x²⟩/k_BT");
        Estimates.assertMeanOfIndependent(1 - omegaDt * omegaDt / 4, u2, 4.5, "⟨μ u²⟩/k_BT");
        Estimates.assertMeanOfIndependent(1 - (m1 + m2) / totalMass, com2, 4.5, "⟨M V²⟩/k_BT");
        assertEquals(1 + 10_000 + 1000, system.calculatorCalls());
    }

    /**
     * Free particles: with no force BAOAB's velocity update is the exact Ornstein–Uhlenbeck step, so the mean of
     * velocities that all started at ±v₀ (zero total momentum) decays exactly as v₀ exp(−γt), with a spread
     * √(k_BT/m (1 − exp(−2γt))/N) around it.
     */
    @Test
    void velocitiesForgetTheirStartAtTheFrictionRate() {
        int atoms = 1000;
        double friction = 0.02;
        double v0 = 0.05;
        Structure s = MdFixtures.simpleCubic(10, 3.0);
        double[] v = new double[3 * atoms];
        for (int i = 0; i < atoms; i++) {
            v[3 * i] = i % 2 == 0 ? v0 : -v0;
        }
        s.setVelocities(v);
        MdSystem system = new MdSystem(s, new BondSprings(new int[0], 1, 0, 0));
        Langevin langevin = new Langevin(system, 1.0, TemperatureSchedule.constant(300), friction, 23);
        int steps = 50;
        for (int n = 0; n < steps; n++) {
            langevin.step();
        }
        double mean = 0;
        for (int i = 0; i < atoms; i++) {
            mean += (i % 2 == 0 ? 1 : -1) * s.velocities()[3 * i] / atoms;
        }
        double decay = Math.exp(-friction * steps);
        double thermal = Math.sqrt(Units.BOLTZMANN * 300 * Units.ACCELERATION / s.masses()[0]);
        double standardError = thermal * Math.sqrt((1 - decay * decay) / atoms);
        assertEquals(v0 * decay, mean, 5 * standardError);
    }

    @Test
    void targetFollowsALinearRamp() {
        Structure s = MdFixtures.simpleCubic(10, 3.0);
        MaxwellBoltzmann.assign(s, 300, 24, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s, new BondSprings(new int[0], 1, 0, 0));
        TemperatureSchedule ramp = TemperatureSchedule.ramp(300, 900, 2000);
        Langevin langevin = new Langevin(system, 1.0, ramp, 0.1, 25);
        double measured = 0;
        double target = 0;
        for (int n = 1; n <= 2000; n++) {
            langevin.step();
            if (n > 1800) {
                measured += system.temperature() / 200;
                target += ramp.at(n) / 200;
            }
        }
        // Instantaneous T has relative spread √(2/2997) ≈ 2.6%; 200 steps over a velocity memory of 1/γ = 10 fs
        // are ≈ 20 independent samples, so the standard error is ≈ 0.6%; allow 5 of them (the lag behind the
        // ramp, ≈ 0.3 K/fs × 10 fs, is below 0.5%).
        assertEquals(target, measured, 0.03 * target);
    }

    @Test
    void sameSeedGivesTheSameTrajectoryBitForBit() {
        double[][] a = run(31);
        double[][] b = run(31);
        double[][] c = run(32);
        assertArrayEquals(a[0], b[0], 0.0);
        assertArrayEquals(a[1], b[1], 0.0);
        assertFalse(Arrays.equals(a[0], c[0]));
    }

    private static double[][] run(long seed) {
        Structure s = MdFixtures.simpleCubic(3, 2.5);
        MaxwellBoltzmann.assign(s, 300, 1, MaxwellBoltzmann.Scaling.EXACT);
        Langevin l = new Langevin(new MdSystem(s, MdFixtures.anharmonicNetwork(3)), 1.0,
                TemperatureSchedule.constant(600), 0.01, seed);
        for (int n = 0; n < 200; n++) {
            l.step();
        }
        return new double[][] {s.positions(), s.velocities()};
    }

    @Test
    void rejectsNonPositiveFriction() {
        MdSystem system = new MdSystem(MdFixtures.dimers(2), new BondSprings(new int[0], 1, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Langevin(system, 1.0, TemperatureSchedule.constant(300), 0, 1));
    }
}
