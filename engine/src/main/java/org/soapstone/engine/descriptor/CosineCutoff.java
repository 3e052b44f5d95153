package org.soapstone.engine.descriptor;

/**
 * QUIP's smooth cutoff ({@code coordination_function} in libAtoms {@code linearalgebra.f95}): 1 for
 * r ≤ r_c − w, ½[cos(π(r − r_c + w)/w) + 1] for r_c − w &lt; r ≤ r_c, 0 beyond; r_c and w in Å.
 */
final class CosineCutoff {
    private final double cutoff;
    private final double width;

    /**
     * @param cutoff r_c (Å)
     * @param width transition width w (Å), 0 &lt; w ≤ r_c
     */
    CosineCutoff(double cutoff, double width) {
        this.cutoff = cutoff;
        this.width = width;
    }

    /** @return f_c(r) for a distance r (Å) */
    double value(double r) {
        if (r > cutoff) {
            return 0;
        }
        if (r > cutoff - width) {
            return 0.5 * (Math.cos(Math.PI * (r - cutoff + width) / width) + 1);
        }
        return 1;
    }

    /** @return df_c/dr (1/Å) */
    double derivative(double r) {
        if (r > cutoff || r <= cutoff - width) {
            return 0;
        }
        return -0.5 * Math.PI * Math.sin(Math.PI * (r - cutoff + width) / width) / width;
    }
}
