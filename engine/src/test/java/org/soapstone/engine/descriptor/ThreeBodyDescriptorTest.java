package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

/**
 * angle_3b and distance_Nb (order 3) by hand on a 3-4-5 trimer, against central differences (vectors, cutoff
 * weights, forces and stress of a linear model on them), and invariant under rotation, translation and relabelling
 * of the atoms.
 */
class ThreeBodyDescriptorTest {
    private static final String ANGLE = "angle_3b cutoff=3.0 cutoff_transition_width=1.0";
    private static final String CLUSTER = "distance_Nb order=3 cutoff=3.0 cutoff_transition_width=1.0";

    /** A (origin), B (1.5 Å along x), C (2 Å along y): sides AB 1.5, AC 2.0, BC 2.5 Å. */
    private static Structure trimer(int za, int zb, int zc) {
        return new Structure(new int[] {za, zb, zc}, new double[] {0, 0, 0, 1.5, 0, 0, 0, 2.0, 0}, Cell.none());
    }

    /** f_c(2.5 Å) with r_c = 3, w = 1: ½(cos(π(2.5 − 2)/1) + 1) = ½. */
    private static final double HALF = 0.5;

    @Test
    void angle3bOfTheTrimerByHand() {
        DescriptorOutput out = DescriptorString.parse(ANGLE).create().compute(trimer(14, 14, 14), false);
        // centre A: (r_AB + r_AC, (r_AB − r_AC)², r_BC) twice; B: (1.5 + 2.5, 1², 2.0); C: (2.0 + 2.5, 0.5², 1.5)
        double[][] expected = {{3.5, 0.25, 2.5}, {4.0, 1.0, 2.0}, {4.5, 0.25, 1.5}};
        double[] weight = {1, HALF, HALF};
        assertEquals(6, out.count(), "each triplet from both orders of its neighbours");
        for (int i = 0; i < 6; i++) {
            int c = out.centre(i);
            assertEquals(i / 2, c, "instances centre by centre");
            assertArrayEquals(expected[c], Arrays.copyOfRange(out.values(), 3 * i, 3 * i + 3), 1e-14);
            assertEquals(weight[c], out.cutoffWeight(i), 1e-15);
            assertEquals(1, out.energyShares(), "the centre takes the energy");
        }
    }

