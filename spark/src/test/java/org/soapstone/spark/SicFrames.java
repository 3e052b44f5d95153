package org.soapstone.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.PotentialSpec;

/**
 * Training frames made by the tests: 64-atom 3C-SiC cells, strained (±2 %) and rattled (0.02–0.12 Å), labelled
 * with Tersoff's SiC potential (LAMMPS's {@code SiC.tersoff}, our implementation checked against LAMMPS) — energy,
 * forces and the virial W = −σV, so a fit has energies, forces and virials of two species.
 */
final class SicFrames {
    private SicFrames() {
    }

    /** @return {@code count} labelled frames, the same for the same seed */
    static List<Structure> make(int count, long seed) throws IOException {
        Path root = Path.of(System.getProperty("soapstone.root"));
        Calculator tersoff = PotentialSpec.parse("tersoff:" + root.resolve("test-data/SiC.tersoff"));
        Random random = new Random(seed);
        List<Structure> frames = new ArrayList<>();
        for (int f = 0; f < count; f++) {
            Structure s = Crystal.diamond(14, 4.36, 2);
            int[] z = s.numbers();
            double[] r = s.positions();
            double[] h = s.cell().matrix();
            double[] strained = new double[9];
            for (int k = 0; k < 9; k++) {
                strained[k] = h[k] * (k % 4 == 0 ? 1 + 0.02 * (2 * random.nextDouble() - 1) : 1)
                        + (k % 4 == 0 ? 0 : 0.05 * random.nextGaussian());
            }
            double rattle = 0.02 + 0.1 * random.nextDouble();
            double[] pos = new double[r.length];
            for (int a = 0; a < z.length; a++) {
                for (int d = 0; d < 3; d++) {
                    pos[3 * a + d] = r[3 * a + d] * strained[4 * d] / h[4 * d] + rattle * random.nextGaussian();
                }
            }
            int[] numbers = z.clone();
            for (int a = 0; a < numbers.length; a++) {
                numbers[a] = a % 8 >= 4 ? 6 : 14; // zincblende: the second fcc sublattice is carbon
            }
            Structure labelled = new Structure(numbers, pos, new Cell(strained, new boolean[] {true, true, true}));
            CalculationResults res = new CalculationResults();
            tersoff.calculate(labelled, EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS), res);
            labelled.info().put("energy", res.energy);
            labelled.info().put("virial", res.virial(labelled.volume()));
            labelled.properties().put("forces", new AtomProperty(AtomProperty.Type.REAL, 3, res.forces.clone()));
            frames.add(labelled);
        }
        return frames;
    }

    /** Writes frames to an extended-XYZ file. */
    static Path write(Path file, List<Structure> frames) throws IOException {
        ExtXyz.write(file, frames);
        return file;
    }
}
