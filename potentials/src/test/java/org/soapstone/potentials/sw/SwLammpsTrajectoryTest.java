package org.soapstone.potentials.sw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.md.MaxwellBoltzmann;
import org.soapstone.engine.md.MdObserver;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.MolecularDynamics;
import org.soapstone.engine.md.VelocityVerlet;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.Lammps;

/**
 * Soapstone's velocity Verlet with Stillinger–Weber follows LAMMPS's own NVE trajectory ({@code /usr/bin/lmp},
 * {@code fix nve}, {@code timestep 0.001} ps) step for step for 100 steps of 1 fs: the same 64 atoms, velocities
 * and masses (the structure's 28.085 amu goes into the data file, not LAMMPS's usual 28.0855). What is left
 * comes from LAMMPS's force-to-acceleration constant (1/1.0364269e-4), 6e-8 relative off CODATA 2018's: measured
 * 6.3e-8 Å in positions after 100 steps and ≤ 1.2e-6 eV (64 atoms) in the potential energy; the bars are 1e-6 Å
 * and 5e-8 eV/atom.
 */
class SwLammpsTrajectoryTest {
    private static final Path SW = Path.of(System.getProperty("soapstone.root"), "test-data", "Si.sw");

    @Test
    void nveTrajectoryMatchesLammpsForHundredSteps() {
        Structure s = FiniteDifferences.rattled(Crystal.diamond(14, 5.431, 2), 0.05, 11);
        MaxwellBoltzmann.assign(s, 1500, 99, MaxwellBoltzmann.Scaling.EXACT);
        List<Lammps.Frame> ref = Lammps.run(s, List.of(Element.of("Si")),
                List.of("pair_style sw", "pair_coeff * * " + SW + " Si"),
                List.of("fix 1 all nve", "timestep 0.001"), 100, 1);
        assertEquals(101, ref.size());

        List<double[]> positions = new ArrayList<>();
        List<Double> energies = new ArrayList<>();
        MdObserver record = system -> {
            positions.add(system.structure().positions().clone());
            energies.add(system.results().energy);
            return MdObserver.Action.CONTINUE;
        };
        MdSystem system = new MdSystem(s.copy(), new StillingerWeber(SW));
        new MolecularDynamics(new VelocityVerlet(system, 1.0), List.of(record)).run(100);
        assertEquals(101, positions.size());

        double worst = 0;
        for (int step = 0; step <= 100; step++) {
            Lammps.Frame f = ref.get(step);
            assertEquals(step, f.step());
            double lammpsEnergy = 0;
            for (double e : f.energies()) {
                lammpsEnergy += e;
            }
            assertEquals(lammpsEnergy, energies.get(step), 5e-8 * s.size(), "potential energy (eV) at step " + step);
            double[] d = new double[3];
            for (int i = 0; i < s.size(); i++) {
                for (int k = 0; k < 3; k++) {
                    d[k] = positions.get(step)[3 * i + k] - f.positions()[3 * i + k];
                }
                s.cell().minimumImage(d); // LAMMPS wraps its positions into the box
                worst = Math.max(worst, Math.max(Math.abs(d[0]), Math.max(Math.abs(d[1]), Math.abs(d[2]))));
            }
            assertTrue(worst < 1e-6, "position difference " + worst + " Å at step " + step);
        }
        double moved = 0;
        for (int k = 0; k < 3 * s.size(); k++) {
            moved = Math.max(moved, Math.abs(positions.get(100)[k] - positions.get(0)[k]));
        }
        assertTrue(moved > 0.05, "the atoms moved (" + moved + " Å)");
    }
}
