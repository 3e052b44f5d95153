package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

/** Analytic SOAP and distance_2b gradients, forces and stress against central finite differences. */
class SoapGradientTest {
    private static final double H = 1e-5;
    private static final double REL = 1e-6;

    private static Descriptor soap(String extra) {
        return DescriptorString.parse("soap cutoff=3.5 n_max=5 l_max=4 atom_sigma=0.5 cutoff_transition_width=0.8 "
                + extra).create();
    }

    /** A Si cluster with one atom exactly at the cutoff from atom 0 and one inside the transition region. */
    private static Structure clusterWithCutoffAtoms() {
        Structure c = DescriptorTesting.cluster(7, new int[] {14}, 4.0, 2.0, 11);
        int n = c.size() + 2;
        double[] r = java.util.Arrays.copyOf(c.positions(), 3 * n);
        int[] z = java.util.Arrays.copyOf(c.numbers(), n);
        double[] r0 = {r[0], r[1], r[2]};
        // exactly at the cutoff along -x, and at r_c - 0.3 (in the transition region) along -z
        r[3 * (n - 2)] = r0[0] - 3.5;
        r[3 * (n - 2) + 1] = r0[1];
        r[3 * (n - 2) + 2] = r0[2];
        r[3 * (n - 1)] = r0[0];
        r[3 * (n - 1) + 1] = r0[1];
        r[3 * (n - 1) + 2] = r0[2] - 3.2;
        z[n - 2] = 14;
        z[n - 1] = 14;
        return new Structure(z, r, Cell.none());
    }

    @Test
    void singleSpeciesClusterWithAtomsAtAndNearTheCutoff() {
        Structure s = clusterWithCutoffAtoms();
        assertEquals(3.5, s.distance(0, s.size() - 2), 1e-12, "test set-up: atom exactly at the cutoff");
        // f_c is C¹ with f_c ≈ c (r_c − r)² just inside: a central difference straddling r_c is off by O(c h), so
        // a smaller step here
        DescriptorTesting.assertGradientsMatch(soap(""), s, 1e-7, REL);
    }

    @Test
    void periodicCellWhereNeighboursAreImagesOfTheCentre() {
        // 2-atom triclinic cell, far smaller than the cutoff: each atom sees many images of itself
        double[] h = {0, 2.1, 2.0, 2.0, 0.1, 2.2, 2.1, 1.9, 0.2};
        Structure s = new Structure(new int[] {14, 14}, new double[] {0.1, 0.05, 0, 1.1, 1.0, 1.05},
                new Cell(h, new boolean[] {true, true, true}));
        NeighbourList nl = NeighbourList.build(s, 3.5, true);
        boolean selfImage = false;
        for (int p = nl.first[0]; p < nl.first[1]; p++) {
            selfImage |= nl.neighbour[p] == 0;
        }
        assertTrue(selfImage, "test set-up: atom 0 must see an image of itself");
        DescriptorTesting.assertGradientsMatch(soap(""), s, H, REL);
    }

    @Test
    void multiSpeciesPeriodicCell() {
        Structure s = FiniteDifferences.rattled(sic(), 0.15, 3);
        DescriptorTesting.assertGradientsMatch(soap("n_species=2 species_Z={14 6} Z=14"), s, H, REL);
        DescriptorTesting.assertGradientsMatch(
                soap("n_species=2 species_Z={6 14} n_Z=2 Z={14 6} central_reference_all_species=T central_weight=0.7"),
                s, H, REL);
    }

    @Test
    void unnormalisedWithRadialDecay() {
        Structure s = DescriptorTesting.cluster(8, new int[] {14}, 4.0, 2.0, 5);
        DescriptorTesting.assertGradientsMatch(
                soap("normalise=F cutoff_dexp=2 cutoff_scale=2.0 cutoff_rate=1.5 covariance_sigma0=0.3"), s, H, REL);
    }

    @Test
    void distance2bSingleAndMultiSpecies() {
        Structure s = FiniteDifferences.rattled(sic(), 0.15, 4);
        DescriptorTesting.assertGradientsMatch(
                DescriptorString.parse("distance_2b cutoff=3.0 cutoff_transition_width=0.5").create(), s, H, REL);
        DescriptorTesting.assertGradientsMatch(
                DescriptorString.parse("distance_2b cutoff=3.0 Z1=14 Z2=6 n_exponents=3 exponents={1 -2 -3}")
                        .create(), s, H, REL);
    }

    @Test
    void forcesAndStressOfALinearModelMatchFiniteDifferences() {
        Structure s = FiniteDifferences.rattled(sic(), 0.1, 8);
        for (String text : new String[] {
            "soap cutoff=3.5 n_max=4 l_max=3 atom_sigma=0.5 n_species=2 species_Z={14 6} Z=0",
            "distance_2b cutoff=3.2 cutoff_transition_width=1.0"
        }) {
            DescriptorTesting.LinearModel model = new DescriptorTesting.LinearModel(
                    DescriptorString.parse(text).create(), 1);
            FiniteDifferences.assertForcesMatch(model, s, 1e-5, 1e-7);
            FiniteDifferences.assertStressMatches(model, s, 1e-5, 1e-7);
        }
    }

    /** A strained, sheared 8-atom zinc-blende SiC cell with one antisite. */
    static Structure sic() {
        double a = 4.36;
        double[] h = {a, 0.1, -0.05, 0.2, a * 1.02, 0.1, -0.1, 0.15, a * 0.98};
        double[][] f = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
            {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
        int[] z = {14, 14, 14, 6, 6, 6, 6, 6};
        double[] r = new double[24];
        for (int i = 0; i < 8; i++) {
            for (int k = 0; k < 3; k++) {
                r[3 * i + k] = f[i][0] * h[k] + f[i][1] * h[3 + k] + f[i][2] * h[6 + k];
            }
        }
        return new Structure(z, r, new Cell(h, new boolean[] {true, true, true}));
    }
}
