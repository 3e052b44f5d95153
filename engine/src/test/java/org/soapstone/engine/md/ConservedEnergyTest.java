package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.structure.Structure;

/**
 * The conserved quantity E_pot + E_kin − heat added: for each thermostat, on the anharmonic spring network heated
 * from 300 K to 900 K (27 atoms, 0.5 fs, 2000 steps), the heat is large and the conserved quantity stays within the
 * integration error; for NVE it is the total energy; re-referencing removes a jump.
 */
class ConservedEnergyTest {

    private static void assertConserved(Function<MdSystem, Integrator> thermostat, String name) {
        Structure s = MdFixtures.simpleCubic(3, 2.5);
        MaxwellBoltzmann.assign(s, 300, 71, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s, MdFixtures.anharmonicNetwork(3));
        Integrator integrator = thermostat.apply(system);
        ConservedEnergy conserved = new ConservedEnergy(integrator);
        double start = conserved.value();
        double total0 = system.results().energy + system.kineticEnergy();
        double worst = 0;
        for (int n = 0; n < 2000; n++) {
            integrator.step();
            worst = Math.max(worst, Math.abs(conserved.value() - start));
        }
        double heat = integrator.heatAdded();
        double total = system.results().energy + system.kineticEnergy();
        // the bath put in energy of order N_f k_B ΔT / 2 ≈ 2 eV; what it put in is what the total gained
        assertTrue(heat > 0.5, name + ": heat added " + heat + " eV");
        assertEquals(total - total0, heat, 0.01 * heat, name + ": total-energy gain vs heat added");
        assertTrue(worst < 0.005 * heat, name + ": conserved quantity wandered by " + worst + " eV, heat " + heat);
    }

    @Test
    void langevinHeatIsWhatTheTotalEnergyGains() {
        assertConserved(sys -> new Langevin(sys, 0.5, TemperatureSchedule.constant(900), 0.01, 72), "Langevin");
    }

    @Test
    void berendsenHeatIsWhatTheTotalEnergyGains() {
        assertConserved(sys -> new Berendsen(sys, 0.5, TemperatureSchedule.constant(900), 50), "Berendsen");
    }

    @Test
    void bussiHeatIsWhatTheTotalEnergyGains() {
        assertConserved(sys -> new StochasticVelocityRescaling(sys, 0.5, TemperatureSchedule.constant(900), 50, 73),
                "Bussi");
    }

    @Test
    void nveConservedEnergyIsTheTotalEnergyAndRereferencingRemovesAJump() {
        Structure s = MdFixtures.simpleCubic(3, 2.5);
        MaxwellBoltzmann.assign(s, 300, 74, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s, MdFixtures.anharmonicNetwork(3));
        VelocityVerlet vv = new VelocityVerlet(system, 0.5);
        ConservedEnergy conserved = new ConservedEnergy(vv);
        vv.step();
        double total = system.results().energy + system.kineticEnergy();
        assertEquals(0, vv.heatAdded());
        assertEquals(total, conserved.value(), 0);
        conserved.rereference(0.25);
        conserved.rereference(-0.05);
        assertEquals(total - 0.2, conserved.value(), 1e-12);
        assertEquals(total, conserved.unshifted(), 0);
        assertEquals(0.2, conserved.shift(), 1e-15);
    }
}
