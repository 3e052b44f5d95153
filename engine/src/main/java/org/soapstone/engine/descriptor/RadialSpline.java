package org.soapstone.engine.descriptor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The radial functions R_nl(d) of a {@link SoapRadialBasis} (all n, l at once) tabulated on a uniform grid of
 * distances and interpolated by cubic Hermite splines from their exact values and derivatives at the knots
 * (the tabulation of Musil et al., J. Chem. Phys. 154, 114109 (2021), Sec. II C). The interpolant is C¹ and its
 * derivative is the exact derivative of the interpolated values, so gradients stay consistent with values; the
 * interpolation error is O(h⁴): with the spacing of {@link #spacing} (σ/100, σ/200 for the GTO and POLY bases,
 * whose least-squares fits vary faster) it is below 10⁻¹⁰ of the largest |R_nl|,
 * and the derivative's below 10⁻⁷ of the largest |dR_nl/dd| (checked by {@code RadialSplineTest}); the
 * normalised SOAP vectors still match gap_fit's to 10⁻⁸ ({@code GapFitSparseXTest}). Distances below the first
 * interior knot, where the neighbour density is never
 * evaluated in practice, fall back to the exact functions. Lengths in Å.
 */
final class RadialSpline {
    private static final VectorSpecies<Double> LANES = DoubleVector.SPECIES_PREFERRED;
    /** Default knot spacing in units of atom_sigma: the error scales as (h/σ)⁴. */
    static final double SPACING_IN_SIGMA = 0.01;

    /** @return the knot spacing (Å) for a basis of that type and atom_sigma σ (Å): σ/100, σ/200 for GTO and POLY */
    static double spacing(SoapParameters.RadialBasis type, double sigma) {
        return SPACING_IN_SIGMA * sigma / (type == SoapParameters.RadialBasis.EQUISPACED_GAUSS ? 1 : 2);
    }

    private final SoapRadialBasis basis;
    private final int nr;
    /** nr rounded up to whole vectors: the table's and the outputs' length per (l, n) set. */
    private final int ns;
    private final double h;
    private final double invH;
    private final int knots;
    /** Per knot k ≥ 1: R_nl(k h) at [k·2ns + q], h·dR_nl/dd at [k·2ns + ns + q], q = l·n_max + n (zero for
     *  q ≥ nr). */
    private final double[] table;

    /**
     * @param basis the exact radial functions
     * @param nr the number of (l, n) pairs, (l_max+1)·n_max
     * @param cutoff the largest distance evaluated (Å)
     * @param spacing the knot spacing h (Å), &gt; 0
     */
    RadialSpline(SoapRadialBasis basis, int nr, double cutoff, double spacing) {
        this.basis = basis;
        this.nr = nr;
        this.ns = LANES.loopBound(nr + LANES.length() - 1);
        this.h = spacing;
        this.invH = 1 / spacing;
        this.knots = (int) Math.ceil(cutoff / spacing) + 2;
        table = new double[knots * 2 * ns];
        double[] work = new double[basis.workSize()];
        double[] v = new double[nr];
        double[] dv = new double[nr];
        for (int k = 1; k < knots; k++) {
            basis.radial(k * spacing, work, v, dv);
            int o = 2 * k * ns;
            for (int q = 0; q < nr; q++) {
                table[o + q] = v[q];
                table[o + ns + q] = spacing * dv[q];
            }
        }
    }

    /**
     * R_nl(d) and dR_nl/dd, as {@link SoapRadialBasis#radial} computes them, by interpolation.
     *
     * @param d the distance (Å), 0 &lt; d &lt; the cutoff given at construction
     * @param work scratch for the exact fallback, {@link SoapRadialBasis#workSize()} values
     * @param value output R_nl at index l·n_max + n, with room for {@link #outputLength} values
     * @param derivative output dR_nl/dd (1/Å) or null, the same length
     */
    void radial(double d, double[] work, double[] value, double[] derivative) {
        if (!tabulated(d)) {
            basis.radial(d, work, value, derivative);
            return;
        }
        interpolate(d, value, derivative, 0);
    }

    /** @return the room {@link #radial} and {@link #interpolate} need: (l_max+1)·n_max rounded up to whole
     *  vectors */
    int outputLength() {
        return ns;
    }

    /** @return whether d (Å) lies between the table's interior knots, where {@link #interpolate} applies */
    boolean tabulated(double d) {
        int k = (int) (d * invH);
        return k >= 1 && k + 1 < knots;
    }

    /**
     * R_nl(d) and dR_nl/dd by interpolation, at {@code offset} + l·n_max + n of the outputs, whole vectors: zero
     * from {@code offset} + (l_max+1)·n_max to {@code offset} + {@link #outputLength}.
     *
     * @param d a distance (Å) that is {@link #tabulated}
     * @param derivative output or null
     */
    void interpolate(double d, double[] value, double[] derivative, int offset) {
        double x = d * invH;
        int k = (int) x;
        double t = x - k;
        double s = 1 - t;
        double h00 = (1 + 2 * t) * s * s, h10 = t * s * s, h01 = t * t * (3 - 2 * t), h11 = -t * t * s;
        int a = 2 * k * ns, b = a + 2 * ns;
        double g0 = 6 * t * (t - 1) * invH, g1 = (3 * t * t - 4 * t + 1) * invH, g3 = t * (3 * t - 2) * invH;
        double[] tab = table;
        for (int q = 0; q < ns; q += LANES.length()) {
            DoubleVector va = DoubleVector.fromArray(LANES, tab, a + q);
            DoubleVector da = DoubleVector.fromArray(LANES, tab, a + ns + q);
            DoubleVector vb = DoubleVector.fromArray(LANES, tab, b + q);
            DoubleVector db = DoubleVector.fromArray(LANES, tab, b + ns + q);
            va.mul(h00).add(da.mul(h10)).add(vb.mul(h01)).add(db.mul(h11)).intoArray(value, offset + q);
            if (derivative != null) {
                va.sub(vb).mul(g0).add(da.mul(g1)).add(db.mul(g3)).intoArray(derivative, offset + q);
            }
        }
    }
}
