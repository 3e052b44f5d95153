package org.soapstone.engine.descriptor;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.special.Gamma;
import org.soapstone.gp.NotPositiveDefiniteException;
import org.soapstone.gp.TriangularFactor;

/**
 * QUIP's SOAP radial bases ({@code radial_basis}, {@code soap_initialise} in GAP's {@code descriptors.f95}) and the
 * radial part of the neighbour density expansion.
 *
 * <p>{@code EQUISPACED_GAUSS} (QUIP's default): n_max Gaussians g_a(r) = exp(−α(r − r_a)²), α = 1/(2σ²) with
 * σ = {@code atom_sigma}, centred on r_a = (a−1) Δ, Δ = r_b/n_max, r_b = r_c + σ √(2 ε ln 10)
 * (ε = {@code basis_error_exponent}), orthonormalised with the weight r²: S_ab = ∫₀^∞ r² g_a g_b dr (closed form
 * with erf), S = L Lᵀ (Cholesky), φ = L⁻¹ g.
 *
 * <p>Radial expansion, QUIP's convention: the angular integral of a neighbour's Gaussian at distance d, without
 * the factor 4π, F_l(r; d) = exp(−α(r² + d²)) i_l(2αrd) (modified spherical Bessel function), is sampled at the
 * basis centres, F_l(r_a), interpolated by the Gaussians (C c = F with C_ab = g_b(r_a)) and rewritten in the
 * orthonormal basis: R_nl(d) = Σ_a F_l(r_a; d) T_an with T = C⁻¹ L. The central atom, a Gaussian at d = 0, is
 * exactly g_1, so its coefficients are the first row of L (nonzero only for n = 1).
 *
 * <p>{@code GTO} and {@code POLY}: F_l is sampled on 3 n_max points r_a = (a−1) r_b/(3 n_max) and fitted by least
 * squares (QUIP's QR solve) with the orthonormalised functions φ_l = L_l⁻¹ b_l, so T_l = (B_l L_l⁻ᵀ)⁺ (the
 * pseudo-inverse, B_l(a, n) = b_nl(r_a)); the centre's coefficients are T_0 applied to exp(−α r_a²). GTO:
 * b_nl(r) = r^l exp(−α_nl r²), α_nl = −(ln 0.001 − l ln R_n)/R_n², R_n = n r_b/n_max, overlap
 * S_l(n, n') = ∫₀^{r_b} r^{2l+2} exp(−(α_nl + α_n'l) r²) dr (by the lower incomplete gamma function). POLY (one
 * basis for every l): b_n(r) = (r_b − r)^{n+2}/N_n, N_n² = r_b^{2n+7}/((n+3)(2n+5)(2n+7)), overlap
 * 2 r_b^{n+n'+7}/((5+n+n')(6+n+n')(7+n+n') N_n N_n'). All lengths in Å.
 */
final class SoapRadialBasis {
    private final int nMax;
    private final int lMax;
    private final double alpha;
    /** The points r_a (Å) where F_l is sampled. */
    private final double[] grid;
    /** T_l per l, row-major (a, n). */
    private final double[][] transform;
    /** The centre's coefficient of each radial function n. */
    private final double[] central;

    /**
     * @param type the basis, {@code radial_basis}
     * @param nMax number of radial functions ≥ 1
     * @param lMax highest angular degree ≥ 0
     * @param cutoff r_c (Å)
     * @param atomSigma σ (Å)
     * @param basisErrorExponent ε (dimensionless)
     */
    SoapRadialBasis(SoapParameters.RadialBasis type, int nMax, int lMax, double cutoff, double atomSigma,
            double basisErrorExponent) {
        this.nMax = nMax;
        this.lMax = lMax;
        this.alpha = 0.5 / (atomSigma * atomSigma);
        double basisCutoff = cutoff + atomSigma * Math.sqrt(2 * basisErrorExponent * Math.log(10));
        transform = new double[lMax + 1][];
        central = new double[nMax];
        if (type == SoapParameters.RadialBasis.EQUISPACED_GAUSS) {
            grid = new double[nMax];
            equispacedGauss(basisCutoff, cutoff, atomSigma);
        } else {
            grid = new double[3 * nMax];
            for (int a = 1; a < grid.length; a++) {
                grid[a] = grid[a - 1] + basisCutoff / grid.length;
            }
            fittedOnGrid(type, basisCutoff);
        }
    }

    /** The Gaussians' T (one for every l) and the centre's coefficients. */
    private void equispacedGauss(double basisCutoff, double cutoff, double atomSigma) {
        double[] centres = grid;
        double spacing = basisCutoff / nMax;
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
        double[] cholesky;
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
        double[] t = new double[nMax * nMax];
        double[] column = new double[nMax];
        for (int n = 0; n < nMax; n++) {
            for (int a = 0; a < nMax; a++) {
                column[a] = cholesky[a * nMax + n];
            }
            covFactor.solveTransposed(column, column);
            covFactor.solve(column, column);
            for (int a = 0; a < nMax; a++) {
                t[a * nMax + n] = column[a];
            }
        }
        java.util.Arrays.fill(transform, t);
        central[0] = cholesky[0];
    }

