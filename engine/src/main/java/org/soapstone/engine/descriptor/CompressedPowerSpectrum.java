package org.soapstone.engine.descriptor;

import java.util.Arrays;
import org.soapstone.gp.sparse.LibAtomsRandom;

/**
 * Compressed SOAP (Darby, Kermode &amp; Csányi, npj Comput. Mater. 8, 166 (2022)) as QUIP's {@code soap_calc}
 * computes it with {@code Z_mix}, {@code R_mix}, {@code sym_mix}, {@code coupling=F} and {@code K} (GAP 2023-06):
 * the K = n_species·n_max channels of a {@link SphericalExpansion} are mixed into K₁ channels of two densities,
 * y^(i)_{lm,α} = Σ_k c_{lm,k} W_i(k, α) (i = 1, 2), and the spectrum couples them:
 * <pre>  p_l(α, β) = s_αβ (2l+1)^{−1/2} Σ_m y^(1)_{lm,α} y^(2)_{lm,β}</pre>
 * for every pair (α, β) of the coupling — all of them (the tensor product, {@code coupling=T}; with
 * {@code sym_mix=T}, W₂ = W₁, only β ≤ α and s = √2 off the diagonal), or QUIP's elementwise list
 * ({@code coupling=F}: pairs sharing their mixed index, s the single-precision √2 of QUIP's {@code sym_facs}).
 * Component index l + (l_max+1)·q for the q-th pair, as QUIP orders them; the vector is normalised if asked and
 * followed by σ0, as in {@link PowerSpectrum}.
 *
 * <p>The mixing weights are QUIP's {@code form_mix_W}: standard normal deviates (libAtoms' polar Box–Muller
 * {@code ran_normal} over {@link LibAtomsRandom}) drawn after reseeding with species_Z + mix_shift + 200 i per
 * species ({@code Z_mix}, with or without {@code R_mix}) or with n_max + mix_shift + 200 i ({@code R_mix} alone).
 * Without mixing, W is the identity (the elementwise spectrum of the plain channels).
 *
 * <p>Gradients by the chain rule through ∂c/∂r_j = g' Y r̂ + g ∇Y: ∂p_l(α, β) = s (2l+1)^{−1/2} Σ_m
 * (∂y^(1)_α y^(2)_β + y^(1)_α ∂y^(2)_β), then the normalisation ∂p/|p| − p (p·∂p)/|p|³. Plain loops with every
 * sum in a fixed order (no vector lanes), so the results are the same bit for bit in any JVM.
 */
final class CompressedPowerSpectrum implements SoapSpectrum {
    /** QUIP's {@code sym_facs} are single precision: √2 rounded to a float. */
    private static final double FLOAT_SQRT2 = (float) Math.sqrt(2);
    private final SoapParameters.Spectrum options;
    private final int lMax;
    private final int lm;
    private final int channels;
    private final int kp;
    private final int mixed;
    private final int dimension;
    /** W₁ and W₂, K × K₁ row-major. */
    private final double[] w1;
    private final double[] w2;
    /** The coupled pairs (α, β) in output order, and their factors s. */
    private final int[] first;
    private final int[] second;
    private final double[] factor;
    private final double[] invSqrt2lp1;

    /**
     * @param p the validated SOAP parameters
     * @param expansion the expansion it reads
     */
    CompressedPowerSpectrum(SoapParameters p, SphericalExpansion expansion) {
        options = p.spectrum();
        SoapParameters.Compression c = options.compression();
        int nMax = p.basis().nMax();
        int[] speciesZ = p.species().channels();
        int nSpecies = speciesZ.length;
        lMax = p.basis().lMax();
        lm = (lMax + 1) * (lMax + 1);
        channels = expansion.channels();
        kp = expansion.stride();
        mixed = c.mixedChannels(nMax, nSpecies);
        dimension = p.dimension();
        w1 = weights(c, 1, nMax, speciesZ);
        w2 = c.symMix() || !c.mixing() ? w1 : weights(c, 2, nMax, speciesZ);
        int pairs = c.pairs(nMax, nSpecies);
        first = new int[pairs];
        second = new int[pairs];
        factor = new double[pairs];
        couple(c, nMax, nSpecies);
        invSqrt2lp1 = new double[lMax + 1];
        for (int l = 0; l <= lMax; l++) {
            invSqrt2lp1[l] = 1 / Math.sqrt(2 * l + 1);
        }
    }

