package org.soapstone.engine.gap;

import java.util.Optional;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.SumCalculator;
import org.soapstone.engine.structure.Structure;

/**
 * A model that estimates the uncertainty of its predictions for a structure: predictive variances of the per-atom
 * local energies, of the total energy and of the force components. Imported gap_fit models know only QUIP's
 * {@code local_gap_variance} (the projected-process prior variance over the sparse set); models fitted by Soapstone
 * carry the full sparse-GP posterior (Deringer et al., Chem. Rev. 121, 10073 (2021), sec. 3) and give all three.
 * Implemented by {@link GapCalculator}.
 */
public interface PredictiveVariance {
    /**
     * The uncertainty of a calculator's predictions: the calculator itself if it is a model with one, else the first
     * member of a {@link SumCalculator} that is (a GAP on a deterministic baseline such as ZBL: the sum is uncertain
     * only through the model).
     *
     * @return the variance source, or empty if the calculator has none
     */
    static Optional<PredictiveVariance> of(Calculator calculator) {
        if (calculator instanceof PredictiveVariance pv) {
            return Optional.of(pv);
        }
        if (calculator instanceof SumCalculator sum) {
            for (Calculator c : sum.members()) {
                if (c instanceof PredictiveVariance pv) {
                    return Optional.of(pv);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param structure the atoms (positions Å)
     * @return one variance per atom of its local energy (eV²)
     */
    double[] localVariance(Structure structure);

    /** @return whether {@link #energyVariance} and {@link #forceVariance} are available (a posterior is known) */
    boolean hasPosterior();

    /**
     * @param structure the atoms (positions Å)
     * @return the variance of the total energy (eV²), covariances between atoms included
     * @throws UnsupportedOperationException if {@link #hasPosterior()} is false
     */
    double energyVariance(Structure structure);

    /**
     * @param structure the atoms (positions Å)
     * @return the variance of each force component (eV²/Å²), 3N values atom-major
     * @throws UnsupportedOperationException if {@link #hasPosterior()} is false
     */
    double[] forceVariance(Structure structure);
}
