package org.soapstone.engine.learn;

import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.structure.Structure;

/**
 * Told of every reference call, to save the data as it comes (so a crash loses nothing), and of every periodic
 * re-optimisation of the hyperparameters and calibration of the error bars (before the {@link #updated} of the same
 * call).
 */
public interface LearnListener {
    /** Does nothing. */
    LearnListener NONE = (event, labelled, model) -> { };

    /**
     * @param event what was decided
     * @param labelled a copy of the structure with the reference's {@code energy} (eV), {@code forces} (eV/Å)
     *     and, when computed, {@code stress} (eV/Å³, 3×3, ASE's sign), and {@code step}
     * @param model the model after the update, with its posterior
     */
    void updated(LearnerEvent event, Structure labelled, GapModel model);

    /**
     * The hyperparameters were re-optimised ({@link LearningPolicy#reoptimiseEvery()}); the model given to the next
     * {@link #updated} is the re-optimised one. Does nothing by default.
     *
     * @param r the values before and after
     */
    default void reoptimised(Reoptimisation r) {
    }

    /**
     * The model's error bars were calibrated anew on its frames ({@link LearnerCalibration}); the model given to the
     * next {@link #updated} carries it. Does nothing by default.
     *
     * @param calibration the calibration
     * @param frames the frames it was cross-validated on
     */
    default void calibrated(SigmaCalibration calibration, int frames) {
    }
}
