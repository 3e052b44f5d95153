package org.soapstone.engine.gap;

import java.util.Optional;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.SumCalculator;
import org.soapstone.engine.structure.Structure;

/**
 * A model that estimates the uncertainty of its predictions for a structure: latent predictive variances of the
 * per-atom local energies, of the total energy and of the force components (the DTC posterior of the latent function,
 * k** − kᵀK_MM⁻¹k + kᵀΣk), and, calibrated, the observed-value variances of energies, forces and virials. Imported gap_fit models know only QUIP's
 * {@code local_gap_variance} (the projected-process prior variance over the sparse set); models fitted by Soapstone
 * carry the full sparse-GP posterior (Deringer et al., Chem. Rev. 121, 10073 (2021), sec. 3) and give all three.
 * Implemented by {@link ReferenceGapCalculator} and by the fast path,
 * {@code org.soapstone.engine.evaluator.FastGapCalculator}.
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

    /**
     * The observed-value predictive: what reference energies, forces and virials scatter by around the predictions,
     * σ² = s_w²·uᵀΣu + s_n²·σ_n² ({@link SigmaCalibration}; the weight-space variance uᵀΣu of the fitted weights and
     * the fit's noise σ_n, scaled as the model's cross-validation found calibrated). A model without a calibration
     * record (written before it) gives uᵀΣu alone.
     *
     * @param structure the atoms (positions Å)
     * @param group the frame's config type for per-group scales and noise, or null (the defaults)
     * @return the variances
     * @throws UnsupportedOperationException if {@link #hasPosterior()} is false (the default)
     */
    default ObservedVariance observedVariance(Structure structure, String group) {
        throw new UnsupportedOperationException("this model has no sparse-GP posterior, so no observed-value σ");
    }

    /**
     * The calibrated force-σ proxy ({@link ForceSigmaProxy}): σ_F² = s_w²·v_a + s_n²·σ_n² for each force component
     * of atom a, v_a the latent local-energy variances summed over its neighbourhood.
     *
     * @param structure the atoms (positions Å)
     * @return the variances (eV²/Å², 3N atom-major)
     * @throws UnsupportedOperationException if this source has no proxy (the default)
     * @throws IllegalStateException if the model's calibration has no proxy
     */
    default double[] proxyForceVariance(Structure structure) {
        throw new UnsupportedOperationException("the force-σ proxy is computed by the fast path (FastGapCalculator)");
    }
}
