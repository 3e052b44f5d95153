package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

/**
 * The SOAP power spectrum against one built by numerical quadrature, independently of the analytic radial
 * integral: the smoothed neighbour density (Gaussians times the cosine cutoff, plus the central Gaussian) is
 * projected on spherical harmonics by Gauss–Legendre (cos θ) × trapezoid (φ) quadrature on spheres of radius r_a
 * (the basis centres), turned into radial coefficients by QUIP's Gaussian interpolation with the overlap matrix
 * from Gauss–Legendre quadrature in r (not the closed form) and a library Cholesky factor, and the power spectrum
 * is formed from those. QUIP samples the angular projection at the basis centres rather than integrating it
 * against the radial basis (see {@link SoapRadialBasis}), so that is what is reproduced here; the quadrature
 * checks the modified-spherical-Bessel angular integral, the spherical harmonics, the overlap formula and the
 * assembly. The orthonormality of the radial basis is checked by quadrature too.
 */
class SoapNumericalProjectionTest {
    private static final int N_THETA = 64;
    private static final int N_PHI = 128;
    private static final GaussIntegratorFactory RULES = new GaussIntegratorFactory();

    private static double[] realYlm(int lMax, double theta, double phi) {
        // associated Legendre P_l^m(cos θ) by the recurrence in l from P_m^m = (2m−1)!! sin^m θ (θ-form)
        double x = Math.cos(theta), sn = Math.sin(theta);
        double[] y = new double[(lMax + 1) * (lMax + 1)];
        for (int m = 0; m <= lMax; m++) {
            double pmm = 1;
            for (int k = 1; k <= m; k++) {
                pmm *= (2 * k - 1) * sn;
            }
            double pPrev = 0, p = pmm;
            for (int l = m; l <= lMax; l++) {
                if (l > m) {
                    double next = ((2 * l - 1) * x * p - (l + m - 1) * pPrev) / (l - m);
                    pPrev = p;
                    p = next;
                }
                double fact = 1;
                for (int k = l - m + 1; k <= l + m; k++) {
                    fact *= k;
                }
                double norm = Math.sqrt((2 * l + 1) / (4 * Math.PI) / fact);
                if (m == 0) {
                    y[l * l + l] = norm * p;
                } else {
                    y[l * l + l + m] = Math.sqrt(2) * norm * p * Math.cos(m * phi);
                    y[l * l + l - m] = Math.sqrt(2) * norm * p * Math.sin(m * phi);
                }
            }
        }
        return y;
    }

    /** The power spectrum of centre {@code i}, normalised, by quadrature. */
    private static double[] numericalPowerSpectrum(SoapParameters p, Structure s, int i) {
        int nMax = p.basis().nMax(), lMax = p.basis().lMax(), nS = p.species().count();
        double alpha = 0.5 / (p.density().atomSigma() * p.density().atomSigma());
        double rb = p.cutoff() + p.density().atomSigma() * Math.sqrt(2 * p.basis().errorExponent() * Math.log(10));
        double[] ra = new double[nMax];
        for (int a = 0; a < nMax; a++) {
            ra[a] = a * rb / nMax;
        }
        // overlap by Gauss–Legendre in r on [0, r_b + 10σ]
        GaussIntegrator radial = RULES.legendre(120, 0, rb + 10 * p.density().atomSigma());
        double[][] overlap = new double[nMax][nMax];
        double[][] cov = new double[nMax][nMax];
        for (int a = 0; a < nMax; a++) {
            for (int b = 0; b < nMax; b++) {
                double sum = 0;
                for (int q = 0; q < radial.getNumberOfPoints(); q++) {
                    double r = radial.getPoint(q);
                    sum += radial.getWeight(q) * r * r * Math.exp(-alpha * (r - ra[a]) * (r - ra[a]))
                            * Math.exp(-alpha * (r - ra[b]) * (r - ra[b]));
                }
                overlap[a][b] = sum;
                cov[a][b] = Math.exp(-alpha * (ra[a] - ra[b]) * (ra[a] - ra[b]));
            }
        }
        RealMatrix l = new CholeskyDecomposition(new Array2DRowRealMatrix(overlap)).getL();
        RealMatrix t = new LUDecomposition(new Array2DRowRealMatrix(cov)).getSolver().solve(l);
        assertOrthonormal(radial, ra, alpha, new LUDecomposition(l).getSolver().getInverse());

        NeighbourList nl = NeighbourList.build(s, p.cutoff(), true);
        CosineCutoff fc = new CosineCutoff(p.cutoff(), p.cutoffFunction().transitionWidth());
        GaussIntegrator gl = RULES.legendre(N_THETA, -1, 1);
        int lm = (lMax + 1) * (lMax + 1);
        double[][][] proj = new double[nS][nMax][lm]; // ∫dΩ ρ_s(r_a r̂) Y_lm(r̂) / 4π
        int[] species = p.species().channels();
        for (int q = 0; q < N_THETA; q++) {
            double ct = gl.getPoint(q), theta = Math.acos(ct);
            for (int f = 0; f < N_PHI; f++) {
                double phi = 2 * Math.PI * f / N_PHI;
                double w = gl.getWeight(q) * 2 * Math.PI / N_PHI / (4 * Math.PI);
                double[] y = realYlm(lMax, theta, phi);
                double ux = Math.sin(theta) * Math.cos(phi), uy = Math.sin(theta) * Math.sin(phi);
                for (int a = 0; a < nMax; a++) {
                    for (int sp = 0; sp < nS; sp++) {
                        double rho = 0;
                        if (p.density().centralReferenceAllSpecies() || species[sp] == s.numbers()[i]
                                || species[sp] == 0) {
                            rho += p.density().centralWeight() * Math.exp(-alpha * ra[a] * ra[a]);
                        }
                        for (int pr = nl.first[i]; pr < nl.first[i + 1]; pr++) {
                            if (species[sp] != 0 && s.numbers()[nl.neighbour[pr]] != species[sp]
                                    || nl.distance[pr] >= p.cutoff()) {
                                continue;
                            }
                            double dx = ra[a] * ux - nl.vector[3 * pr], dy = ra[a] * uy - nl.vector[3 * pr + 1];
                            double dz = ra[a] * ct - nl.vector[3 * pr + 2];
                            rho += fc.value(nl.distance[pr]) * Math.exp(-alpha * (dx * dx + dy * dy + dz * dz));
                        }
                        for (int k = 0; k < lm; k++) {
                            proj[sp][a][k] += w * rho * y[k];
                        }
                    }
                }
            }
        }
        int channels = nS * nMax;
        double[][] c = new double[lm][channels];
        for (int sp = 0; sp < nS; sp++) {
            for (int n = 0; n < nMax; n++) {
                for (int k = 0; k < lm; k++) {
                    double sum = 0;
                    for (int a = 0; a < nMax; a++) {
                        sum += proj[sp][a][k] * t.getEntry(a, n);
                    }
                    c[k][sp * nMax + n] = sum;
                }
            }
        }
        double[] ps = new double[p.dimension()];
        int idx = 0;
        double norm = 0;
        for (int a = 0; a < channels; a++) {
            for (int b = 0; b <= a; b++) {
                for (int ll = 0; ll <= lMax; ll++) {
                    double sum = 0;
                    for (int m = ll * ll; m < (ll + 1) * (ll + 1); m++) {
                        sum += c[m][a] * c[m][b];
                    }
                    double v = sum / Math.sqrt(2 * ll + 1) * (a == b ? 1 : Math.sqrt(2));
                    ps[idx++] = v;
                    norm += v * v;
                }
            }
        }
        for (int k = 0; k < idx; k++) {
            ps[k] /= Math.sqrt(norm);
        }
        return ps;
    }

