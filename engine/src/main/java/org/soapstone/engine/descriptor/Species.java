package org.soapstone.engine.descriptor;

/** Checks of the species keys of descriptor strings ({@code Z}, {@code Z1}, …): an atomic number or 0 for any. */
final class Species {
    private Species() {}

    /**
     * @param type the descriptor type, for the message
     * @param key the gap_fit key
     * @param z its value
     * @throws IllegalArgumentException unless 0 ≤ z ≤ 118
     */
    static void check(String type, String key, int z) {
        if (z < 0 || z > 118) {
            throw new IllegalArgumentException(type + ": " + key + "=" + z + " is not allowed; must be an atomic"
                    + " number 1..118 or 0 for any species");
        }
    }
}