    /** W_i of QUIP's {@code form_mix_W} (the identity without mixing), K × K₁ row-major. */
    private double[] weights(SoapParameters.Compression c, int i, int nMax, int[] speciesZ) {
        int nSpecies = speciesZ.length;
        int k = c.k();
        double[] w = new double[channels * mixed];
        if (c.zMix() && c.rMix()) {
            for (int s = 0; s < nSpecies; s++) {
                LibAtomsRandom random = new LibAtomsRandom(speciesZ[s] + c.mixShift() + 200L * i);
                for (int row = s * nMax; row < (s + 1) * nMax; row++) {
                    for (int col = 0; col < k; col++) {
                        w[row * mixed + col] = normal(random);
                    }
                }
            }
        } else if (c.zMix()) {
            double[] r = new double[nSpecies * k];
            for (int s = 0; s < nSpecies; s++) {
                LibAtomsRandom random = new LibAtomsRandom(speciesZ[s] + c.mixShift() + 200L * i);
                for (int col = 0; col < k; col++) {
                    r[s * k + col] = normal(random);
                }
            }
            for (int s = 0; s < nSpecies; s++) {
                for (int n = 0; n < nMax; n++) {
                    for (int col = 0; col < k; col++) {
                        w[(s * nMax + n) * mixed + col * nMax + n] = r[s * k + col];
                    }
                }
            }
        } else if (c.rMix()) {
            LibAtomsRandom random = new LibAtomsRandom(nMax + c.mixShift() + 200L * i);
            double[] r = new double[nMax * k];
            for (int n = 0; n < nMax; n++) {
                for (int col = 0; col < k; col++) {
                    r[n * k + col] = normal(random);
                }
            }
            for (int s = 0; s < nSpecies; s++) {
                for (int n = 0; n < nMax; n++) {
                    for (int col = 0; col < k; col++) {
                        w[(s * nMax + n) * mixed + s * k + col] = r[n * k + col];
                    }
                }
            }
        } else {
            for (int row = 0; row < channels; row++) {
                w[row * mixed + row] = 1;
            }
        }
        return w;
    }

    /** libAtoms' {@code ran_normal}: the polar Box–Muller method, one deviate per accepted pair. */
    private static double normal(LibAtomsRandom random) {
        double r = 2, v1 = 0;
        while (r > 1) {
            v1 = 2 * random.uniform() - 1;
            double v2 = 2 * random.uniform() - 1;
            r = v1 * v1 + v2 * v2;
        }
        return v1 * StrictMath.sqrt(-2 * StrictMath.log(r) / r);
    }

    /** The pairs and their factors in QUIP's order ({@code soap_calc}'s unpacking, {@code form_coupling_inds}). */
    private void couple(SoapParameters.Compression c, int nMax, int nSpecies) {
        int q = 0;
        if (c.coupling()) {
            boolean symmetric = !c.mixing() || c.symMix();
            for (int a = 0; a < mixed; a++) {
                for (int b = 0; b < (symmetric ? a + 1 : mixed); b++, q++) {
                    set(q, a, b, symmetric && a != b ? Math.sqrt(2) : 1);
                }
            }
        } else if (c.zMix() && !c.rMix()) {
            for (int k = 0; k < c.k(); k++) {
                for (int a = 0; a < nMax; a++) {
                    for (int b = 0; b < (c.symMix() ? a + 1 : nMax); b++, q++) {
                        set(q, k * nMax + a, k * nMax + b, c.symMix() && a != b ? FLOAT_SQRT2 : 1);
                    }
                }
            }
        } else if (c.rMix() && !c.zMix()) {
            for (int s = 0; s < nSpecies; s++) {
                for (int t = 0; t < (c.symMix() ? s + 1 : nSpecies); t++) {
                    for (int k = 0; k < c.k(); k++, q++) {
                        set(q, s * c.k() + k, t * c.k() + k, c.symMix() && s != t ? FLOAT_SQRT2 : 1);
                    }
                }
            }
        } else {
            for (; q < mixed; q++) {
                set(q, q, q, 1);
            }
        }
    }

