package org.soapstone.engine.neighbour;

import java.util.Locale;

/**
 * An atom whose position is NaN or infinite: no neighbour list, and so no calculation, can place it. The message
 * names the atom (1-based) and its position, e.g. {@code atom 3 has a non-finite position (NaN, 0, 1.5) Å}.
 */
public final class NonFinitePositionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int atom;

    /**
     * @param atom 0-based index of the atom
     * @param x its position (Å)
     * @param y its position (Å)
     * @param z its position (Å)
     */
    NonFinitePositionException(int atom, double x, double y, double z) {
        super(String.format(Locale.ROOT, "atom %d has a non-finite position (%s, %s, %s) Å", atom + 1, x, y, z));
        this.atom = atom;
    }

    /** @return the 0-based index of the atom */
    public int atom() {
        return atom;
    }
}
