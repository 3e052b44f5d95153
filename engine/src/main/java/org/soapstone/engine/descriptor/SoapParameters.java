package org.soapstone.engine.descriptor;

import java.util.Arrays;

/**
 * The parameters of QUIP's {@code soap} descriptor (the keys of {@code soap_initialise} in GAP's
 * {@code descriptors.f95}), validated. Lengths in Å.
 *
 * @param cutoff r_c, {@code cutoff} (Å), &gt; 0
 * @param cutoffTransitionWidth w, {@code cutoff_transition_width} (Å), 0 &lt; w ≤ r_c
 * @param nMax {@code n_max}, radial functions, ≥ 1
 * @param lMax {@code l_max}, highest spherical-harmonic degree, ≥ 0
 * @param atomSigma σ, {@code atom_sigma} / {@code atom_gaussian_width} (Å), &gt; 0
 * @param centralWeight {@code central_weight}, weight of the centre's own Gaussian
 * @param centralReferenceAllSpecies {@code central_reference_all_species}: put the centre's Gaussian in every
 *     species channel, not only the centre's own species' channel
 * @param covarianceSigma0 {@code covariance_sigma0}, stored as the last descriptor component
 * @param normalise {@code normalise}: divide the power spectrum by its norm
 * @param basisErrorExponent {@code basis_error_exponent} ε, which sets the basis range r_c + σ√(2ε ln 10)
 * @param speciesZ {@code species_Z}, the atomic numbers of the density channels, in channel order; a single 0
 *     means one channel for every species
 * @param centreZ {@code Z}, the atomic numbers of the centre atoms; a single 0 means every atom
 * @param cutoffDexp {@code cutoff_dexp}, exponent of QUIP's optional radial decay, ≥ 0 (0: no decay)
 * @param cutoffScale {@code cutoff_scale} (Å) of the radial decay, &gt; 0
 * @param cutoffRate {@code cutoff_rate} of the radial decay, ≥ 0
 */
public record SoapParameters(double cutoff, double cutoffTransitionWidth, int nMax, int lMax, double atomSigma,
        double centralWeight, boolean centralReferenceAllSpecies, double covarianceSigma0, boolean normalise,
        double basisErrorExponent, int[] speciesZ, int[] centreZ, int cutoffDexp, double cutoffScale,
        double cutoffRate) implements DescriptorParameters {

    /** Validates every field; throws {@link IllegalArgumentException} naming the gap_fit key. */
    public SoapParameters {
        require(cutoff > 0 && Double.isFinite(cutoff), "cutoff", cutoff, "a positive number of Å");
        require(cutoffTransitionWidth > 0 && cutoffTransitionWidth <= cutoff, "cutoff_transition_width",
                cutoffTransitionWidth, "in (0, cutoff]");
        require(nMax >= 1, "n_max", nMax, "an integer ≥ 1");
        require(lMax >= 0 && lMax <= 30, "l_max", lMax, "an integer in [0, 30]");
        require(atomSigma > 0 && Double.isFinite(atomSigma), "atom_sigma", atomSigma, "a positive number of Å");
        require(Double.isFinite(centralWeight), "central_weight", centralWeight, "a finite number");
        require(Double.isFinite(covarianceSigma0), "covariance_sigma0", covarianceSigma0, "a finite number");
        require(basisErrorExponent > 0, "basis_error_exponent", basisErrorExponent, "a positive number");
        require(cutoffDexp >= 0, "cutoff_dexp", cutoffDexp, "an integer ≥ 0");
        require(cutoffScale > 0, "cutoff_scale", cutoffScale, "a positive number of Å");
        require(cutoffRate >= 0, "cutoff_rate", cutoffRate, "a number ≥ 0");
        speciesZ = speciesZ.clone();
        centreZ = centreZ.clone();
        checkSpecies("species_Z", speciesZ);
        checkSpecies("Z", centreZ);
    }

    private static void checkSpecies(String key, int[] z) {
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
                    throw new IllegalArgumentException(key + "=" + Arrays.toString(z) + " lists " + z[k] + " twice");
                }
            }
        }
    }

    private static void require(boolean ok, String key, Object value, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException("soap: " + key + "=" + value + " is not allowed; must be " + allowed);
        }
    }

    /** @return the number of species channels, {@code n_species} */
    public int nSpecies() {
        return speciesZ.length;
    }

    /** @return a copy of {@code species_Z} */
    @Override
    public int[] speciesZ() {
        return speciesZ.clone();
    }

    /** @return a copy of {@code Z} */
    @Override
    public int[] centreZ() {
        return centreZ.clone();
    }

    /** @return the descriptor dimension: (l_max+1) K(K+1)/2 + 1 with K = n_max·n_species */
    public int dimension() {
        int k = nMax * speciesZ.length;
        return (lMax + 1) * k * (k + 1) / 2 + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SoapParameters p && cutoff == p.cutoff && cutoffTransitionWidth == p.cutoffTransitionWidth
                && nMax == p.nMax && lMax == p.lMax && atomSigma == p.atomSigma && centralWeight == p.centralWeight
                && centralReferenceAllSpecies == p.centralReferenceAllSpecies
                && covarianceSigma0 == p.covarianceSigma0 && normalise == p.normalise
                && basisErrorExponent == p.basisErrorExponent && Arrays.equals(speciesZ, p.speciesZ)
                && Arrays.equals(centreZ, p.centreZ) && cutoffDexp == p.cutoffDexp && cutoffScale == p.cutoffScale
                && cutoffRate == p.cutoffRate;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {cutoff, cutoffTransitionWidth, nMax, lMax, atomSigma, centralWeight})
                * 31 + Arrays.hashCode(speciesZ) * 17 + Arrays.hashCode(centreZ);
    }

    @Override
    public String toString() {
        return "soap cutoff=" + cutoff + " cutoff_transition_width=" + cutoffTransitionWidth + " n_max=" + nMax
                + " l_max=" + lMax + " atom_sigma=" + atomSigma + " central_weight=" + centralWeight
                + " central_reference_all_species=" + (centralReferenceAllSpecies ? "T" : "F")
                + " covariance_sigma0=" + covarianceSigma0 + " normalise=" + (normalise ? "T" : "F")
                + " basis_error_exponent=" + basisErrorExponent + " n_species=" + speciesZ.length
                + " species_Z=" + braces(speciesZ) + " n_Z=" + centreZ.length + " Z=" + braces(centreZ)
                + " cutoff_dexp=" + cutoffDexp + " cutoff_scale=" + cutoffScale + " cutoff_rate=" + cutoffRate;
    }

    static String braces(int[] z) {
        StringBuilder b = new StringBuilder("{");
        for (int k = 0; k < z.length; k++) {
            b.append(k == 0 ? "" : " ").append(z[k]);
        }
        return b.append('}').toString();
    }
}
