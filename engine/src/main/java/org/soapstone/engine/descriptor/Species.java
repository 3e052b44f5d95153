package org.soapstone.engine.descriptor;

/**
 * Checks shared by the pair and cluster descriptors' parameters: species keys ({@code Z}, {@code Z1}, …, an atomic
 * number or 0 for any) and the cosine cutoff ({@code cutoff}, {@code cutoff_transition_width}).
 */
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

    /**
     * @param type the descriptor type, for the message
     * @param cutoff r_c (Å)
     * @param width the transition width w (Å)
     * @throws IllegalArgumentException unless r_c &gt; 0 is finite and 0 &lt; w ≤ r_c
     */
    static void checkCutoff(String type, double cutoff, double width) {
        if (!(cutoff > 0) || !Double.isFinite(cutoff)) {
            throw new IllegalArgumentException(type + ": cutoff=" + cutoff + " is not allowed; must be a positive"
                    + " number of Å");
        }
        if (!(width > 0) || width > cutoff) {
            throw new IllegalArgumentException(type + ": cutoff_transition_width=" + width
                    + " is not allowed; must be in (0, cutoff]");
        }
    }
}