    private static void assertOrthonormal(GaussIntegrator radial, double[] ra, double alpha, RealMatrix lInv) {
        int n = ra.length;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double sum = 0;
                for (int q = 0; q < radial.getNumberOfPoints(); q++) {
                    double r = radial.getPoint(q);
                    double fa = 0, fb = 0;
                    for (int k = 0; k < n; k++) {
                        double g = Math.exp(-alpha * (r - ra[k]) * (r - ra[k]));
                        fa += lInv.getEntry(a, k) * g;
                        fb += lInv.getEntry(b, k) * g;
                    }
                    sum += radial.getWeight(q) * r * r * fa * fb;
                }
                assertEquals(a == b ? 1 : 0, sum, 1e-10, "⟨φ_" + a + "|φ_" + b + "⟩");
            }
        }
    }

    private static void check(String text, Structure s, int[] centres) {
        SoapParameters p = (SoapParameters) DescriptorString.parse(text).descriptor();
        Descriptor d = p.create();
        DescriptorOutput out = d.newOutput();
        d.compute(s, NeighbourList.build(s, p.cutoff(), true), false, out);
        for (int i : centres) {
            double[] num = numericalPowerSpectrum(p, s, i);
            for (int k = 0; k < p.dimension() - 1; k++) {
                assertEquals(num[k], out.value(i, k), 1e-8, "centre " + i + " component " + k);
            }
        }
    }

    @Test
    void closedFormOverlapMatchesQuadrature() {
        GaussIntegrator radial = RULES.legendre(120, 0, 15);
        for (double[] c : new double[][] {{0, 0}, {0, 1.3}, {2.1, 2.1}, {1.05, 6.3}}) {
            double sum = 0;
            for (int q = 0; q < radial.getNumberOfPoints(); q++) {
                double r = radial.getPoint(q);
                sum += radial.getWeight(q) * r * r * Math.exp(-2 * (r - c[0]) * (r - c[0]) - 2 * (r - c[1]) * (r - c[1]));
            }
            assertEquals(sum, SoapRadialBasis.overlapIntegral(2, c[0], c[1]), 1e-13 * Math.max(1, sum));
        }
    }

    @Test
    void singleSpeciesCluster() {
        check("soap cutoff=4.0 n_max=6 l_max=6 atom_sigma=0.5 cutoff_transition_width=1.0",
                DescriptorTesting.cluster(9, new int[] {14}, 4.5, 1.8, 21), new int[] {0, 4});
    }

    @Test
    void twoSpeciesPeriodicCell() {
        check("soap cutoff=3.8 n_max=5 l_max=4 atom_sigma=0.45 n_species=2 species_Z={14 6} Z=0 central_weight=0.6",
                FiniteDifferences.rattled(SoapGradientTest.sic(), 0.2, 12), new int[] {1, 6});
    }
}
