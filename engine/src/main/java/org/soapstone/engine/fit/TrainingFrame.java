package org.soapstone.engine.fit;

import org.soapstone.engine.structure.Structure;

/**
 * One frame of a training file with the data gap_fit fits to and their expected errors σ, resolved with gap_fit's
 * rules ({@code fit_data_from_xyz} in GAP's {@code gap_fit_module.f95}; see {@link TrainingSet}). An observation
 * enters the sparse GP with variance σ²; σ = +∞ marks a value that is not fitted. The arrays are the frame's own
 * (not copied): do not modify them.
 *
 * @param index 0-based frame number in the file
 * @param line 1-based line of the frame's first (atom count) line
 * @param structure the frame as read
 * @param configType the frame's config type, {@code default} if it has none
 * @param energy total energy (eV) as read, e0 not subtracted; NaN if the frame has none
 * @param energySigma σ of the energy (eV, absolute: per-atom σ already times √N); NaN if no energy
 * @param forces forces (eV/Å), 3 per atom, atom-major; null if the frame has none
 * @param forceSigma σ per force component (eV/Å), 3 per atom; +∞ for atoms excluded by the force mask; null with
 *     {@code forces}
 * @param virial virial (eV), 3×3 row-major, symmetrised as gap_fit does; from the virial key or −stress × volume;
 *     null if the frame has neither
 * @param virialSigma σ per virial component (eV, absolute), 3×3 row-major, symmetric; null with {@code virial}
 */
public record TrainingFrame(int index, int line, Structure structure, String configType, double energy,
        double energySigma, double[] forces, double[] forceSigma, double[] virial, double[] virialSigma) {

    /** Checks that the arrays have the lengths the structure implies. */
    public TrainingFrame {
        int n = structure.size();
        if ((forces == null) != (forceSigma == null)) {
            throw new IllegalArgumentException("forces and forceSigma must both be given or both be null");
        }
        if (forces != null && (forces.length != 3 * n || forceSigma.length != 3 * n)) {
            throw new IllegalArgumentException("forces and forceSigma need 3 values per atom (" + 3 * n + ")");
        }
        if ((virial == null) != (virialSigma == null)) {
            throw new IllegalArgumentException("virial and virialSigma must both be given or both be null");
        }
        if (virial != null && (virial.length != 9 || virialSigma.length != 9)) {
            throw new IllegalArgumentException("virial and virialSigma need 9 values");
        }
    }

    /** @return true if the frame has an energy */
    public boolean hasEnergy() {
        return !Double.isNaN(energy);
    }

    /** @return the number of force components that are fitted (finite σ) */
    public int fittedForceComponents() {
        int count = 0;
        if (forceSigma != null) {
            for (double s : forceSigma) {
                if (s != Double.POSITIVE_INFINITY) {
                    count++;
                }
            }
        }
        return count;
    }
}
