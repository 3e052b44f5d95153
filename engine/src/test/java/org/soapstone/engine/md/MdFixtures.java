package org.soapstone.engine.md;

import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

/** Small test systems for MD tests. */
final class MdFixtures {
    private MdFixtures() {}

    /** Silicon atoms (28.0855 amu) on a periodic simple-cubic lattice of n³ sites with spacing a (Å). */
    static Structure simpleCubic(int n, double a) {
        int atoms = n * n * n;
        double[] r = new double[3 * atoms];
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                for (int z = 0; z < n; z++) {
                    int i = (x * n + y) * n + z;
                    r[3 * i] = x * a;
                    r[3 * i + 1] = y * a;
                    r[3 * i + 2] = z * a;
                }
            }
        }
        int[] numbers = new int[atoms];
        java.util.Arrays.fill(numbers, 14);
        return new Structure(numbers, r, Cell.cubic(n * a));
    }

    /** The 3n³ nearest-neighbour bonds of {@link #simpleCubic} (n ≥ 3), flat pairs. */
    static int[] simpleCubicBonds(int n) {
        int[] bonds = new int[6 * n * n * n];
        int b = 0;
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                for (int z = 0; z < n; z++) {
                    int i = (x * n + y) * n + z;
                    int[] next = {
                        (((x + 1) % n) * n + y) * n + z, (x * n + (y + 1) % n) * n + z, (x * n + y) * n + (z + 1) % n
                    };
                    for (int j : next) {
                        bonds[b++] = i;
                        bonds[b++] = j;
                    }
                }
            }
        }
        return bonds;
    }

    /**
     * An anharmonic spring network for {@link #simpleCubic}(n, 2.5): k = 5 eV/Å², q = 100 eV/Å⁴, r₀ = 2.3 Å, so
     * the bonds are under tension and transverse motion is stiff too.
     */
    static BondSprings anharmonicNetwork(int n) {
        return new BondSprings(simpleCubicBonds(n), 5.0, 2.3, 100.0);
    }

    /**
     * {@code dimers} pairs of atoms, alternately Si (28.0855 amu) and C (12.011 amu), far apart in a large
     * periodic box so that the minimum image is always the partner; bond b joins atoms 2b and 2b+1.
     */
    static Structure dimers(int dimers) {
        int atoms = 2 * dimers;
        double[] r = new double[3 * atoms];
        int[] numbers = new int[atoms];
        int side = (int) Math.ceil(Math.cbrt(dimers));
        double spacing = 20.0;
        for (int b = 0; b < dimers; b++) {
            int x = b % side;
            int y = (b / side) % side;
            int z = b / (side * side);
            for (int k = 0; k < 2; k++) {
                int i = 2 * b + k;
                numbers[i] = k == 0 ? 14 : 6;
                r[3 * i] = x * spacing + 0.3 * k;
                r[3 * i + 1] = y * spacing;
                r[3 * i + 2] = z * spacing;
            }
        }
        return new Structure(numbers, r, Cell.cubic(side * spacing));
    }

    /** The bonds 2b–2b+1 of {@link #dimers}. */
    static int[] dimerBonds(int dimers) {
        int[] bonds = new int[2 * dimers];
        for (int k = 0; k < bonds.length; k++) {
            bonds[k] = k;
        }
        return bonds;
    }
}
