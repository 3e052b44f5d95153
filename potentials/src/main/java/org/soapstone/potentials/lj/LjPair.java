package org.soapstone.potentials.lj;

import org.soapstone.engine.structure.Element;

/**
 * Lennard-Jones parameters of one species pair (LAMMPS {@code pair_coeff a b epsilon sigma cutoff} for
 * {@code pair_style lj/cut}). For a = b these are also the per-species parameters that mixing rules combine.
 *
 * @param a one species
 * @param b the other species (may equal {@code a})
 * @param epsilon well depth ε (eV), ≥ 0
 * @param sigma the distance σ (Å) where the unshifted energy is zero, &gt; 0
 * @param cutoff the cutoff radius (Å), &gt; 0
 */
public record LjPair(Element a, Element b, double epsilon, double sigma, double cutoff) {
    /** @throws IllegalArgumentException if a parameter is out of range or not finite */
    public LjPair {
        if (a == null || b == null) {
            throw new IllegalArgumentException("LJ pair needs two species");
        }
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("LJ " + a.symbol() + "-" + b.symbol() + ": epsilon must be ≥ 0 eV, got "
                    + epsilon);
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("LJ " + a.symbol() + "-" + b.symbol() + ": sigma must be > 0 Å, got "
                    + sigma);
        }
        if (!(cutoff > 0) || !Double.isFinite(cutoff)) {
            throw new IllegalArgumentException("LJ " + a.symbol() + "-" + b.symbol() + ": cutoff must be > 0 Å, got "
                    + cutoff);
        }
    }

    /** @return true if this pair joins the species {@code x} and {@code y}, in either order */
    public boolean joins(Element x, Element y) {
        return (a.equals(x) && b.equals(y)) || (a.equals(y) && b.equals(x));
    }
}
