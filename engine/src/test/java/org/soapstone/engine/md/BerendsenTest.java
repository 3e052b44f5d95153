package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.soapstone.engine.structure.Structure;

class BerendsenTest {

    /**
     * Without forces Berendsen's rescaling gives T′ = T + (dt/τ)(T₀ − T) each step, so T − T₀ decays as
     * (1 − dt/τ)^n ≈ exp(−t/τ). A least-squares fit of ln|T − T₀| against t over 3τ must give τ to 1%
     * (the discrete decay corresponds to −dt/ln(1 − dt/τ) = 99.5 fs for τ = 100 fs).
     */
    @Test
    void freeParticlesRelaxToTheTargetWithTheTimeConstant() {
        double tau = 100;
        double target = 900;
        Structure s = MdFixtures.simpleCubic(10, 3.0);
        MaxwellBoltzmann.assign(s, 300, 61, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s, new BondSprings(new int[0], 1, 0, 0));
        Berendsen berendsen = new Berendsen(system, 1.0, TemperatureSchedule.constant(target), tau);
        int steps = 300;
        double st = 0;
        double sy = 0;
        double stt = 0;
        double sty = 0;
        for (int n = 1; n <= steps; n++) {
            berendsen.step();
            double t = system.time();
            double y = Math.log(Math.abs(system.temperature() - target));
            st += t;
            sy += y;
            stt += t * t;
            sty += t * y;
        }
        double slope = (steps * sty - st * sy) / (steps * stt - st * st);
        assertEquals(tau, -1 / slope, 0.01 * tau);
        assertEquals(target - 600 * Math.pow(1 - 1 / tau, steps), system.temperature(), 1e-6);
    }

    @Test
    void timeConstantShorterThanTheTimestepIsRejected() {
        MdSystem system = new MdSystem(MdFixtures.dimers(2), new BondSprings(new int[0], 1, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Berendsen(system, 2.0, TemperatureSchedule.constant(300), 1.0));
    }
}
