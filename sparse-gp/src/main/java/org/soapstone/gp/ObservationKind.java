package org.soapstone.gp;

/** What an observation measures; each kind has its own default noise σ, which {@link HyperparameterOptimiser} tunes. */
public enum ObservationKind {
    /** A total (or local) energy, eV. */
    ENERGY,
    /** A Cartesian force component, eV/Å. */
    FORCE,
    /** A virial component, eV. */
    VIRIAL
}