    /** T_l = (B_l L_l⁻ᵀ)⁺ of the GTO or POLY basis on the grid, and the centre's coefficients (class comment). */
    private void fittedOnGrid(SoapParameters.RadialBasis type, double rb) {
        int g = grid.length;
        for (int l = 0; l <= (type == SoapParameters.RadialBasis.POLY ? 0 : lMax); l++) {
            double[] overlap = new double[nMax * nMax];
            RealMatrix b = new Array2DRowRealMatrix(g, nMax);
            for (int i = 0; i < nMax; i++) {
                for (int j = 0; j < nMax; j++) {
                    overlap[i * nMax + j] = type == SoapParameters.RadialBasis.POLY ? polyOverlap(rb, i + 1, j + 1)
                            : gtoOverlap(rb, l, gtoExponent(rb, l, i + 1) + gtoExponent(rb, l, j + 1));
                }
                for (int a = 0; a < g; a++) {
                    double r = grid[a];
                    b.setEntry(a, i, type == SoapParameters.RadialBasis.POLY
                            ? Math.pow(rb - r, i + 3) / polyNorm(rb, i + 1)
                            : Math.pow(r, l) * Math.exp(-gtoExponent(rb, l, i + 1) * r * r));
                }
            }
            double[] lower;
            try {
                lower = TriangularFactor.cholesky(overlap, nMax, 0).data();
            } catch (NotPositiveDefiniteException e) {
                throw new DescriptorStringException("soap: radial_basis=" + type + " with n_max=" + nMax
                        + " has a singular overlap matrix at l=" + l + " (" + e.getMessage()
                        + "); use a smaller n_max");
            }
            RealMatrix lt = new Array2DRowRealMatrix(nMax, nMax);
            for (int i = 0; i < nMax; i++) {
                for (int j = 0; j <= i; j++) {
                    lt.setEntry(j, i, lower[i * nMax + j]);
                }
            }
            RealMatrix design = b.multiply(MatrixUtils.inverse(lt));
            RealMatrix pseudoInverse = new QRDecomposition(design).getSolver().getInverse();
            double[] t = new double[g * nMax];
            for (int a = 0; a < g; a++) {
                for (int n = 0; n < nMax; n++) {
                    t[a * nMax + n] = pseudoInverse.getEntry(n, a);
                }
            }
            transform[l] = t;
        }
        for (int l = 1; l <= lMax && type == SoapParameters.RadialBasis.POLY; l++) {
            transform[l] = transform[0];
        }
        for (int a = 0; a < g; a++) {
            double f = Math.exp(-alpha * grid[a] * grid[a]);
            for (int n = 0; n < nMax; n++) {
                central[n] += f * transform[0][a * nMax + n];
            }
        }
    }

    /** α_nl of QUIP's GTO basis (1/Å²). */
    private double gtoExponent(double rb, int l, int n) {
        double r = rb / nMax * n;
        return -(Math.log(0.001) - l * Math.log(r)) / (r * r);
    }

    /** ∫₀^{r_b} r^{2l+2} exp(−a r²) dr = ½ a^{−t} γ(t, a r_b²), t = l + 3/2. */
    private static double gtoOverlap(double rb, int l, double a) {
        double t = l + 1.5;
        return 0.5 * Math.pow(a, -t) * Gamma.gamma(t) * Gamma.regularizedGammaP(t, a * rb * rb);
    }

    private static double polyNorm(double rb, int n) {
        return Math.sqrt(Math.pow(rb, 2 * n + 7) / ((n + 3) * (2 * n + 5) * (2 * n + 7)));
    }

    private static double polyOverlap(double rb, int i, int j) {
        return 2 * Math.pow(rb, i + j + 7) / ((5 + i + j) * (6 + i + j) * (7 + i + j)) / (polyNorm(rb, i)
                * polyNorm(rb, j));
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

    /** @return the centre's coefficient of radial function n */
    double centralCoefficient(int n) {
        return central[n];
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
        for (int a = 0; a < grid.length; a++) {
            double ra = grid[a];
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
                double[] t = transform[l];
                int o = l * nMax;
                for (int n = 0; n < nMax; n++) {
                    value[o + n] += fl * t[ta + n];
                }
            }
            if (derivative != null) {
                for (int l = 0; l <= lMax; l++) {
                    double dfl = work[df + l];
                    double[] t = transform[l];
                    int o = l * nMax;
                    for (int n = 0; n < nMax; n++) {
                        derivative[o + n] += dfl * t[ta + n];
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
