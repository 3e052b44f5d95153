package org.soapstone.engine.descriptor;

import org.soapstone.gp.NotPositiveDefiniteException;
import org.soapstone.gp.TriangularFactor;

/**
 * QUIP's default SOAP radial basis ({@code radial_basis=EQUISPACED_GAUSS}, {@code soap_initialise} in GAP's
 * {@code descriptors.f95}) and the radial part of the neighbour density expansion.
 *
 * <p>Basis: n_max Gaussians g_a(r) = exp(−α(r − r_a)²), α = 1/(2σ²) with σ = {@code atom_sigma}, centred on
 * r_a = (a−1) Δ, Δ = r_b/n_max, r_b = r_c + σ √(2 ε ln 10) (ε = {@code basis_error_exponent}), orthonormalised
 * with the weight r²: S_ab = ∫₀^∞ r² g_a g_b dr (closed form with erf), S = L Lᵀ (Cholesky), φ = L⁻¹ g.
 *
 * <p>Radial expansion, QUIP's convention: the angular integral of a neighbour's Gaussian at distance d, without
 * the factor 4π, F_l(r; d) = exp(−α(r² + d²)) i_l(2αrd) (modified spherical Bessel function), is sampled at the
 * basis centres, F_l(r_a), interpolated by the Gaussians (C c = F with C_ab = g_b(r_a)) and rewritten in the
 * orthonormal basis: R_nl(d) = Σ_a F_l(r_a; d) T_an with T = C⁻¹ L. The central atom, a Gaussian at d = 0, is
 * exactly g_1, so its coefficients are the first row of L (nonzero only for n = 1). All lengths in Å.
 */
final class SoapRadialBasis {
    private final int nMax;
    private final int lMax;
    private final double alpha;
    private final double[] centres;
    /** Cholesky factor L of the overlap, row-major n_max × n_max, lower triangular. */
    private final double[] cholesky;
    /** T = C⁻¹ L, row-major (a, n). */
    private final double[] transform;

    /**
     * @param nMax number of radial functions ≥ 1
     * @param lMax highest angular degree ≥ 0
     * @param cutoff r_c (Å)
     * @param atomSigma σ (Å)
     * @param basisErrorExponent ε (dimensionless)
     */
    SoapRadialBasis(int nMax, int lMax, double cutoff, double atomSigma, double basisErrorExponent) {
        this.nMax = nMax;
        this.lMax = lMax;
        this.alpha = 0.5 / (atomSigma * atomSigma);
        double basisCutoff = cutoff + atomSigma * Math.sqrt(2 * basisErrorExponent * Math.log(10));
        double spacing = basisCutoff / nMax;
        centres = new double[nMax];
        for (int a = 1; a < nMax; a++) {
            centres[a] = centres[a - 1] + spacing;
        }
        double[] overlap = new double[nMax * nMax];
        double[] covariance = new double[nMax * nMax];
        for (int i = 0; i < nMax; i++) {
            for (int j = 0; j < nMax; j++) {
                double ri = centres[i], rj = centres[j];
                covariance[i * nMax + j] = Math.exp(-alpha * (ri - rj) * (ri - rj));
                overlap[i * nMax + j] = overlapIntegral(alpha, ri, rj);
            }
        }
        TriangularFactor covFactor;
        try {
            // a factor's data read row-major is its lower factor L
            cholesky = TriangularFactor.cholesky(overlap, nMax, 0).data();
            covFactor = TriangularFactor.cholesky(covariance, nMax, 0);
        } catch (NotPositiveDefiniteException e) {
            throw new DescriptorStringException(String.format(java.util.Locale.ROOT, "soap: n_max=%d is too many "
                    + "radial functions for cutoff=%s Å and atom_sigma=%s Å: %d Gaussians of width %s Å, %.3g Å "
                    + "apart, are numerically linearly dependent (%s); use a smaller n_max (gap_fit's published "
                    + "SOAP settings use 8-12 with atom_sigma=0.5)", nMax, cutoff, atomSigma, nMax, atomSigma, spacing,
                    e.getMessage()));
        }
        transform = new double[nMax * nMax];
        double[] column = new double[nMax];
        for (int n = 0; n < nMax; n++) {
            for (int a = 0; a < nMax; a++) {
                column[a] = cholesky[a * nMax + n];
            }
            covFactor.solveTransposed(column, column);
            covFactor.solve(column, column);
            for (int a = 0; a < nMax; a++) {
                transform[a * nMax + n] = column[a];
            }
        }
    }

