package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.structure.Structure;

class ThermoLogTest {

    @Test
    void writesTheDocumentedColumnsEveryIntervalSteps(@TempDir Path dir) throws IOException {
        Structure s = MdFixtures.simpleCubic(3, 2.5);
        MaxwellBoltzmann.assign(s, 600, 71, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s, MdFixtures.anharmonicNetwork(3));
        List<double[]> expected = new ArrayList<>();
        MdObserver recorder = new MdObserver() {
            @Override
            public int interval() {
                return 5;
            }

            @Override
            public Action observe(MdSystem sys) {
                expected.add(new double[] {sys.step(), sys.time(), sys.results().energy, sys.kineticEnergy(),
                    sys.pressure()});
                return Action.CONTINUE;
            }
        };
        Path file = dir.resolve("thermo.log");
        try (ThermoLog log = new ThermoLog(file, 5)) {
            new MolecularDynamics(new VelocityVerlet(system, 0.5), List.of(log, recorder)).run(23);
            // Flushed line by line: readable while the run goes on.
            assertEquals(6, Files.readAllLines(file).size());
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals("# step time_fs potential_eV kinetic_eV total_eV temperature_K pressure_GPa", lines.get(0));
        assertEquals(6, lines.size(), "header and steps 0, 5, 10, 15, 20");
        int dof = 3 * s.size() - 3;
        for (int k = 0; k < 5; k++) {
            String[] f = lines.get(k + 1).trim().split("\\s+");
            assertEquals(7, f.length, lines.get(k + 1));
            double[] e = expected.get(k);
            assertEquals(5 * k, Long.parseLong(f[0]));
            assertEquals(e[1], Double.parseDouble(f[1]), 1e-9);
            assertEquals(2.5 * k, Double.parseDouble(f[1]), 1e-9);
            assertEquals(e[2], Double.parseDouble(f[2]), 1e-10 * Math.abs(e[2]));
            assertEquals(e[3], Double.parseDouble(f[3]), 1e-10 * e[3]);
            assertEquals(e[2] + e[3], Double.parseDouble(f[4]), 1e-10 * Math.abs(e[2] + e[3]));
            double temperature = 2 * e[3] / (dof * Units.BOLTZMANN);
            assertEquals(temperature, Double.parseDouble(f[5]), 1e-7 * temperature);
            assertEquals(e[4] * 160.2176634, Double.parseDouble(f[6]), 1e-7 * Math.abs(e[4] * 160.2176634));
        }
    }

    @Test
    void pressureIsNaNWithoutStress(@TempDir Path dir) throws IOException {
        Structure s = MdFixtures.dimers(2);
        MaxwellBoltzmann.assign(s, 300, 72, MaxwellBoltzmann.Scaling.EXACT);
        MdSystem system = new MdSystem(s, new HarmonicWells(1.0, s.positions().clone()));
        Path file = dir.resolve("thermo.log");
        try (ThermoLog log = new ThermoLog(file, 1)) {
            new MolecularDynamics(new VelocityVerlet(system, 1.0), List.of(log)).run(1);
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        assertEquals("NaN", lines.get(2).trim().split("\\s+")[6]);
    }

    @Test
    void continuedLogAppendsWithOffsetStepsAndTimesAndOneHeader(@TempDir Path dir) throws IOException {
        Structure s = MdFixtures.dimers(2);
        MaxwellBoltzmann.assign(s, 300, 73, MaxwellBoltzmann.Scaling.EXACT);
        Path file = dir.resolve("thermo.log");
        List<ThermoLog.Column> extra = List.of(new ThermoLog.Column("x_eV", sys -> 1.0 / 3));
        for (int part = 0; part < 2; part++) {
            MdSystem system = new MdSystem(s, new HarmonicWells(1.0, s.positions().clone()));
            try (ThermoLog log = new ThermoLog(file, 2, extra, 4L * part, 2.0 * part, part > 0)) {
                new MolecularDynamics(new VelocityVerlet(system, 0.5), List.of(log)).run(4);
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(7, lines.size(), "one header, steps 0 2 4 of each part");
        assertEquals(ThermoLog.HEADER + " x_eV", lines.get(0));
        double[] steps = {0, 2, 4, 4, 6, 8};
        for (int k = 0; k < 6; k++) {
            String[] f = lines.get(k + 1).trim().split("\\s+");
            assertEquals((long) steps[k], Long.parseLong(f[0]));
            assertEquals(0.5 * steps[k], Double.parseDouble(f[1]), 1e-12);
            assertEquals(1.0 / 3, Double.parseDouble(f[7]), 1e-12, "extra columns to 12 digits");
        }
    }
}
