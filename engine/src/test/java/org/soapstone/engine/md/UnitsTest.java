package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.AseScript;
import org.soapstone.engine.testing.FiniteDifferences;

/** Constants, kinetic energy and pressure against ASE's CODATA 2018 units and its ideal-gas stress. */
class UnitsTest {

    @Test
    void constantsAgreeWithAseCodata2018() {
        // In ASE units an acceleration (eV/Å)/amu is Å per (ASE time unit)², and 1 fs = units.fs ASE time units,
        // so our force-to-acceleration factor is units.fs².
        String[] ase = AseScript.run("""
                from ase.units import create_units
                u = create_units('2018')
                print(repr(u.kB), repr(u.fs ** 2), repr(1 / u.GPa))
                """).trim().split("\\s+");
        assertEquals(Double.parseDouble(ase[0]), Units.BOLTZMANN, 1e-14 * Units.BOLTZMANN);
        assertEquals(Double.parseDouble(ase[1]), Units.ACCELERATION, 1e-14 * Units.ACCELERATION);
        assertEquals(Double.parseDouble(ase[2]), Units.EV_PER_A3_TO_GPA, 1e-14 * Units.EV_PER_A3_TO_GPA);
        assertEquals(8.617333262e-5, Units.BOLTZMANN, 1e-14);
        assertEquals(9.6485332157e-3, Units.ACCELERATION, 1e-13);
        assertEquals(160.2176634, Units.EV_PER_A3_TO_GPA, 1e-10);
    }

    @Test
    void kineticEnergyTemperatureAndPressureAgreeWithAse() {
        Structure s = FiniteDifferences.rattled(MdFixtures.simpleCubic(3, 2.5), 0.1, 3);
        for (int i = 0; i < s.size(); i += 2) {
            s.masses()[i] = 12.011;
        }
        MaxwellBoltzmann.assign(s, 900, 4, MaxwellBoltzmann.Scaling.SAMPLED);
        MdSystem system = new MdSystem(s, MdFixtures.anharmonicNetwork(3));
        String[] ase = AseScript.run("""
                import numpy as np
                from ase import Atoms
                from ase.calculators.singlepoint import SinglePointCalculator
                from ase.units import create_units, kB
                u = create_units('2018')
                atoms = Atoms(numbers=%s, positions=np.reshape(%s, (-1, 3)), cell=np.reshape(%s, (3, 3)), pbc=True)
                atoms.set_masses(%s)
                atoms.set_velocities(np.reshape(%s, (-1, 3)) / u.fs)
                atoms.calc = SinglePointCalculator(atoms, energy=0.0, stress=np.array(%s))
                p = -atoms.get_stress(include_ideal_gas=True)[:3].mean()
                print(repr(atoms.get_kinetic_energy()), repr(atoms.get_temperature() * kB / u.kB), repr(p / u.GPa))
                """.formatted(Arrays.toString(s.numbers()), AseScript.list(s.positions()),
                AseScript.list(s.cell().matrix()), AseScript.list(s.masses()),
                AseScript.list(s.velocities()), AseScript.list(system.results().stress))).trim().split("\\s+");
        double kinetic = Double.parseDouble(ase[0]);
        assertEquals(kinetic, system.kineticEnergy(), 1e-12 * kinetic);
        // ASE divides by 3N degrees of freedom, we by 3N − 3 (as LAMMPS); get_temperature uses ASE's default
        // (CODATA 2014) k_B, converted above to 2018.
        int n = s.size();
        double temperature = Double.parseDouble(ase[1]) * 3 * n / (3 * n - 3);
        assertEquals(temperature, system.temperature(), 1e-12 * temperature);
        double pressure = Double.parseDouble(ase[2]);
        assertEquals(pressure, system.pressure() * Units.EV_PER_A3_TO_GPA, 1e-10 * Math.abs(pressure));
    }
}
