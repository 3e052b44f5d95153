package org.soapstone.engine.descriptor;

/**
 * The parameters of QUIP's {@code angle_3b} descriptor ({@code angle_3b_initialise} in GAP's
 * {@code descriptors.f95}), validated. Lengths in Å.
 *
 * @param cutoff r_c, {@code cutoff} (Å), &gt; 0 (QUIP's default 0 would describe nothing: Soapstone requires it)
 * @param cutoffTransitionWidth w, {@code cutoff_transition_width} (Å), 0 &lt; w ≤ r_c; QUIP's default 0.5
 * @param zCentre {@code Z} (or {@code Z_center}), the species of the central atom, 0 for any
 * @param z1 {@code Z1}, the species of one neighbour, 0 for any
 * @param z2 {@code Z2}, the species of the other neighbour, 0 for any
 */
public record Angle3bParameters(double cutoff, double cutoffTransitionWidth, int zCentre, int z1, int z2)
        implements DescriptorParameters {

    /** Validates every field; throws {@link IllegalArgumentException} naming the gap_fit key. */
    public Angle3bParameters {
        Species.checkCutoff("angle_3b", cutoff, cutoffTransitionWidth);
        Species.check("angle_3b", "Z", zCentre);
        Species.check("angle_3b", "Z1", z1);
        Species.check("angle_3b", "Z2", z2);
    }

    /** @return true if an atom of species z may be the centre */
    public boolean centre(int z) {
        return zCentre == 0 || z == zCentre;
    }

    /** @return true if neighbours of species zj and zk form a triplet of this descriptor (either order) */
    public boolean neighbours(int zj, int zk) {
        boolean j1 = z1 == 0 || zj == z1, j2 = z2 == 0 || zj == z2;
        boolean k1 = z1 == 0 || zk == z1, k2 = z2 == 0 || zk == z2;
        return (k1 && j2) || (k2 && j1);
    }

    @Override
    public String toString() {
        return "angle_3b cutoff=" + cutoff + " cutoff_transition_width=" + cutoffTransitionWidth + " Z=" + zCentre
                + " Z1=" + z1 + " Z2=" + z2;
    }
}
