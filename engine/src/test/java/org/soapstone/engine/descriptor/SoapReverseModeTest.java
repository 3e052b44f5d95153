package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.calculator.ForceTally;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

/**
 * SOAP's reverse-mode force pass ({@link SoapDescriptor#tallyGradients}: ∂ε/∂x pushed back to ∂ε/∂c, then through
 * each neighbour's expansion derivative) against the forward pass (∂x/∂r formed, then contracted:
 * {@link Descriptor#tallyForward}), for random ε(x) gradients: forces and strain derivative to 1e-10 of their scale,
 * for single-species, two-species, unnormalised and compressed SOAP (Z_mix, R_mix, sym_mix, coupling=F), on a
 * sheared triclinic cell, a 2-atom cell smaller than the cutoff, a slab and an open cluster; and against central
 * finite differences of E = Σ_i θ·x_i (independent of either pass). The coefficients come from the values pass
 * (kept for up to {@link SoapDescriptor#KEPT_INSTANCES} instances) or are computed again.
 */
class SoapReverseModeTest {
    private static final String BASE = "soap cutoff=3.7 n_max=5 l_max=4 atom_sigma=0.5 cutoff_transition_width=0.8 ";
    private static final String TWO = "n_species=2 species_Z={14 6} ";

    @ParameterizedTest
    @ValueSource(strings = {"", "normalise=F", TWO, TWO + "central_weight=0.7 cutoff_dexp=2 cutoff_rate=1.5",
        TWO + "Z_mix=T K=2", TWO + "R_mix=T K=3 sym_mix=T", TWO + "Z_mix=T R_mix=T K=2 coupling=F",
        "n_species=2 species_Z={14 6} Z=6"})
    void reverseEqualsForward(String options) {
        Descriptor d = DescriptorString.parse(BASE + options).create();
        boolean two = options.contains("species_Z");
        List<Structure> cases = cases(two);
        for (int c = 0; c < cases.size(); c++) {
            Structure s = cases.get(c);
            String where = "'" + options + "', " + CASES[c];
            NeighbourList nl = NeighbourList.build(s, d.cutoff(), true);
            DescriptorOutput values = d.newOutput();
            d.compute(s, nl, false, values);
            int count = values.count();
            assertTrue(count > 0, where + ": no instances");
            Random rng = new Random(5 + c);
            double[] epsilon = new double[count + 3];
            double[] dEpsilon = new double[(count + 3) * d.dimension()];
            for (int k = 0; k < dEpsilon.length; k++) {
                dEpsilon[k] = rng.nextGaussian();
            }
            for (int k = 0; k < epsilon.length; k++) {
                epsilon[k] = rng.nextGaussian();
            }
            // instances from the third slot of ε and ∂ε/∂x, in two calls: atom ranges and offsets are honoured
            int half = s.size() / 2;
            ForceTally forward = new ForceTally();
            forward.reset(s.size());
            int first = Descriptor.tallyForward(d, s, nl, 0, half, epsilon, 3, dEpsilon, d.newOutput(), forward);
            Descriptor.tallyForward(d, s, nl, half, s.size(), epsilon, 3 + first, dEpsilon, d.newOutput(), forward);
            ForceTally reverse = new ForceTally();
            reverse.reset(s.size());
            // the first half computing its own values, the second reusing those kept by a computation of all
            DescriptorOutput scratch = d.newOutput();
            assertEquals(first, d.tallyGradients(s, nl, 0, half, epsilon, 3, dEpsilon, null, scratch, reverse),
                    where + ": instance count");
            d.tallyGradients(s, nl, half, s.size(), epsilon, 3 + first, dEpsilon, values, scratch, reverse);
            assertClose(forward.forces(), reverse.forces(), where + ": force");
            assertClose(strain(forward), strain(reverse), where + ": strain derivative");
        }
    }

