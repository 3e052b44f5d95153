package org.soapstone.engine.fit;

import org.soapstone.engine.structure.Structure;

/**
 * One training configuration with its targets and noise levels (stub; the full reader comes with TrainingSet).
 *
 * @param index 0-based frame number
 * @param line 1-based line of the frame in its file
 * @param structure the atoms
 * @param configType the config type
 * @param energy total energy (eV), NaN if absent
 * @param energySigma σ of the energy (eV)
 * @param forces forces (eV/Å), 3N, or null
 * @param forceSigma σ per force component (eV/Å), 3N; infinite = not fitted
 * @param virial virial (eV), 9 row-major symmetric, or null
 * @param virialSigma σ per virial component (eV), 9
 */
public record TrainingFrame(int index, int line, Structure structure, String configType, double energy,
        double energySigma, double[] forces, double[] forceSigma, double[] virial, double[] virialSigma) {
}
