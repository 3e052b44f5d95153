package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.structure.Structure;

class VelocityVerletTest {
    private static final double STIFFNESS = 1.0;

    /** Two atoms (Si, C) in isotropic wells at the origin, displaced and moving in all three directions. */
    private static Structure oscillators() {
        Structure s = MdFixtures.dimers(1);
        System.arraycopy(new double[] {0.1, -0.05, 0.02, -0.03, 0.08, 0.0}, 0, s.positions(), 0, 6);
        s.setVelocities(new double[] {0.0, 1e-3, -2e-3, 3e-3, 0.0, 1e-3});
        return s;
    }

    private static double omega(double mass) {
        return Math.sqrt(STIFFNESS * Units.ACCELERATION / mass);
    }

    /** @return the largest |x(t) − x_exact(t)| (Å) over a run of {@code steps} steps of {@code dt} fs */
    private static double maxErrorAgainstExact(double dt, int steps) {
        Structure s = oscillators();
        double[] x0 = s.positions().clone();
        double[] v0 = s.velocities().clone();
        VelocityVerlet vv = new VelocityVerlet(new MdSystem(s, new HarmonicWells(STIFFNESS, new double[6])), dt);
        double worst = 0;
        for (int n = 1; n <= steps; n++) {
            vv.step();
            double t = n * dt;
            for (int k = 0; k < 6; k++) {
                double w = omega(s.masses()[k / 3]);
                double exact = x0[k] * Math.cos(w * t) + v0[k] / w * Math.sin(w * t);
                worst = Math.max(worst, Math.abs(s.positions()[k] - exact));
            }
        }
        return worst;
    }

    @Test
    void harmonicOscillatorFollowsTheExactDiscreteSolution() {
        // Velocity Verlet on x'' = −ω²x gives x_n = x0 cos nθ + (dt v0 / sin θ) sin nθ with cos θ = 1 − ω²dt²/2.
        double dt = 2.0;
        Structure s = oscillators();
        double[] x0 = s.positions().clone();
        double[] v0 = s.velocities().clone();
        VelocityVerlet vv = new VelocityVerlet(new MdSystem(s, new HarmonicWells(STIFFNESS, new double[6])), dt);
        for (int n = 1; n <= 500; n++) {
            vv.step();
            for (int k = 0; k < 6; k++) {
                double w = omega(s.masses()[k / 3]);
                double theta = Math.acos(1 - 0.5 * w * w * dt * dt);
                double expected = x0[k] * Math.cos(n * theta) + dt * v0[k] / Math.sin(theta) * Math.sin(n * theta);
                assertEquals(expected, s.positions()[k], 1e-12, "step " + n + " component " + k);
            }
        }
        assertEquals(1000.0, vv.system().time(), 1e-9);
        assertEquals(500, vv.system().step());
    }

    @Test
    void globalErrorIsSecondOrderInTheTimestep() {
        double coarse = maxErrorAgainstExact(1.0, 400);
        double fine = maxErrorAgainstExact(0.5, 800);
        double finer = maxErrorAgainstExact(0.25, 1600);
        assertTrue(coarse > 1e-7, "error too small to measure: " + coarse);
        assertEquals(4.0, coarse / fine, 0.1, "error ratio dt/(dt/2)");
        assertEquals(4.0, fine / finer, 0.1, "error ratio dt/2/(dt/4)");
    }

    /**
     * Runs the 64-atom anharmonic network at 600 K in NVE for {@code steps} steps of {@code dt} fs.
     *
     * @return {largest |E(t) − E(0)|, mean E over the last tenth − mean E over the first tenth} (eV)
     */
    private static double[] energyErrors(double dt, int steps) {
        Structure s = MdFixtures.simpleCubic(4, 2.5);
        MaxwellBoltzmann.assign(s, 600, 11, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s, MdFixtures.anharmonicNetwork(4));
        VelocityVerlet vv = new VelocityVerlet(system, dt);
        double e0 = system.results().energy + system.kineticEnergy();
        double worst = 0;
        double first = 0;
        double last = 0;
        int tenth = steps / 10;
        for (int n = 0; n < steps; n++) {
            vv.step();
            double e = system.results().energy + system.kineticEnergy();
            worst = Math.max(worst, Math.abs(e - e0));
            if (n < tenth) {
                first += e / tenth;
            } else if (n >= steps - tenth) {
                last += e / tenth;
            }
        }
        return new double[] {worst, last - first};
    }