    @Test
    void distanceNbOfTheTrimerByHand() {
        Descriptor d = DescriptorString.parse(CLUSTER + " Z={0 0 0}").create();
        DescriptorOutput out = d.compute(trimer(14, 14, 14), false);
        // each cluster once, from its centre: (r_c1, r_c2, r_12) with the neighbours by index
        double[][] expected = {{1.5, 2.0, 2.5}, {1.5, 2.5, 2.0}, {2.0, 2.5, 1.5}};
        double[] weight = {1, HALF, HALF};
        assertEquals(3, out.count());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, out.centre(i));
            assertArrayEquals(expected[i], Arrays.copyOfRange(out.values(), 3 * i, 3 * i + 3), 1e-14);
            assertEquals(weight[i], out.cutoffWeight(i), 1e-15);
            assertEquals(3, out.energyShares(), "the cluster's three atoms share its energy");
            int[] owners = {out.energyAtom(i, 0), out.energyAtom(i, 1), out.energyAtom(i, 2)};
            Arrays.sort(owners);
            assertArrayEquals(new int[] {0, 1, 2}, owners);
        }
    }

    @Test
    void distanceNbOrdersNeighboursBySpeciesAndHonoursZ() {
        // A = He, B = H, C = H: every cluster is {H, H, He}; B's neighbours ordered H (C) before He (A)
        Structure s = trimer(2, 1, 1);
        DescriptorOutput out = DescriptorString.parse(CLUSTER + " Z={1 1 2}").create().compute(s, false);
        assertEquals(3, out.count());
        assertArrayEquals(new double[] {2.5, 1.5, 2.0}, Arrays.copyOfRange(out.values(), 3, 6), 1e-14,
                "centre B: (r_BC, r_BA, r_CA)");
        assertEquals(0, DescriptorString.parse(CLUSTER + " Z={1 2 2}").create().compute(s, false).count(),
                "one He only: no {H, He, He} cluster");
        assertEquals(1, DescriptorString.parse(ANGLE + " Z=2 Z1=1 Z2=1").create().compute(s, false).count() / 2,
                "angle_3b centred on He with two H neighbours: one triplet, listed twice");
    }

    @Test
    void permutationsOfDistanceNbAreQuipsGroups() {
        DistanceNbParameters all = (DistanceNbParameters) DescriptorString.parse(CLUSTER + " Z={14 14 14}").descriptor();
        int[][] six = all.permutations();
        // QUIP writes them (1-based) 123, 213, 132, 312, 231, 321
        assertArrayEquals(new int[][] {{0, 1, 2}, {1, 0, 2}, {0, 2, 1}, {2, 0, 1}, {1, 2, 0}, {2, 1, 0}}, six);
        DistanceNbParameters mixed = (DistanceNbParameters) DescriptorString.parse(CLUSTER + " Z={14 6 14}").descriptor();
        assertArrayEquals(new int[] {6, 14, 14}, mixed.species(), "Z sorted as QUIP sorts it");
        // QUIP's convention: the groups of the sorted Z act on cluster positions (here 2 and 3 swapped: 123, 213)
        assertArrayEquals(new int[][] {{0, 1, 2}, {1, 0, 2}}, mixed.permutations(), "as gap_fit writes them");
    }

    @Test
    void badParametersAreNamed() {
        assertThrows(DescriptorStringException.class, () -> DescriptorString.parse("distance_Nb cutoff=3.0"),
                "order is mandatory");
        DescriptorStringException e = assertThrows(DescriptorStringException.class,
                () -> DescriptorString.parse("distance_Nb order=3 cutoff=3.0 Z={14 14}"));
        assertTrue(e.getMessage().contains("Z has 2 values but order=3"), e.getMessage());
        e = assertThrows(DescriptorStringException.class,
                () -> DescriptorString.parse("distance_Nb order=3 cutoff=3.0 compact_clusters=F"));
        assertTrue(e.getMessage().contains("compact_clusters=F"), e.getMessage());
        e = assertThrows(DescriptorStringException.class, () -> DescriptorString.parse("angle_3b Z1=14"));
        assertTrue(e.getMessage().contains("cutoff"), e.getMessage());
        e = assertThrows(DescriptorStringException.class, () -> DescriptorString.parse("angle_3b cutoff=3 Z=200"));
        assertTrue(e.getMessage().contains("Z=200"), e.getMessage());
    }

    /** Every element within {@code rel} times the largest |expected|. */
    private static void assertClose(double[] expected, double[] actual, double rel, String what) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertArrayEquals(expected, actual, rel * scale, what + " (scale " + scale + ")");
    }

    /** A random cluster of H and He (atoms ≥ 1 Å apart) and a small periodic Si/C cell. */
    private static List<Structure> structures() {
        Structure cluster = DescriptorTesting.cluster(9, new int[] {1, 2}, 4.0, 1.0, 5);
        double[] cell = {3.6, 0.2, 0.1, 0.1, 3.5, -0.2, 0.0, 0.3, 3.7};
        Random rng = new Random(9);
        double[] r = new double[3 * 6];
        for (int k = 0; k < r.length; k++) {
            r[k] = 3.5 * rng.nextDouble();
        }
        Structure periodic = new Structure(new int[] {14, 6, 14, 6, 14, 14}, r, new Cell(cell, new boolean[] {true,
            true, true}));
        return List.of(cluster, periodic);
    }

    @ParameterizedTest
    @ValueSource(strings = {ANGLE, CLUSTER + " Z={0 0 0}", "angle_3b cutoff=2.6 cutoff_transition_width=0.8 Z=6 Z1=14",
        "distance_Nb order=3 cutoff=2.6 cutoff_transition_width=0.8 Z={6 14 14}"})
    void gradientsMatchFiniteDifferences(String text) {
        Descriptor d = DescriptorString.parse(text).create();
        for (Structure s : structures()) {
            if (d.compute(s, false).count() == 0) {
                continue;
            }
            DescriptorTesting.assertGradientsMatch(d, s, 1e-5, 1e-7);
            DescriptorTesting.LinearModel model = new DescriptorTesting.LinearModel(d, 3);
            CalculationResults r = model.calculate(s);
            assertClose(FiniteDifferences.numericForces(model, s, 1e-5), r.forces, 1e-8,
                    text + ": forces of a linear model, cutoff weights included");
            if (s.cell().hasVolume()) {
                assertClose(FiniteDifferences.numericStress(model, s, 1e-6), r.stress, 1e-8,
                        text + ": stress of a linear model");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ANGLE, CLUSTER + " Z={0 0 0}", CLUSTER + " Z={1 1 2}"})
    void invariantUnderRotationTranslationAndRelabelling(String text) {
        Descriptor d = DescriptorString.parse(text).create();
        Structure s = structures().get(0);
        List<double[]> reference = sortedInstances(d, s);
        double[] rot = DescriptorTesting.randomRotation(new Random(4));
        double[] r = s.positions();
        double[] moved = new double[r.length];
        for (int a = 0; a < s.size(); a++) {
            for (int k = 0; k < 3; k++) {
                moved[3 * a + k] = 0.7 - 0.3 * k;
                for (int j = 0; j < 3; j++) {
                    moved[3 * a + k] += rot[3 * k + j] * r[3 * a + j];
                }
            }
        }
        compare(reference, sortedInstances(d, new Structure(s.numbers().clone(), moved, Cell.none())), text
                + " rotated and translated");
        int n = s.size();
        int[] order = new int[n];
        for (int a = 0; a < n; a++) {
            order[a] = (2 * a + 1) % n;
        }
        int[] z = new int[n];
        double[] p = new double[3 * n];
        for (int a = 0; a < n; a++) {
            z[a] = s.numbers()[order[a]];
            System.arraycopy(r, 3 * order[a], p, 3 * a, 3);
        }
        List<double[]> relabelled = sortedInstances(d, new Structure(z, p, Cell.none()));
        assertEquals(reference.size(), relabelled.size(), "instances after relabelling");
        for (int i = 0; i < reference.size(); i++) {
            // distance_Nb orders equal species by atom index: compare each cluster's distances as a set
            double[] a = reference.get(i).clone();
            double[] b = relabelled.get(i).clone();
            Arrays.sort(a);
            Arrays.sort(b);
            assertArrayEquals(a, b, 1e-12, text + " relabelled, instance " + i);
        }
    }

    /** Instances as rows (cutoff weight then vector), sorted lexicographically on their sorted vector. */
    private static List<double[]> sortedInstances(Descriptor d, Structure s) {
        DescriptorOutput out = d.compute(s, false);
        int dim = d.dimension();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < out.count(); i++) {
            double[] row = new double[dim + 1];
            row[0] = out.cutoffWeight(i);
            System.arraycopy(out.values(), i * dim, row, 1, dim);
            rows.add(row);
        }
        Comparator<double[]> bySorted = (a, b) -> {
            double[] x = a.clone();
            double[] y = b.clone();
            Arrays.sort(x);
            Arrays.sort(y);
            return Arrays.compare(x, y);
        };
        rows.sort(bySorted);
        return rows;
    }

    private static void compare(List<double[]> a, List<double[]> b, String what) {
        assertEquals(a.size(), b.size(), what + ": instance count");
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), 1e-12, what + " instance " + i);
        }
    }
}