    /**
     * S_ab = ∫₀^∞ r² exp(−α(r−r_a)²) exp(−α(r−r_b)²) dr in closed form (QUIP's expression).
     */
    static double overlapIntegral(double alpha, double ri, double rj) {
        double sum = ri + rj;
        double diff = ri - rj;
        double value = Math.exp(-alpha * (ri * ri + rj * rj)) * Math.sqrt(2) * Math.pow(alpha, 1.5) * sum
                + alpha * Math.exp(-0.5 * alpha * diff * diff) * Math.sqrt(Math.PI) * (1 + alpha * sum * sum)
                        * (1 + org.apache.commons.math3.special.Erf.erf(Math.sqrt(alpha / 2) * sum));
        return value / Math.sqrt(128 * Math.pow(alpha, 5));
    }

    /** @return the Gaussian exponent α = 1/(2σ²) (1/Å²) */
    double alpha() {
        return alpha;
    }

    /** @return the basis centres r_a (Å), a copy */
    double[] centres() {
        return centres.clone();
    }

    /** @return L, the Cholesky factor of the overlap (row-major, a copy) */
    double[] cholesky() {
        return cholesky.clone();
    }

    /** @return T = C⁻¹ L (row-major (a, n), a copy) */
    double[] transform() {
        return transform.clone();
    }

    /** @return the central atom's coefficient for radial function n (only n = 0 is nonzero): L_{0n} */
    double centralCoefficient(int n) {
        return cholesky[n];
    }

    /**
     * Computes R_nl(d) and dR_nl/dd for a neighbour at distance d, for l = 0…l_max, n = 0…n_max−1, without the
     * cutoff function.
     *
     * @param d the neighbour distance (Å), &gt; 0
     * @param work scratch of at least {@link #workSize()} values
     * @param value output R_nl at index l·n_max + n
     * @param derivative output dR_nl/dd (1/Å) at the same index, or null
     */
    void radial(double d, double[] work, double[] value, double[] derivative) {
        int bess = 0;            // e^-x i_l(x), l = 0..lMax+1
        int f = lMax + 2;        // F_l(r_a) for the current a
        int df = f + lMax + 1;   // dF_l/dd for the current a
        int nr = (lMax + 1) * nMax;
        java.util.Arrays.fill(value, 0, nr, 0);
        if (derivative != null) {
            java.util.Arrays.fill(derivative, 0, nr, 0);
        }
        for (int a = 0; a < nMax; a++) {
            double ra = centres[a];
            double x = 2 * alpha * d * ra;
            ScaledSphericalBessel.compute(x, lMax + 1, work, bess);
            double g = Math.exp(-alpha * (d - ra) * (d - ra));
            for (int l = 0; l <= lMax; l++) {
                double fl = g * work[bess + l];
                work[f + l] = fl;
                if (derivative != null) {
                    work[df + l] = -2 * alpha * d * fl + l * fl / d + 2 * alpha * ra * g * work[bess + l + 1];
                }
            }
            int ta = a * nMax;
            for (int l = 0; l <= lMax; l++) {
                double fl = work[f + l];
                int o = l * nMax;
                for (int n = 0; n < nMax; n++) {
                    value[o + n] += fl * transform[ta + n];
                }
            }
            if (derivative != null) {
                for (int l = 0; l <= lMax; l++) {
                    double dfl = work[df + l];
                    int o = l * nMax;
                    for (int n = 0; n < nMax; n++) {
                        derivative[o + n] += dfl * transform[ta + n];
                    }
                }
            }
        }
    }

    /** @return the scratch size {@link #radial} needs */
    int workSize() {
        return 3 * lMax + 4;
    }
}
