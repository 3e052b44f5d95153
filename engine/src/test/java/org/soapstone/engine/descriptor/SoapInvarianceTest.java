package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

/** Symmetries the SOAP power spectrum must have, smoothness at the cutoff, and species errors. */
class SoapInvarianceTest {
    private static final double TOL = 1e-10;
    private static final Descriptor SOAP = DescriptorString.parse(
            "soap cutoff=4.0 n_max=6 l_max=6 atom_sigma=0.5 n_species=2 species_Z={14 6} Z=0").create();

    private static void assertSameValues(double[] a, double[] b, String what) {
        assertEquals(a.length, b.length, what + ": instance count");
        for (int k = 0; k < a.length; k++) {
            assertEquals(a[k], b[k], TOL, what + ": component " + k);
        }
    }

    private static Structure transformed(Structure s, double[] rot, double[] shift) {
        double[] r = s.positions();
        double[] t = new double[r.length];
        for (int a = 0; a < s.size(); a++) {
            for (int k = 0; k < 3; k++) {
                t[3 * a + k] = rot[3 * k] * r[3 * a] + rot[3 * k + 1] * r[3 * a + 1] + rot[3 * k + 2] * r[3 * a + 2]
                        + shift[k];
            }
        }
        Cell cell = s.cell();
        if (cell.anyPeriodic()) {
            double[] h = cell.matrix();
            double[] g = new double[9];
            for (int v = 0; v < 3; v++) {
                for (int k = 0; k < 3; k++) {
                    g[3 * v + k] = rot[3 * k] * h[3 * v] + rot[3 * k + 1] * h[3 * v + 1] + rot[3 * k + 2] * h[3 * v + 2];
                }
            }
            cell = new Cell(g, cell.pbc());
        }
        return new Structure(s.numbers().clone(), t, cell);
    }

    @Test
    void rotationAndTranslationOfRandomClustersAndTriclinicCells() {
        Random rng = new Random(42);
        Structure[] systems = {
            DescriptorTesting.cluster(12, new int[] {14, 6}, 5.0, 1.6, 1),
            DescriptorTesting.cluster(9, new int[] {14, 6}, 4.0, 1.5, 2),
            FiniteDifferences.rattled(SoapGradientTest.sic(), 0.2, 9)
        };
        for (Structure s : systems) {
            double[] ref = DescriptorTesting.values(SOAP, s);
            for (int trial = 0; trial < 3; trial++) {
                double[] rot = DescriptorTesting.randomRotation(rng);
                double[] shift = {rng.nextGaussian() * 3, rng.nextGaussian() * 3, rng.nextGaussian() * 3};
                assertSameValues(ref, DescriptorTesting.values(SOAP, transformed(s, rot, shift)),
                        "rotated and translated " + (s.cell().anyPeriodic() ? "cell" : "cluster"));
            }
        }
    }

    @Test
    void permutationOfAtomsPermutesTheInstances() {
        Structure s = FiniteDifferences.rattled(SoapGradientTest.sic(), 0.2, 10);
        int n = s.size();
        int[] perm = {5, 2, 7, 0, 3, 1, 6, 4};
        int[] z = new int[n];
        double[] r = new double[3 * n];
        for (int a = 0; a < n; a++) {
            z[a] = s.numbers()[perm[a]];
            System.arraycopy(s.positions(), 3 * perm[a], r, 3 * a, 3);
        }
        Structure p = new Structure(z, r, s.cell());
        double[] ref = DescriptorTesting.values(SOAP, s);
        double[] got = DescriptorTesting.values(SOAP, p);
        int d = SOAP.dimension();
        for (int a = 0; a < n; a++) {
            for (int c = 0; c < d; c++) {
                assertEquals(ref[perm[a] * d + c], got[a * d + c], TOL, "atom " + a + " component " + c);
            }
        }
    }

