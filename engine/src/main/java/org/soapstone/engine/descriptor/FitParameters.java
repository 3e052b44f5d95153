package org.soapstone.engine.descriptor;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The fitting keys of one gap_fit descriptor string ({@code gap_fit_parse_gap_str} in GAP's
 * {@code gap_fit_module.f95}), with gap_fit's defaults. Keys gap_fit requires ({@code energy_scale}/{@code delta},
 * {@code covariance_type}) are optional here so that descriptor-only strings parse; {@link #requireForFit()}
 * checks them.
 *
 * @param delta {@code energy_scale} / {@code delta}, δ (eV)
 * @param f0 {@code f0}, the GP mean (eV)
 * @param nSparse {@code n_sparse}
 * @param configTypeNSparse {@code config_type_n_sparse}, e.g. {@code {bulk:50:surface:100}}, "" if absent
 * @param sparseMethod {@code sparse_method}
 * @param lengthscaleFactor {@code lengthscale_factor} / {@code theta_fac}, one or one per dimension
 * @param thetaUniform {@code lengthscale_uniform} / {@code theta_uniform} (descriptor units)
 * @param thetaFile {@code lengthscale_file} / {@code theta_file}, "" if absent
 * @param sparseFile {@code sparse_file}, "" if absent
 * @param markSparseAtoms {@code mark_sparse_atoms}
 * @param addSpecies {@code add_species}: expand this string into one per species (combination)
 * @param covarianceType {@code covariance_type}
 * @param zeta {@code soap_exponent} / {@code zeta}, ζ of the dot-product kernel
 * @param printSparseIndex {@code print_sparse_index}, "" if absent
 * @param uniqueHashTolerance {@code unique_hash_tolerance}
 * @param uniqueDescriptorTolerance {@code unique_descriptor_tolerance}
 */
public record FitParameters(OptionalDouble delta, double f0, int nSparse, String configTypeNSparse,
        SparseMethod sparseMethod, double[] lengthscaleFactor, OptionalDouble thetaUniform, String thetaFile,
        String sparseFile, boolean markSparseAtoms, boolean addSpecies, Optional<CovarianceType> covarianceType,
        OptionalDouble zeta, String printSparseIndex, double uniqueHashTolerance,
        double uniqueDescriptorTolerance) {

    /** Validates; throws {@link DescriptorStringException} naming the key. */
    public FitParameters {
        if (nSparse < 0) {
            throw new DescriptorStringException("n_sparse=" + nSparse + " is not allowed; must be an integer ≥ 0");
        }
        if (delta.isPresent() && !(delta.getAsDouble() >= 0)) {
            throw new DescriptorStringException("delta=" + delta.getAsDouble() + " is not allowed; must be ≥ 0");
        }
        if (zeta.isPresent() && !(zeta.getAsDouble() > 0)) {
            throw new DescriptorStringException("zeta=" + zeta.getAsDouble() + " is not allowed; must be > 0");
        }
        if (thetaUniform.isPresent() && !(thetaUniform.getAsDouble() >= 0)) {
            throw new DescriptorStringException("theta_uniform=" + thetaUniform.getAsDouble()
                    + " is not allowed; must be ≥ 0");
        }
        lengthscaleFactor = lengthscaleFactor.clone();
    }

    /** @return a copy of {@code lengthscale_factor} */
    @Override
    public double[] lengthscaleFactor() {
        return lengthscaleFactor.clone();
    }

    /**
     * Checks the keys gap_fit requires to fit.
     *
     * @throws DescriptorStringException naming the first missing key
     */
    public void requireForFit() {
        if (delta.isEmpty()) {
            throw new DescriptorStringException("energy_scale (or delta) is missing; gap_fit requires it");
        }
        if (covarianceType.isEmpty()) {
            throw new DescriptorStringException(
                    "covariance_type is missing; gap_fit requires it (gaussian, ard_se, dot_product, bond_real_space, pp)");
        }
    }
}
