package org.soapstone.potentials.lj;

/**
 * Rules that derive unlike-pair Lennard-Jones parameters from the like pairs, as LAMMPS
 * {@code pair_modify mix geometric|arithmetic}. In both, ε_ab = √(ε_aa ε_bb).
 */
public enum LjMixing {
    /** σ_ab = √(σ_aa σ_bb), cutoff_ab = √(rc_aa rc_bb) (LAMMPS's default for {@code lj/cut}). */
    GEOMETRIC,
    /** Lorentz–Berthelot: σ_ab = (σ_aa + σ_bb)/2, cutoff_ab = (rc_aa + rc_bb)/2. */
    ARITHMETIC;

    /** @return the mixed distance (Å) of two like-pair distances (σ or cutoff, Å) */
    double distance(double x, double y) {
        return switch (this) {
            case GEOMETRIC -> Math.sqrt(x * y);
            case ARITHMETIC -> 0.5 * (x + y);
        };
    }
}
