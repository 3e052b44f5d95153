package org.soapstone.engine.descriptor;

import java.util.Arrays;

/**
 * The parameters of QUIP's {@code soap} descriptor (the keys of {@code soap_initialise} in GAP's
 * {@code descriptors.f95}), validated, in the groups featomic gives its spherical expansion: the cutoff function,
 * the atomic density, the radial and angular basis, the species — the spherical expansion's — and the power
 * spectrum's own. Each group checks its fields; an error names the gap_fit key. Lengths in Å.
 *
 * @param cutoffFunction where and how neighbours are cut off
 * @param density the Gaussian density each atom contributes
 * @param basis the radial functions and spherical harmonics the density is expanded in
 * @param species the density channels and the centre atoms
 * @param spectrum what the power spectrum does with the expansion
 */
public record SoapParameters(Cutoff cutoffFunction, Density density, Basis basis, Species species,
        Spectrum spectrum) implements DescriptorParameters {

    /**
     * The smooth cutoff f(r) = f_c(r)·d(r) of a neighbour's density: QUIP's cosine cutoff f_c, 1 up to r_c − w and
     * ½[cos(π(r − r_c + w)/w) + 1] beyond, times QUIP's optional radial decay
     * d(r) = a (1 + ρ)/(ρ + (r/s)^q), a = ρ/(1 + ρ) (d = 1 for q = 0).
     *
     * @param radius r_c, {@code cutoff} (Å), &gt; 0
     * @param transitionWidth w, {@code cutoff_transition_width} (Å), 0 &lt; w ≤ r_c
     * @param decayExponent q, {@code cutoff_dexp}, ≥ 0 (0: no decay)
     * @param decayScale s, {@code cutoff_scale} (Å), &gt; 0
     * @param decayRate ρ, {@code cutoff_rate}, ≥ 0
     */
    public record Cutoff(double radius, double transitionWidth, int decayExponent, double decayScale,
            double decayRate) {
        /** Validates every field. */
        public Cutoff {
            require(radius > 0 && Double.isFinite(radius), "cutoff", radius, "a positive number of Å");
            require(transitionWidth > 0 && transitionWidth <= radius, "cutoff_transition_width", transitionWidth,
                    "in (0, cutoff]");
            require(decayExponent >= 0, "cutoff_dexp", decayExponent, "an integer ≥ 0");
            require(decayScale > 0, "cutoff_scale", decayScale, "a positive number of Å");
            require(decayRate >= 0, "cutoff_rate", decayRate, "a number ≥ 0");
        }
    }

    /**
     * The neighbour density: a Gaussian exp(−|r|²/(2σ²)) per neighbour and one of weight w for the centre.
     *
     * @param atomSigma σ, {@code atom_sigma} / {@code atom_gaussian_width} (Å), &gt; 0
     * @param centralWeight w, {@code central_weight}
     * @param centralReferenceAllSpecies {@code central_reference_all_species}: the centre's Gaussian in every
     *     species channel, not only in its own species' channel
     */
    public record Density(double atomSigma, double centralWeight, boolean centralReferenceAllSpecies) {
        /** Validates every field. */
        public Density {
            require(atomSigma > 0 && Double.isFinite(atomSigma), "atom_sigma", atomSigma, "a positive number of Å");
            require(Double.isFinite(centralWeight), "central_weight", centralWeight, "a finite number");
        }
    }

    /** QUIP's {@code radial_basis} choices (see {@link SoapRadialBasis}). */
    public enum RadialBasis {
        /** Gaussians on equispaced centres, QUIP's default. */
        EQUISPACED_GAUSS,
        /** Gaussian-type orbitals r^l exp(−α_nl r²), one set per l. */
        GTO,
        /** Polynomials (r_b − r)^{n+2}. */
        POLY
    }

    /**
     * The expansion basis: n_max radial functions (see {@link SoapRadialBasis}) and the spherical harmonics up to
     * l_max.
     *
     * @param nMax {@code n_max}, radial functions, ≥ 1
     * @param lMax {@code l_max}, highest spherical-harmonic degree, 0 … 30
     * @param errorExponent ε, {@code basis_error_exponent}: the radial basis reaches r_c + σ√(2ε ln 10)
     * @param radialBasis {@code radial_basis}: QUIP's EQUISPACED_GAUSS (default), GTO or POLY
     */
    public record Basis(int nMax, int lMax, double errorExponent, RadialBasis radialBasis) {
        /** Validates every field. */
        public Basis {
            require(nMax >= 1, "n_max", nMax, "an integer ≥ 1");
            require(lMax >= 0 && lMax <= 30, "l_max", lMax, "an integer in [0, 30]");
            require(errorExponent > 0, "basis_error_exponent", errorExponent, "a positive number");
            if (radialBasis == null) {
                throw new IllegalArgumentException("soap: radial_basis must be given");
            }
        }
    }

    /**
     * Which atoms make the density channels and which are centres.
     *
     * @param channels {@code species_Z}, the atomic numbers of the density channels, in channel order; a single 0
     *     means one channel for every species
     * @param centres {@code Z}, the atomic numbers of the centre atoms; a single 0 means every atom
     */
    public record Species(int[] channels, int[] centres) {
        /** Validates and copies both lists. */
        public Species {
            channels = channels.clone();
            centres = centres.clone();
            check("species_Z", channels);
            check("Z", centres);
        }

        private static void check(String key, int[] z) {
            if (z.length == 0) {
                throw new IllegalArgumentException(key + " is empty; give at least one atomic number");
            }
            for (int k = 0; k < z.length; k++) {
                if (z[k] < 0 || z[k] > 118 || (z[k] == 0 && z.length > 1)) {
                    throw new IllegalArgumentException(key + "=" + Arrays.toString(z)
                            + ": each entry must be an atomic number 1..118 (or a single 0 for any species)");
                }
                for (int j = 0; j < k; j++) {
                    if (z[j] == z[k]) {
                        throw new IllegalArgumentException(key + "=" + Arrays.toString(z) + " lists " + z[k]
                                + " twice");
                    }
                }
            }
        }

        /** @return a copy of {@code species_Z} */
        @Override
        public int[] channels() {
            return channels.clone();
        }

        /** @return a copy of {@code Z} */
        @Override
        public int[] centres() {
            return centres.clone();
        }

        /** @return the number of species channels, {@code n_species} */
        public int count() {
            return channels.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Species s && Arrays.equals(channels, s.channels)
                    && Arrays.equals(centres, s.centres);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(channels) + Arrays.hashCode(centres);
        }

        @Override
        public String toString() {
            return "Species[channels=" + Arrays.toString(channels) + ", centres=" + Arrays.toString(centres) + "]";
        }
    }

    /**
     * The power spectrum's own options.
     *
     * @param normalise {@code normalise}: divide the power spectrum by its norm
     * @param covarianceSigma0 {@code covariance_sigma0}, stored as the last descriptor component
     * @param average {@code average}: one instance per structure, the power spectrum of the summed expansions of
     *     every centre (QUIP's global SOAP), instead of one per centre
     * @param compression the channel mixing and coupling of compressed SOAP
     */
    public record Spectrum(boolean normalise, double covarianceSigma0, boolean average, Compression compression) {
        /** Validates every field. */
        public Spectrum {
            require(Double.isFinite(covarianceSigma0), "covariance_sigma0", covarianceSigma0, "a finite number");
            if (compression == null) {
                throw new IllegalArgumentException("soap: the compression options must be given");
            }
        }
    }

    /**
     * Compressed SOAP (Darby et al., npj Comput. Mater. 8, 166 (2022); QUIP's {@code form_mix_W} and
     * {@code form_coupling_inds}): the K = n_species·n_max density channels are mixed into K₁ new ones by two random
     * matrices W₁, W₂ (standard normal entries from libAtoms' generator reseeded per species, or per n_max, with
     * {@code mix_shift}), and the power spectrum couples the mixed channels of the two densities fully (the tensor
     * product) or element by element.
     *
     * @param zMix {@code Z_mix}: mix the species channels into K per radial index (K₁ = K·n_max)
     * @param rMix {@code R_mix}: mix the radial channels into K per species (K₁ = K·n_species; both: K₁ = K)
     * @param symMix {@code sym_mix}: W₂ = W₁, so the spectrum is symmetric and only b ≤ a is kept
     * @param coupling {@code coupling}: the full tensor product of the channels (T) or their elementwise product
     *     (F)
     * @param k {@code K}, the number of mixed channels, ≥ 1 when mixing
     * @param mixShift {@code mix_shift}, added to the seeds of the mixing weights
     */
    public record Compression(boolean zMix, boolean rMix, boolean symMix, boolean coupling, int k, int mixShift) {
        /** No mixing, full coupling: the standard power spectrum. */
        public static final Compression NONE = new Compression(false, false, false, true, 0, 0);

        /** Validates the combination as QUIP's {@code form_W} does. */
        public Compression {
            require(k >= 0, "K", k, "an integer ≥ 0");
            if (symMix && !zMix && !rMix) {
                throw new IllegalArgumentException("soap: sym_mix=T needs Z_mix=T or R_mix=T (there is nothing to "
                        + "mix otherwise)");
            }
            if ((zMix || rMix) && k < 1) {
                throw new IllegalArgumentException("soap: K=" + k + " is not allowed with Z_mix or R_mix; must be the "
                        + "number of mixed channels, ≥ 1");
            }
        }

        /** @return whether any channels are mixed */
        public boolean mixing() {
            return zMix || rMix;
        }

        /** @return whether the spectrum is QUIP's original one (no mixing, full coupling) */
        public boolean standard() {
            return coupling && !mixing();
        }

        /** @return K₁, the number of mixed channels of each density */
        int mixedChannels(int nMax, int nSpecies) {
            if (zMix && rMix) {
                return k;
            } else if (zMix) {
                return k * nMax;
            } else if (rMix) {
                return k * nSpecies;
            }
            return nMax * nSpecies;
        }

        /** @return the number of channel pairs per l: the power spectrum's length is (l_max+1)·pairs */
        int pairs(int nMax, int nSpecies) {
            int k1 = mixedChannels(nMax, nSpecies);
            if (coupling) {
                return !mixing() || symMix ? k1 * (k1 + 1) / 2 : k1 * k1;
            } else if (zMix && !rMix) {
                return k * (symMix ? nMax * (nMax + 1) / 2 : nMax * nMax);
            } else if (rMix && !zMix) {
                return k * (symMix ? nSpecies * (nSpecies + 1) / 2 : nSpecies * nSpecies);
            }
            return k1;
        }
    }

    /** Checks that every group is given. */
    public SoapParameters {
        if (cutoffFunction == null || density == null || basis == null || species == null || spectrum == null) {
            throw new IllegalArgumentException("soap: every parameter group must be given");
        }
    }

    private static void require(boolean ok, String key, Object value, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException("soap: " + key + "=" + value + " is not allowed; must be " + allowed);
        }
    }

    /** @return r_c, the cutoff radius (Å) */
    @Override
    public double cutoff() {
        return cutoffFunction.radius();
    }

    /**
     * @return the descriptor dimension: (l_max+1) K(K+1)/2 + 1 with K = n_max·n_species, or (l_max+1) times the
     *     compressed spectrum's channel pairs, + 1
     */
    public int dimension() {
        return (basis.lMax() + 1) * spectrum.compression().pairs(basis.nMax(), species.count()) + 1;
    }

    @Override
    public String toString() {
        return "soap cutoff=" + cutoffFunction.radius() + " cutoff_transition_width="
                + cutoffFunction.transitionWidth() + " n_max=" + basis.nMax() + " l_max=" + basis.lMax()
                + " atom_sigma=" + density.atomSigma() + " central_weight=" + density.centralWeight()
                + " central_reference_all_species=" + (density.centralReferenceAllSpecies() ? "T" : "F")
                + " covariance_sigma0=" + spectrum.covarianceSigma0() + " normalise="
                + (spectrum.normalise() ? "T" : "F") + " basis_error_exponent=" + basis.errorExponent()
                + (basis.radialBasis() == RadialBasis.EQUISPACED_GAUSS ? ""
                        : " radial_basis=" + basis.radialBasis()) + " n_species=" + species.count()
                + " species_Z=" + braces(species.channels) + " n_Z="
                + species.centres.length + " Z=" + braces(species.centres) + " cutoff_dexp="
                + cutoffFunction.decayExponent() + " cutoff_scale=" + cutoffFunction.decayScale() + " cutoff_rate="
                + cutoffFunction.decayRate() + (spectrum.average() ? " average=T" : "") + compressionKeys();
    }

    private String compressionKeys() {
        Compression c = spectrum.compression();
        if (c.equals(Compression.NONE)) {
            return "";
        }
        return " Z_mix=" + (c.zMix() ? "T" : "F") + " R_mix=" + (c.rMix() ? "T" : "F") + " sym_mix="
                + (c.symMix() ? "T" : "F") + " coupling=" + (c.coupling() ? "T" : "F") + " K=" + c.k()
                + " mix_shift=" + c.mixShift();
    }

    static String braces(int[] z) {
        StringBuilder b = new StringBuilder("{");
        for (int k = 0; k < z.length; k++) {
            b.append(k == 0 ? "" : " ").append(z[k]);
        }
        return b.append('}').toString();
    }
}
