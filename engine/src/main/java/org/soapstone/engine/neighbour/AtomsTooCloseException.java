package org.soapstone.engine.neighbour;

import java.util.Locale;

/**
 * Two atoms closer than {@link #MIN_DISTANCE}: overlapping atoms (a duplicated line, a bad merge of two structures,
 * an MD step that went wrong). No energy model gives a meaningful — usually not even a finite — result for them,
 * so every neighbour list refuses them when it computes its distances, before any calculator runs
 * ({@link NeighbourList#recompute}). The message names both atoms (1-based, with their species when known) and
 * their distance, e.g. {@code atoms 1 and 2 (Si, Si) are 0 Å apart}.
 */
public final class AtomsTooCloseException extends IllegalArgumentException {
    /**
     * The shortest distance accepted (Å): 70 times shorter than the shortest chemical bond (H₂, 0.74 Å), and
     * shorter than any MD or fit reaches — even a 150 keV head-on Si–Si collision turns at ≈ 0.03 Å (ZBL).
     */
    public static final double MIN_DISTANCE = 0.01;

    private static final long serialVersionUID = 1L;

    private final int first;
    private final int second;
    private final double distance;

    /**
     * @param first 0-based index of one atom
     * @param second 0-based index of the other
     * @param species the two species as text (e.g. "Si, Si"), or null
     * @param image the lattice translation (n_a, n_b, n_c) of the second atom, or null for image 0
     * @param distance their distance (Å)
     */
    AtomsTooCloseException(int first, int second, String species, int[] image, double distance) {
        super(String.format(Locale.ROOT, "atoms %d and %d%s%s %s (overlapping atoms: the closest accepted is %s Å)",
                first + 1, second + 1, species == null ? "" : " (" + species + ")", image == null ? ""
                        : String.format(Locale.ROOT, " (periodic image %d %d %d)", image[0], image[1], image[2]),
                distance == 0 ? "are at the same position" : String.format(Locale.ROOT, "are %.3g Å apart", distance),
                MIN_DISTANCE));
        this.first = first;
        this.second = second;
        this.distance = distance;
    }

    /** @return the 0-based index of the first atom */
    public int first() {
        return first;
    }

    /** @return the 0-based index of the second atom */
    public int second() {
        return second;
    }

    /** @return their distance (Å) */
    public double distance() {
        return distance;
    }
}
