package org.soapstone.engine.md;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.structure.Structure;

/**
 * Test oracle: springs on a fixed list of bonds, E = Σ_bonds ½ k (r − r₀)² + ¼ q (r − r₀)⁴ with r the
 * minimum-image bond length (Å), k eV/Å², q eV/Å⁴. With r₀ = 0 and q = 0 it is exactly harmonic in Cartesian
 * coordinates (E = ½ k |r_j − r_i|²). Translation invariant, so it conserves momentum. Stress is
 * (1/V) Σ E′(r) r_α r_β / r; each bond's energy is split equally between its atoms.
 */
final class BondSprings implements Calculator {
    private final int[] bonds;
    private final double stiffness;
    private final double restLength;
    private final double quartic;
    private final double[] d = new double[3];

    /** @param bonds atom pairs, flat: bond b joins bonds[2b] and bonds[2b+1] */
    BondSprings(int[] bonds, double stiffness, double restLength, double quartic) {
        this.bonds = bonds.clone();
        this.stiffness = stiffness;
        this.restLength = restLength;
        this.quartic = quartic;
    }

    @Override
    public Set<Property> implementedProperties() {
        return EnumSet.allOf(Property.class);
    }

    @Override
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        results.reset(structure.size());
        double[] stress = results.stress;
        for (int b = 0; b < bonds.length; b += 2) {
            int i = bonds[b];
            int j = bonds[b + 1];
            structure.minimumImageDisplacement(i, j, d);
            double r = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            double u = r - restLength;
            double e = 0.5 * stiffness * u * u + 0.25 * quartic * u * u * u * u;
            // dE/dr / r, written so that r = 0 is harmless when r0 = 0 and q = 0
            double dEdrOverR = restLength == 0 && quartic == 0 ? stiffness
                    : (stiffness * u + quartic * u * u * u) / r;
            results.energy += e;
            results.energies[i] += 0.5 * e;
            results.energies[j] += 0.5 * e;
            for (int a = 0; a < 3; a++) {
                double f = dEdrOverR * d[a];
                results.forces[3 * i + a] += f;
                results.forces[3 * j + a] -= f;
            }
            stress[0] += dEdrOverR * d[0] * d[0];
            stress[1] += dEdrOverR * d[1] * d[1];
            stress[2] += dEdrOverR * d[2] * d[2];
            stress[3] += dEdrOverR * d[1] * d[2];
            stress[4] += dEdrOverR * d[0] * d[2];
            stress[5] += dEdrOverR * d[0] * d[1];
        }
        if (structure.cell().hasVolume()) {
            double v = structure.volume();
            for (int c = 0; c < 6; c++) {
                stress[c] /= v;
            }
        } else {
            Arrays.fill(stress, 0);
        }
        results.markComputed(requested);
    }
}
