package org.soapstone.potentials.sw;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.md.EnergyDrift;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.MolecularDynamics;
import org.soapstone.engine.md.VelocityVerlet;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/** The foundation issue's NVE bar: SW on 512-atom Si at 1000 K and 1 fs drifts less than 1e-5 eV/atom/ps. */
class SwNveDriftTest {
    @Test
    void nveDriftOf512AtomSiliconAt1000KIsBelowTheBar() {
        Structure s = Crystal.diamond(14, 5.431, 4);
        MaxwellBoltzmann.assign(s, 1000, 2024, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s,
                new StillingerWeber(Path.of(System.getProperty("soapstone.root"), "test-data", "Si.sw")));
        EnergyDrift drift = new EnergyDrift(10);
        new MolecularDynamics(new VelocityVerlet(system, 1.0), List.of(drift)).run(3000);
        double perAtomPerPs = Math.abs(drift.slope()) * 1000 / s.size();
        assertTrue(perAtomPerPs < 1e-5, "drift " + perAtomPerPs + " eV/atom/ps");
        assertTrue(drift.maxDeviation() / s.size() < 5e-4, "fluctuation " + drift.maxDeviation() / s.size());
    }
}