    private void set(int q, int a, int b, double s) {
        first[q] = a;
        second[q] = b;
        factor[q] = s;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Evaluation newEvaluation() {
        return new Work();
    }

    /** One thread's mixed channels, spectrum and gradient scratch. */
    private final class Work implements Evaluation {
        /** y^(1), y^(2) at lm·K₁ + α; their derivatives for one neighbour at (3 lm + d)·K₁ + α. */
        private final double[] y1 = new double[lm * mixed];
        private final double[] y2 = new double[lm * mixed];
        private final double[] dy1 = new double[3 * lm * mixed];
        private final double[] dy2 = new double[3 * lm * mixed];
        /** ∂c/∂r_j of one neighbour at (3 lm + d)·K + k. */
        private final double[] dc = new double[3 * lm * channels];
        /** p (without σ0) and, for one neighbour, ∂p (x, y, z at d·(D−1) + i). */
        private final double[] p = new double[dimension - 1];
        private final double[] dp = new double[3 * (dimension - 1)];
        /** ∂ε/∂p, and ∂ε/∂y^(1), ∂ε/∂y^(2) at lm·K₁ + α ({@link #coefficientGradient}). */
        private final double[] adjoint = new double[dimension - 1];
        private final double[] gy1 = new double[lm * mixed];
        private final double[] gy2 = new double[lm * mixed];
        /** y^(1), y^(2) of the coefficients {@link #coefficientGradient} was given. */
        private final double[] ry1 = new double[lm * mixed];
        private final double[] ry2 = new double[lm * mixed];
        private double norm;

        @Override
        public void values(SphericalExpansion.Neighbourhood n, double[] out, int offset) {
            mix(n.coeff, 0, kp, 1, w1, y1);
            mix(n.coeff, 0, kp, 1, w2, y2);
            int stride = lMax + 1;
            for (int l = 0; l <= lMax; l++) {
                for (int q = 0; q < first.length; q++) {
                    double s = 0;
                    for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                        s += y1[m * mixed + first[q]] * y2[m * mixed + second[q]];
                    }
                    p[l + stride * q] = s * factor[q] * invSqrt2lp1[l];
                }
            }
            double s = 0;
            for (double v : p) {
                s += v * v;
            }
            norm = Math.sqrt(s);
            int d = dimension - 1;
            for (int i = 0; i < d; i++) {
                out[offset + i] = options.normalise() ? p[i] / norm : p[i];
            }
            out[offset + d] = options.covarianceSigma0();
        }

        /**
         * y[row·K₁ + α] = Σ_k x[x0 + row·rowStride + k] W(k, α), summed in channel order, for planes·(l_max+1)²
         * rows.
         */
        private void mix(double[] x, int x0, int rowStride, int planes, double[] w, double[] y) {
            for (int row = 0; row < planes * lm; row++) {
                for (int a = 0; a < mixed; a++) {
                    double s = 0;
                    for (int k = 0; k < channels; k++) {
                        s += x[x0 + row * rowStride + k] * w[k * mixed + a];
                    }
                    y[row * mixed + a] = s;
                }
            }
        }

        @Override
        public void gradients(SphericalExpansion.Neighbourhood n, double[] grad, int row0) {
            int d = dimension - 1;
            int stride = lMax + 1;
            int nrp = (lMax + 1) * kp;
            for (int nb = 0; nb < n.count; nb++) {
                double[] u = {n.ux[nb], n.uy[nb], n.uz[nb]};
                for (int l = 0; l <= lMax; l++) {
                    for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                        double y = n.ylm[m * n.ys + nb];
                        for (int a = 0; a < 3; a++) {
                            double dy = n.dylm[(3 * m + a) * n.ys + nb];
                            for (int k = 0; k < channels; k++) {
                                int at = nb * nrp + l * kp + k;
                                dc[(3 * m + a) * channels + k] = n.drad[at] * y * u[a] + n.rad[at] * dy;
                            }
                        }
                    }
                }
                mix(dc, 0, channels, 3, w1, dy1);
                mix(dc, 0, channels, 3, w2, dy2);
                for (int a = 0; a < 3; a++) {
                    for (int l = 0; l <= lMax; l++) {
                        for (int q = 0; q < first.length; q++) {
                            int f = first[q], g = second[q];
                            double s = 0;
                            for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                                s += dy1[(3 * m + a) * mixed + f] * y2[m * mixed + g]
                                        + y1[m * mixed + f] * dy2[(3 * m + a) * mixed + g];
                            }
                            dp[a * d + l + stride * q] = s * factor[q] * invSqrt2lp1[l];
                        }
                    }
                }
                int row = row0 + 3 * (1 + nb) * dimension;
                for (int a = 0; a < 3; a++) {
                    int r = row + a * dimension;
                    if (options.normalise()) {
                        double pg = 0;
                        for (int i = 0; i < d; i++) {
                            pg += p[i] * dp[a * d + i];
                        }
                        double scale = pg / (norm * norm * norm);
                        for (int i = 0; i < d; i++) {
                            grad[r + i] = dp[a * d + i] / norm - p[i] * scale;
                        }
                    } else {
                        System.arraycopy(dp, a * d, grad, r, d);
                    }
                    grad[r + d] = 0;
                }
            }
            for (int r = row0; r < row0 + 3 * dimension; r++) {
                double s = 0;
                for (int nb = 0; nb < n.count; nb++) {
                    s += grad[r + 3 * (1 + nb) * dimension];
                }
                grad[r] = -s;
            }
            for (int a = 0; a < 3; a++) {
                grad[row0 + a * dimension + d] = 0;
            }
        }

        @Override
        public double norm() {
            return norm;
        }

        /**
         * The reverse mode: the mixed channels y of {@code coeff}; G = ∂ε/∂p through the normalisation;
         * ∂ε/∂y^(1)_{lm,α} = Σ_{q: first α} G_l(q) s_q (2l+1)^{−1/2} y^(2)_{lm,β_q} and ∂ε/∂y^(2) likewise; then
         * ∂ε/∂c_{lm,k} = Σ_α W₁(k, α) ∂ε/∂y^(1)_{lm,α} + Σ_β W₂(k, β) ∂ε/∂y^(2)_{lm,β}. Every sum in a fixed order.
         */
        @Override
        public void coefficientGradient(double[] coeff, int coeffOffset, double[] x, int xOffset, double norm,
                double[] dEpsilon, int offset, double[] dc) {
            int stride = lMax + 1;
            SoapSpectrum.normalisationGradient(x, xOffset, norm, options.normalise(), dEpsilon, offset, adjoint,
                    dimension - 1);
            mix(coeff, coeffOffset, kp, 1, w1, ry1);
            mix(coeff, coeffOffset, kp, 1, w2, ry2);
            Arrays.fill(gy1, 0);
            Arrays.fill(gy2, 0);
            for (int l = 0; l <= lMax; l++) {
                for (int q = 0; q < first.length; q++) {
                    double h = adjoint[l + stride * q] * factor[q] * invSqrt2lp1[l];
                    int f = first[q], g = second[q];
                    for (int m = l * l; m < (l + 1) * (l + 1); m++) {
                        gy1[m * mixed + f] += h * ry2[m * mixed + g];
                        gy2[m * mixed + g] += h * ry1[m * mixed + f];
                    }
                }
            }
            for (int m = 0; m < lm; m++) {
                for (int k = 0; k < kp; k++) {
                    double s = 0;
                    if (k < channels) {
                        for (int a = 0; a < mixed; a++) {
                            s += w1[k * mixed + a] * gy1[m * mixed + a];
                        }
                        for (int a = 0; a < mixed; a++) {
                            s += w2[k * mixed + a] * gy2[m * mixed + a];
                        }
                    }
                    dc[m * kp + k] = s;
                }
            }
        }
    }
}
