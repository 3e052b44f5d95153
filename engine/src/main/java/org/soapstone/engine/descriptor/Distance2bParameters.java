package org.soapstone.engine.descriptor;

import java.util.Arrays;

/**
 * The parameters of QUIP's {@code distance_2b} descriptor ({@code distance_2b_initialise} in GAP's
 * {@code descriptors.f95}), validated. Lengths in Å.
 *
 * @param cutoff r_c, {@code cutoff} (Å), &gt; 0
 * @param cutoffTransitionWidth w, {@code cutoff_transition_width} (Å), 0 &lt; w ≤ r_c
 * @param z1 {@code Z1}, the species at one end of the pair, 0 for any
 * @param z2 {@code Z2}, the species at the other end, 0 for any
 * @param exponents {@code exponents} p_e: component e of the descriptor is r^{p_e}; QUIP's default {1}
 */
public record Distance2bParameters(double cutoff, double cutoffTransitionWidth, int z1, int z2, double[] exponents)
        implements DescriptorParameters {

    /** Validates every field; throws {@link IllegalArgumentException} naming the gap_fit key. */
    public Distance2bParameters {
        Species.checkCutoff("distance_2b", cutoff, cutoffTransitionWidth);
        Species.check("distance_2b", "Z1", z1);
        Species.check("distance_2b", "Z2", z2);
        if (exponents.length == 0) {
            throw new IllegalArgumentException("distance_2b: n_exponents must be ≥ 1");
        }
        for (double p : exponents) {
            if (!Double.isFinite(p)) {
                throw new IllegalArgumentException("distance_2b: exponents=" + Arrays.toString(exponents)
                        + " is not allowed; must be finite numbers");
            }
        }
        exponents = exponents.clone();
    }


    /** @return a copy of the exponents */
    @Override
    public double[] exponents() {
        return exponents.clone();
    }

    /** @return true if the ordered pair of species (za, zb) belongs to this descriptor (either orientation) */
    public boolean matches(int za, int zb) {
        boolean a1 = z1 == 0 || za == z1, a2 = z2 == 0 || za == z2;
        boolean b1 = z1 == 0 || zb == z1, b2 = z2 == 0 || zb == z2;
        return (a1 && b2) || (a2 && b1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Distance2bParameters p && cutoff == p.cutoff
                && cutoffTransitionWidth == p.cutoffTransitionWidth && z1 == p.z1 && z2 == p.z2
                && Arrays.equals(exponents, p.exponents);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(cutoff) * 31 + z1 * 7 + z2 + Arrays.hashCode(exponents);
    }

    @Override
    public String toString() {
        return "distance_2b cutoff=" + cutoff + " cutoff_transition_width=" + cutoffTransitionWidth + " Z1=" + z1
                + " Z2=" + z2 + " exponents=" + Arrays.toString(exponents);
    }
}
