package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.structure.Structure;

class MolecularDynamicsTest {

    /** Records the steps it saw; asks to stop at {@code stopAt}. */
    private static final class Recorder implements MdObserver {
        final List<Long> seen = new ArrayList<>();
        final int interval;
        final long stopAt;

        Recorder(int interval, long stopAt) {
            this.interval = interval;
            this.stopAt = stopAt;
        }

        @Override
        public int interval() {
            return interval;
        }

        @Override
        public Action observe(MdSystem system) {
            seen.add(system.step());
            return system.step() == stopAt ? Action.STOP : Action.CONTINUE;
        }
    }

    private static MdSystem system() {
        Structure s = MdFixtures.simpleCubic(3, 2.5);
        MaxwellBoltzmann.assign(s, 300, 81, MaxwellBoltzmann.Scaling.EXACT);
        return new MdSystem(s, MdFixtures.anharmonicNetwork(3));
    }

    @Test
    void observersAreCalledAtMultiplesOfTheirInterval() {
        MdSystem system = system();
        Recorder every3 = new Recorder(3, -1);
        Recorder every1 = new Recorder(1, -1);
        MolecularDynamics md = new MolecularDynamics(new VelocityVerlet(system, 1.0), List.of(every3, every1));
        assertEquals(new MolecularDynamics.Outcome(10, false), md.run(10));
        assertEquals(List.of(0L, 3L, 6L, 9L), every3.seen);
        assertEquals(11, every1.seen.size());
        md.run(5);
        assertEquals(List.of(0L, 3L, 6L, 9L, 12L, 15L), every3.seen);
        assertEquals(15, system.step());
        assertEquals(16, system.calculatorCalls());
    }

    @Test
    void everyCallsItsFunctionAtMultiplesOfItsIntervalAndNeverStops() {
        MdSystem system = system();
        List<Long> seen = new ArrayList<>();
        List<Double> temperatures = new ArrayList<>();
        MdObserver every4 = MdObserver.every(4, sys -> {
            seen.add(sys.step());
            temperatures.add(sys.temperature());
        });
        assertEquals(4, every4.interval());
        MolecularDynamics md = new MolecularDynamics(new VelocityVerlet(system, 1.0), List.of(every4));
        assertEquals(new MolecularDynamics.Outcome(10, false), md.run(10));
        assertEquals(List.of(0L, 4L, 8L), seen);
        assertEquals(300, temperatures.getFirst(), 1e-9, "the state at step 0 (K)");
        assertThrows(IllegalArgumentException.class, () -> MdObserver.every(0, sys -> { }));
    }

    @Test
    void anObserverCanStopTheRunCleanly() {
        MdSystem system = system();
        Recorder stopper = new Recorder(1, 7);
        Recorder other = new Recorder(1, -1);
        MolecularDynamics md = new MolecularDynamics(new VelocityVerlet(system, 1.0), List.of(stopper, other));
        assertEquals(new MolecularDynamics.Outcome(7, true), md.run(100));
        assertEquals(7, system.step());
        assertEquals(8, system.calculatorCalls());
        assertEquals(7L, other.seen.getLast(), "observers after the stopper still see the last step");
    }

    @Test
    void aStopAtTheStartTakesNoStep() {
        MdSystem system = system();
        MolecularDynamics md = new MolecularDynamics(new VelocityVerlet(system, 1.0), List.of(new Recorder(1, 0)));
        assertEquals(new MolecularDynamics.Outcome(0, true), md.run(100));
        assertEquals(1, system.calculatorCalls());
    }

    @Test
    void rampIsLinearThenHeld() {
        TemperatureSchedule ramp = TemperatureSchedule.ramp(1000, 1600, 600);
        assertEquals(1000, ramp.at(0), 0);
        assertEquals(1001, ramp.at(1), 1e-12);
        assertEquals(1300, ramp.at(300), 1e-12);
        assertEquals(1600, ramp.at(600), 0);
        assertEquals(1600, ramp.at(10_000), 0);
        assertEquals(450, TemperatureSchedule.constant(450).at(123), 0);
        assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.ramp(-1, 100, 10));
        assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.ramp(1, 100, 0));
    }

    @Test
    void mdSystemRejectsRequestsWithoutForces() {
        Structure s = MdFixtures.dimers(2);
        assertThrows(IllegalArgumentException.class, () -> new MdSystem(s, new BondSprings(new int[0], 1, 0, 0),
                java.util.EnumSet.of(org.soapstone.engine.calculator.Property.ENERGY)));
        assertThrows(IllegalArgumentException.class,
                () -> new VelocityVerlet(new MdSystem(s, new BondSprings(new int[0], 1, 0, 0)), 0));
    }
}