    @Test
    void periodicImagesWrappingAndSupercells() {
        Structure s = FiniteDifferences.rattled(SoapGradientTest.sic(), 0.2, 11);
        double[] ref = DescriptorTesting.values(SOAP, s);
        // shift atoms by whole lattice vectors: same crystal
        Structure shifted = s.copy();
        double[] h = s.cell().matrix();
        int[][] moves = {{1, 0, -1}, {0, 2, 0}, {-1, -1, 1}};
        for (int a = 0; a < s.size(); a++) {
            int[] m = moves[a % 3];
            for (int k = 0; k < 3; k++) {
                shifted.positions()[3 * a + k] += m[0] * h[k] + m[1] * h[3 + k] + m[2] * h[6 + k];
            }
        }
        assertSameValues(ref, DescriptorTesting.values(SOAP, shifted), "atoms moved by lattice vectors");
        // a 2×1×1 supercell: every copy of an atom has its descriptor
        int n = s.size();
        int[] z = new int[2 * n];
        double[] r = new double[6 * n];
        for (int c = 0; c < 2; c++) {
            for (int a = 0; a < n; a++) {
                z[c * n + a] = s.numbers()[a];
                for (int k = 0; k < 3; k++) {
                    r[3 * (c * n + a) + k] = s.positions()[3 * a + k] + c * h[k];
                }
            }
        }
        double[] g = h.clone();
        for (int k = 0; k < 3; k++) {
            g[k] *= 2;
        }
        double[] sup = DescriptorTesting.values(SOAP, new Structure(z, r, new Cell(g, s.cell().pbc())));
        int d = SOAP.dimension();
        for (int c = 0; c < 2; c++) {
            for (int q = 0; q < n * d; q++) {
                assertEquals(ref[q], sup[c * n * d + q], TOL, "supercell copy " + c + " value " + q);
            }
        }
    }

    @Test
    void energyLikeScalarIsContinuousAsAnAtomCrossesTheCutoff() {
        Descriptor soap = DescriptorString.parse("soap cutoff=4.0 n_max=6 l_max=6 atom_sigma=0.5").create();
        DescriptorTesting.LinearModel model = new DescriptorTesting.LinearModel(soap, 3);
        Structure base = DescriptorTesting.cluster(6, new int[] {14}, 3.0, 2.0, 6);
        double[] e = new double[5];
        double[] step = {-1e-3, -1e-5, 0, 1e-5, 1e-3};
        for (int k = 0; k < step.length; k++) {
            e[k] = model.calculate(withAtomAt(base, 4.0 + step[k])).energy;
        }
        double far = model.calculate(withAtomAt(base, 6.0)).energy;
        double near = model.calculate(withAtomAt(base, 3.7)).energy;
        assertTrue(Math.abs(near - far) > 1e-3, "test set-up: the atom must matter when inside");
        // beyond the cutoff the atom has no effect at all; approaching it from inside, the change vanishes as δ²
        assertEquals(far, e[2], 1e-14, "atom exactly at the cutoff");
        assertEquals(far, e[3], 1e-14, "atom just outside");
        assertEquals(far, e[4], 1e-14, "atom outside");
        assertEquals(far, e[1], 1e-8, "atom 1e-5 Å inside");
        assertEquals(far, e[0], 1e-4, "atom 1e-3 Å inside");
        assertTrue(Math.abs(e[0] - far) > 100 * Math.abs(e[1] - far), "change must vanish faster than linearly");
    }

    /** @return the cluster plus one Si atom at distance {@code d} from atom 0, away from the rest */
    private static Structure withAtomAt(Structure base, double d) {
        int n = base.size();
        double[] r = java.util.Arrays.copyOf(base.positions(), 3 * n + 3);
        int[] z = java.util.Arrays.copyOf(base.numbers(), n + 1);
        double[] centroid = new double[3];
        for (int a = 0; a < n; a++) {
            for (int k = 0; k < 3; k++) {
                centroid[k] += r[3 * a + k] / n;
            }
        }
        double[] u = new double[3];
        double norm = 0;
        for (int k = 0; k < 3; k++) {
            u[k] = r[k] - centroid[k] + (k == 0 ? 1e-3 : 0);
            norm += u[k] * u[k];
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k < 3; k++) {
            r[3 * n + k] = r[k] + d * u[k] / norm;
        }
        z[n] = 14;
        return new Structure(z, r, Cell.none());
    }

    @Test
    void neighbourSpeciesMissingFromSpeciesZIsAnError() {
        Structure s = SoapGradientTest.sic();
        Descriptor siOnly = DescriptorString.parse("soap cutoff=4.0 n_max=4 l_max=4 atom_sigma=0.5 n_species=1 "
                + "species_Z={14} Z=14").create();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> siOnly.compute(s, NeighbourList.build(s, 4.0, true), false, siOnly.newOutput()));
        assertTrue(e.getMessage().contains("Z=6") && e.getMessage().contains("species_Z={14}"), e.getMessage());
    }

    @Test
    void shortOrHalfNeighbourListsAreRejected() {
        Structure s = SoapGradientTest.sic();
        assertThrows(IllegalArgumentException.class,
                () -> SOAP.compute(s, NeighbourList.build(s, 3.0, true), false, SOAP.newOutput()));
        assertThrows(IllegalArgumentException.class,
                () -> SOAP.compute(s, NeighbourList.build(s, 4.0, false), false, SOAP.newOutput()));
    }
}
