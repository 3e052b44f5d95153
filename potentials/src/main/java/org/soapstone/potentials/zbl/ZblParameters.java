package org.soapstone.potentials.zbl;

/**
 * The switching radii of LAMMPS {@code pair_style zbl inner outer}: the pure ZBL energy below {@code inner}, a
 * polynomial switch that brings energy, force and its derivative to zero at {@code outer}.
 *
 * @param inner where switching starts (Å), &gt; 0
 * @param outer the cutoff (Å), &gt; inner
 */
public record ZblParameters(double inner, double outer) {
    /** @throws IllegalArgumentException unless 0 &lt; inner &lt; outer, both finite */
    public ZblParameters {
        if (!(inner > 0) || !(outer > inner) || !Double.isFinite(outer)) {
            throw new IllegalArgumentException("ZBL needs 0 < inner < outer (Å), got inner=" + inner + ", outer="
                    + outer);
        }
    }
}
