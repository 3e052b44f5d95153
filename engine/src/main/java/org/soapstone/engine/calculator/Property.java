package org.soapstone.engine.calculator;

/** A quantity a {@link Calculator} can compute. */
public enum Property {
    /** Total potential energy (eV). */
    ENERGY,
    /** Forces −∂E/∂r on every atom (eV/Å). */
    FORCES,
    /** Stress (1/V) ∂E/∂ε (eV/Å³), ASE's sign (positive = tensile) and Voigt order xx, yy, zz, yz, xz, xy. */
    STRESS,
    /** Per-atom energies (eV), summing to the total energy. */
    ENERGIES
}
