package org.soapstone.engine.calculator;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The output of a {@link Calculator}: caller-owned storage reused from call to call (no allocation when the
 * atom count stays the same).
 *
 * <p>Units and conventions: {@link #energy} eV; {@link #forces} eV/Å, 3 per atom, atom-major; {@link #stress}
 * eV/Å³ as ASE defines it, σ = (1/V) ∂E/∂ε, in Voigt order xx, yy, zz, yz, xz, xy; {@link #energies} eV per
 * atom. The virial W = −σV (eV) is given by {@link #virial(double)}.
 */
public final class CalculationResults {
    /** Total energy (eV). */
    public double energy;
    /** Forces (eV/Å), 3 per atom. */
    public double[] forces = new double[0];
    /** Stress (eV/Å³), Voigt order xx, yy, zz, yz, xz, xy, ASE sign. */
    public final double[] stress = new double[6];
    /** Per-atom energies (eV). */
    public double[] energies = new double[0];
    private final EnumSet<Property> computed = EnumSet.noneOf(Property.class);

    /** Sizes the arrays for {@code atoms} atoms, zeroes every value and forgets what was computed. */
    public void reset(int atoms) {
        energy = 0;
        if (forces.length != 3 * atoms) {
            forces = new double[3 * atoms];
        } else {
            Arrays.fill(forces, 0);
        }
        if (energies.length != atoms) {
            energies = new double[atoms];
        } else {
            Arrays.fill(energies, 0);
        }
        Arrays.fill(stress, 0);
        computed.clear();
    }

    /** Records that {@code p} now holds a computed value. */
    public void markComputed(Set<Property> p) {
        computed.addAll(p);
    }

    /** @return true if {@code p} was computed by the last calculation */
    public boolean has(Property p) {
        return computed.contains(p);
    }

    /** @return the properties computed by the last calculation */
    public Set<Property> computed() {
        return EnumSet.copyOf(computed);
    }

    /**
     * Checks that every computed value is finite.
     *
     * @throws NonFiniteResultException naming the energy, the stress and the atoms (1-based; the first five) whose
     *     forces or per-atom energies are NaN or infinite, e.g. "the forces on atoms 1, 2 are not finite"
     */
    public void requireFinite() {
        if (!(has(Property.ENERGY) && !Double.isFinite(energy) || has(Property.FORCES) && !allFinite(forces)
                || has(Property.ENERGIES) && !allFinite(energies) || has(Property.STRESS) && !allFinite(stress))) {
            return;
        }
        StringBuilder problems = new StringBuilder();
        if (has(Property.ENERGY) && !Double.isFinite(energy)) {
            problems.append("the energy is ").append(energy).append(" eV");
        }
        if (has(Property.FORCES)) {
            nonFiniteAtoms(forces, 3, "force", "forces", problems);
        }
        if (has(Property.ENERGIES)) {
            nonFiniteAtoms(energies, 1, "per-atom energy", "per-atom energies", problems);
        }
        if (has(Property.STRESS) && !allFinite(stress)) {
            problems.append(problems.isEmpty() ? "" : "; ").append("the stress is not finite");
        }
        throw new NonFiniteResultException(problems.toString());
    }

    /** @return whether every value is finite (allocates nothing: MD checks every step) */
    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends "the force on atom 2 is not finite" or "the forces on atoms 1, 2, 5 (and 7 more) are not finite" if
     * any of {@code values}' atoms is not.
     */
    private static void nonFiniteAtoms(double[] values, int perAtom, String one, String many, StringBuilder problems) {
        final int shown = 5;
        StringBuilder atoms = new StringBuilder();
        int count = 0;
        for (int a = 0; a < values.length / perAtom; a++) {
            for (int k = 0; k < perAtom; k++) {
                if (!Double.isFinite(values[a * perAtom + k])) {
                    if (count++ < shown) {
                        atoms.append(count > 1 ? ", " : "").append(a + 1);
                    }
                    break;
                }
            }
        }
        if (count > 0) {
            problems.append(problems.isEmpty() ? "the " : "; the ").append(count > 1 ? many + " on atoms " : one
                    + " on atom ").append(atoms).append(count > shown ? " (and " + (count - shown) + " more)" : "")
                    .append(count > 1 ? " are" : " is").append(" not finite");
        }
    }

    /**
     * @param volume the cell volume (Å³)
     * @return the virial W = −σV as a row-major symmetric 3×3 matrix (eV)
     */
    public double[] virial(double volume) {
        return voigtToMatrix(stress, -volume);
    }

    /** @return the stress as a row-major symmetric 3×3 matrix (eV/Å³) */
    public double[] stressMatrix() {
        return voigtToMatrix(stress, 1.0);
    }

    /** @return the 3×3 row-major matrix of a Voigt 6-vector (xx, yy, zz, yz, xz, xy) times {@code scale} */
    public static double[] voigtToMatrix(double[] v, double scale) {
        return new double[] {
            scale * v[0], scale * v[5], scale * v[4],
            scale * v[5], scale * v[1], scale * v[3],
            scale * v[4], scale * v[3], scale * v[2]
        };
    }

    /** @return the Voigt 6-vector (xx, yy, zz, yz, xz, xy) of a 3×3 row-major matrix, symmetrised, times scale */
    public static double[] matrixToVoigt(double[] m, double scale) {
        return new double[] {
            scale * m[0], scale * m[4], scale * m[8],
            scale * 0.5 * (m[5] + m[7]), scale * 0.5 * (m[2] + m[6]), scale * 0.5 * (m[1] + m[3])
        };
    }
}
