package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.structure.Structure;

/**
 * A run whose forces turn non-finite, or whose conserved energy runs away, stops with an {@link UnstableRunException}
 * naming the step (and the atoms); a sound run, thermostatted or not, is never stopped.
 */
class UnstableRunTest {

    /** The network's forces, with a NaN force component on atom {@code atom} (0-based) from call {@code from} on. */
    private static final class BreaksAt implements Calculator {
        private final Calculator inner = MdFixtures.anharmonicNetwork(3);
        private final int from;
        private final int atom;
        private int calls;

        BreaksAt(int from, int atom) {
            this.from = from;
            this.atom = atom;
        }

        @Override
        public Set<Property> implementedProperties() {
            return inner.implementedProperties();
        }

        @Override
        public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
            inner.calculate(structure, requested, results);
            if (++calls >= from) {
                results.forces[3 * atom + 1] = Double.NaN;
            }
        }
    }

    private static Structure start(double temperature) {
        Structure s = MdFixtures.simpleCubic(3, 2.5);
        MaxwellBoltzmann.assign(s, temperature, 81, MaxwellBoltzmann.Scaling.EXACT);
        return s;
    }

    @Test
    void aNonFiniteForceStopsTheRunNamingTheStepAndTheAtom() {
        // calls: 1 at construction (step 0), then one per step: the 4th call is step 3's
        MdSystem system = new MdSystem(start(300), new BreaksAt(4, 4));
        MolecularDynamics md = new MolecularDynamics(new VelocityVerlet(system, 1.0), List.of());
        UnstableRunException e = assertThrows(UnstableRunException.class, () -> md.run(10));
        assertEquals(3, e.step());
        assertEquals("step 3: the force on atom 5 is not finite", e.getMessage());
        assertTrue(e.getMessage().startsWith("step 3: ") && e.getMessage().contains("atom 5"), e.getMessage());
        assertEquals(3, e.offsetBy(100).step() - 100);
        assertTrue(e.offsetBy(100).getMessage().startsWith("step 103: "), e.offsetBy(100).getMessage());
    }

    @Test
    void aNonFiniteStartIsStep0() {
        UnstableRunException e = assertThrows(UnstableRunException.class,
                () -> new MdSystem(start(300), new BreaksAt(1, 0)));
        assertEquals(0, e.step());
        assertTrue(e.getMessage().contains("atom 1"), e.getMessage());
    }

    /**
     * The network's stiffest mode has ω ≈ 0.15 rad/fs (bond stiffness k + 3q(r − r₀)² = 17 eV/Å² on 28 amu, optical
     * branch 2√(k/m)): velocity Verlet is unstable for ω·dt > 2, so 20 fs diverges within a few steps and the guard
     * names the first step past 1 eV/atom; 1 fs conserves the energy far better than the bound for 5000 steps, and
     * so does a Langevin run heated from 300 to 20 000 K, whose total energy grows by several eV/atom (the heat it
     * counts).
     */
    @Test
    void theGuardStopsADivergingRunAndNeverASoundOne() {
        MdSystem diverging = new MdSystem(start(300), MdFixtures.anharmonicNetwork(3));
        VelocityVerlet longSteps = new VelocityVerlet(diverging, 20.0);
        ConservedEnergy energy = new ConservedEnergy(longSteps);
        double e0 = energy.value();
        long[] lastSound = {-1};
        MdObserver watch = sys -> {
            if (Math.abs(energy.value() - e0) / sys.structure().size() <= DivergenceGuard.LIMIT_PER_ATOM) {
                lastSound[0] = sys.step();
            }
            return MdObserver.Action.CONTINUE;
        };
        UnstableRunException e = assertThrows(UnstableRunException.class,
                () -> new MolecularDynamics(longSteps, List.of(watch, new DivergenceGuard(longSteps))).run(1000));
        assertEquals(lastSound[0] + 1, e.step(), "the first step past the bound");
        assertTrue(e.step() < 100, "caught at step " + e.step());
        assertTrue(e.getMessage().contains("diverged"), e.getMessage());

        MdSystem sound = new MdSystem(start(300), MdFixtures.anharmonicNetwork(3));
        VelocityVerlet nve = new VelocityVerlet(sound, 1.0);
        assertEquals(5000, new MolecularDynamics(nve, List.of(new DivergenceGuard(nve))).run(5000).steps());

        MdSystem heated = new MdSystem(start(300), MdFixtures.anharmonicNetwork(3));
        Langevin nvt = new Langevin(heated, 1.0, TemperatureSchedule.ramp(300, 20_000, 2000), 0.05, 7);
        double total0 = heated.results().energy + heated.kineticEnergy();
        assertEquals(3000, new MolecularDynamics(nvt, List.of(new DivergenceGuard(nvt))).run(3000).steps());
        double gained = (heated.results().energy + heated.kineticEnergy() - total0) / heated.structure().size();
        assertTrue(gained > 2 * DivergenceGuard.LIMIT_PER_ATOM, "the thermostat added " + gained + " eV/atom");
    }
}
