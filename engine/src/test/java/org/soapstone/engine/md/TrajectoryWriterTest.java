package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.AseScript;

class TrajectoryWriterTest {

    /** The state at one observed step, copied from memory independently of the writer. */
    private record Snapshot(long step, double time, double[] positions, double[] velocities, double[] forces,
            double[] energies, double energy, double[] stress) {}

    private static List<Snapshot> runWithTrajectory(Path file, int steps, int interval) {
        Structure s = MdFixtures.simpleCubic(3, 2.5);
        MaxwellBoltzmann.assign(s, 600, 91, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s, MdFixtures.anharmonicNetwork(3));
        List<Snapshot> memory = new ArrayList<>();
        MdObserver recorder = new MdObserver() {
            @Override
            public int interval() {
                return interval;
            }

            @Override
            public Action observe(MdSystem sys) {
                var r = sys.results();
                memory.add(new Snapshot(sys.step(), sys.time(), s.positions().clone(), s.velocities().clone(),
                        r.forces.clone(), r.energies.clone(), r.energy, r.stress.clone()));
                return Action.CONTINUE;
            }
        };
        Langevin langevin = new Langevin(system, 0.5, TemperatureSchedule.constant(600), 0.01, 92);
        new MolecularDynamics(langevin, List.of(new TrajectoryWriter(file, interval), recorder)).run(steps);
        return memory;
    }

    @Test
    void framesReadBackWithTheVelocitiesForcesAndEnergiesInMemory(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("md.extxyz");
        Files.writeString(file, "stale content from an earlier run\n");
        List<Snapshot> memory = runWithTrajectory(file, 20, 5);
        List<Structure> frames = ExtXyz.read(file);
        assertEquals(5, frames.size());
        assertEquals(5, memory.size());
        for (int k = 0; k < 5; k++) {
            Structure f = frames.get(k);
            Snapshot m = memory.get(k);
            assertEquals(5L * k, m.step());
            assertEquals(m.step(), f.info().get("step"));
            assertEquals(m.time(), f.infoReal("time"), 0.0);
            assertArrayEquals(m.positions(), f.positions(), 0.0);
            assertArrayEquals(m.velocities(), f.velocities(), 0.0);
            assertArrayEquals(m.forces(), f.properties().get("forces").reals(), 0.0);
            assertEquals(3, f.properties().get("forces").columns());
            assertArrayEquals(m.energies(), f.properties().get("energies").reals(), 0.0);
            assertEquals(m.energy(), f.infoReal("energy"), 0.0);
            double[] sigma = m.stress();
            double[] matrix = {
                sigma[0], sigma[5], sigma[4], sigma[5], sigma[1], sigma[3], sigma[4], sigma[3], sigma[2]
            };
            assertArrayEquals(matrix, (double[]) f.info().get("stress"), 0.0);
        }
    }

    /** ASE reads the trajectory: forces, potential energy and Voigt stress come back through its calculator. */
    @Test
    void aseReadsTheTrajectoryWithTheSameConventions(@TempDir Path dir) {
        Path file = dir.resolve("md.extxyz");
        List<Snapshot> memory = runWithTrajectory(file, 6, 3);
        String out = AseScript.run("""
                import numpy as np
                from ase.io import read
                for a in read(%s, ':'):
                    values = [a.get_potential_energy(), *a.get_stress(), *a.get_forces().ravel(),
                              *a.arrays['velo'].ravel(), *a.get_potential_energies()]
                    print(' '.join(repr(float(x)) for x in values))
                """.formatted("'" + file + "'"));
        String[] lines = out.trim().split("\n");
        assertEquals(3, lines.length);
        for (int k = 0; k < 3; k++) {
            String[] f = lines[k].trim().split("\\s+");
            Snapshot m = memory.get(k);
            int atoms = m.energies().length;
            assertEquals(1 + 6 + 3 * atoms + 3 * atoms + atoms, f.length);
            assertEquals(m.energy(), Double.parseDouble(f[0]), 0.0);
            for (int c = 0; c < 6; c++) {
                assertEquals(m.stress()[c], Double.parseDouble(f[1 + c]), 0.0, "stress " + c);
            }
            for (int j = 0; j < 3 * atoms; j++) {
                assertEquals(m.forces()[j], Double.parseDouble(f[7 + j]), 0.0, "force " + j);
                assertEquals(m.velocities()[j], Double.parseDouble(f[7 + 3 * atoms + j]), 0.0, "velocity " + j);
            }
            for (int i = 0; i < atoms; i++) {
                assertEquals(m.energies()[i], Double.parseDouble(f[7 + 6 * atoms + i]), 0.0, "energy " + i);
            }
        }
    }
}
