package org.soapstone.engine.descriptor;

/**
 * gap_fit's {@code covariance_type}: the kernel of a descriptor's GP. {@code gaussian} and {@code ard_se} both
 * name {@link #ARD_SE}.
 */
public enum CovarianceType {
    /** Squared-exponential with per-component length scales ({@code ard_se}, {@code gaussian}). */
    ARD_SE,
    /** (x·x')^ζ, the SOAP kernel ({@code dot_product}). */
    DOT_PRODUCT,
    /** {@code bond_real_space}. */
    BOND_REAL_SPACE,
    /** Piecewise polynomial ({@code pp}). */
    PP
}