    @Test
    void moreInstancesThanAreKeptAreComputedAgain() {
        Descriptor d = DescriptorString.parse(BASE + TWO).create();
        Structure s = DescriptorTesting.cluster(SoapDescriptor.KEPT_INSTANCES + 6, new int[] {14, 6}, 11.0, 1.9, 4);
        NeighbourList nl = NeighbourList.build(s, d.cutoff(), true);
        DescriptorOutput values = d.newOutput();
        d.compute(s, nl, false, values);
        double[] dEpsilon = new double[values.count() * d.dimension()];
        Random rng = new Random(9);
        for (int k = 0; k < dEpsilon.length; k++) {
            dEpsilon[k] = rng.nextGaussian();
        }
        double[] epsilon = new double[values.count()];
        ForceTally forward = new ForceTally();
        forward.reset(s.size());
        Descriptor.tallyForward(d, s, nl, 0, s.size(), epsilon, 0, dEpsilon, d.newOutput(), forward);
        ForceTally reverse = new ForceTally();
        reverse.reset(s.size());
        assertEquals(values.count(), d.tallyGradients(s, nl, 0, s.size(), epsilon, 0, dEpsilon, values,
                d.newOutput(), reverse), "instance count");
        assertClose(forward.forces(), reverse.forces(), "force");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", TWO, TWO + "Z_mix=T R_mix=T K=2 coupling=F"})
    void reverseForcesAreMinusTheEnergyDerivative(String options) {
        Descriptor d = DescriptorString.parse(BASE + options).create();
        Structure s = cases(options.contains("species_Z")).get(0);
        double[] theta = new double[d.dimension()];
        Random rng = new Random(11);
        for (int k = 0; k < theta.length; k++) {
            theta[k] = rng.nextGaussian();
        }
        DescriptorOutput values = d.newOutput();
        NeighbourList nl = NeighbourList.build(s, d.cutoff(), true);
        d.compute(s, nl, false, values);
        int count = values.count();
        double[] dEpsilon = new double[count * d.dimension()];
        for (int i = 0; i < count; i++) {
            System.arraycopy(theta, 0, dEpsilon, i * theta.length, theta.length);
        }
        ForceTally reverse = new ForceTally();
        reverse.reset(s.size());
        d.tallyGradients(s, nl, 0, s.size(), new double[count], 0, dEpsilon, values, d.newOutput(), reverse);
        double[] dE = FiniteDifferences.numericJacobian(s, 1e-5, t -> {
            double[] x = DescriptorTesting.values(d, t);
            double e = 0;
            for (int k = 0; k < x.length; k++) {
                e += theta[k % theta.length] * x[k];
            }
            return new double[] {e};
        });
        double scale = 0;
        for (double g : dE) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int k = 0; k < dE.length; k++) {
            assertEquals(-dE[k], reverse.forces()[k], 1e-6 * scale, "'" + options + "': force " + k);
        }
    }

    private static final String[] CASES = {"sheared triclinic cell", "2-atom cell (cutoff > half the cell)",
        "slab periodic in x and y", "open cluster"};

    /** The geometries of {@link #CASES}, Si (and C) at about diamond density. */
    private static List<Structure> cases(boolean twoSpecies) {
        Random rng = new Random(3);
        double a = 5.43;
        double[][] basis = {{0, 0, 0}, {0.25, 0.25, 0.25}, {0, 0.5, 0.5}, {0.25, 0.75, 0.75}, {0.5, 0, 0.5},
            {0.75, 0.25, 0.75}, {0.5, 0.5, 0}, {0.75, 0.75, 0.25}};
        double[] h = {a, 0.6, -0.4, 0.3, 0.95 * a, 0.5, -0.2, 0.4, 1.05 * a};
        int n = basis.length;
        int[] z = new int[n];
        double[] r = new double[3 * n];
        for (int i = 0; i < n; i++) {
            z[i] = twoSpecies && i % 2 == 1 ? 6 : 14;
            for (int k = 0; k < 3; k++) {
                double x = 0;
                for (int j = 0; j < 3; j++) {
                    x += basis[i][j] * h[3 * j + k];
                }
                r[3 * i + k] = x + 0.1 * rng.nextGaussian();
            }
        }
        List<Structure> out = new ArrayList<>();
        out.add(new Structure(z, r, new Cell(h, new boolean[] {true, true, true})));
        double[] small = {0, 2.1, 2.0, 2.0, 0.1, 2.2, 2.1, 1.9, 0.2};
        out.add(new Structure(new int[] {14, twoSpecies ? 6 : 14}, new double[] {0.1, 0.05, 0, 1.1, 1.0, 1.05},
                new Cell(small, new boolean[] {true, true, true})));
        double[] slab = h.clone();
        for (int k = 6; k < 9; k++) {
            slab[k] *= 2;
        }
        out.add(new Structure(z, r, new Cell(slab, new boolean[] {true, true, false})));
        out.add(new Structure(z, r, Cell.none()));
        return out;
    }

    private static double[] strain(ForceTally t) {
        double[] s = new double[9];
        t.addStrainDerivative(s);
        return s;
    }

    private static void assertClose(double[] want, double[] got, String what) {
        double scale = 0;
        for (double w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        assertTrue(scale > 0, what + ": all zero");
        for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], got[k], 1e-10 * scale, what + " " + k);
        }
    }
}