    @Test
    void anharmonicNetworkConservesEnergyWithSecondOrderErrorAndNoDrift() {
        double kinetic = 0.5 * 189 * Units.BOLTZMANN * 600;
        double[] coarse = energyErrors(1.0, 10_000);
        double[] fine = energyErrors(0.5, 20_000);
        // Verlet's energy error is a bounded O(dt²) oscillation (it conserves a shadow Hamiltonian), not a drift.
        assertTrue(coarse[0] < 5e-3 * kinetic, "energy error " + coarse[0] + " eV over 10 ps at dt = 1 fs");
        assertEquals(4.0, coarse[0] / fine[0], 0.5, "energy error ratio dt/(dt/2): " + coarse[0] + " / " + fine[0]);
        assertTrue(Math.abs(coarse[1]) < 0.1 * coarse[0], "energy drift " + coarse[1] + " eV over 10 ps");
    }

    @Test
    void runningBackwardsRecoversTheStart() {
        Structure s = MdFixtures.simpleCubic(4, 2.5);
        MaxwellBoltzmann.assign(s, 600, 12, MaxwellBoltzmann.Scaling.EXACT);
        double[] r0 = s.positions().clone();
        double[] v0 = s.velocities().clone();
        VelocityVerlet vv = new VelocityVerlet(new MdSystem(s, MdFixtures.anharmonicNetwork(4)), 1.0);
        for (int n = 0; n < 300; n++) {
            vv.step();
        }
        double moved = 0;
        for (int k = 0; k < r0.length; k++) {
            moved = Math.max(moved, Math.abs(s.positions()[k] - r0[k]));
        }
        assertTrue(moved > 0.05, "atoms hardly moved: " + moved);
        Kinetics.scaleVelocities(s, -1);
        for (int n = 0; n < 300; n++) {
            vv.step();
        }
        for (int k = 0; k < r0.length; k++) {
            assertEquals(r0[k], s.positions()[k], 1e-9, "position " + k);
            assertEquals(-v0[k], s.velocities()[k], 1e-11, "velocity " + k);
        }
    }

    @Test
    void eachStepCallsTheCalculatorOnceAndTheLoopAllocatesNothing() {
        TemperatureSchedule target = TemperatureSchedule.ramp(300, 600, 10_000);
        List<Function<MdSystem, Integrator>> integrators = List.of(
                system -> new VelocityVerlet(system, 1.0),
                system -> new Langevin(system, 1.0, target, 0.01, 1),
                system -> new StochasticVelocityRescaling(system, 1.0, target, 10, 2),
                system -> new Berendsen(system, 1.0, target, 10));
        for (Function<MdSystem, Integrator> integrator : integrators) {
            Structure s = MdFixtures.dimers(8);
            MaxwellBoltzmann.assign(s, 300, 13, MaxwellBoltzmann.Scaling.SAMPLED);
            MdSystem system = new MdSystem(s, new HarmonicWells(1.0, s.positions().clone()));
            assertEquals(1, system.calculatorCalls());
            MdObserver quiet = new MdObserver() {
                @Override
                public int interval() {
                    return 7;
                }

                @Override
                public Action observe(MdSystem ignored) {
                    return Action.CONTINUE;
                }
            };
            MolecularDynamics md = new MolecularDynamics(integrator.apply(system), List.of(quiet));
            md.run(20_000);
            String name = md.integrator().getClass().getSimpleName();
            assertEquals(20_001, system.calculatorCalls(), name);
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long thread = Thread.currentThread().threadId();
            long before = threads.getThreadAllocatedBytes(thread);
            md.run(20_000);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertEquals(40_001, system.calculatorCalls(), name);
            assertTrue(allocated < 1024, name + ": 20000 MD steps allocated " + allocated + " bytes");
        }
    }
}
