package org.soapstone.engine.learn;

import java.util.Map;
import org.soapstone.engine.fit.CalibrationSettings;
import org.soapstone.engine.fit.CrossValidatedFit;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.IncrementalGapFit;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.gap.SigmaCalibration;

/**
 * The error-bar calibration of a model learnt on the fly, from its own labelled frames: the K-fold
 * cross-validation of {@code soapstone fit} ({@link CrossValidatedFit}, {@link SigmaCalibration.Method#SCALE}: the
 * learner's frames have no config types) on the fit's frames, sparse points, δ and σ, the frames dealt to
 * {@value #FOLDS} folds at random with seed {@value #SEED} (gap_fit's default {@code rnd_seed}, as {@code fit}
 * deals them), and each fold's fit without the sparse points the learner took from its held-out frames
 * ({@link CalibrationSettings#heldOutPointsOut()}: the learner takes its points from the very environments it was
 * least sure of, and a fold that kept them would find those frames far easier than a new one). The scales s_w, s_n of σ² = s_w²·uᵀΣu + s_n²·σ_n² then make the model's observed σ (energies,
 * forces, virials; and the per-atom force proxy) calibrated on the data it has seen, and a force tolerance a
 * statement about force errors.
 *
 * <p>With fewer than {@value #MIN_FRAMES} frames (two per fold) there is nothing to cross-validate: the model carries
 * the uncalibrated predictive of its σ (s_w = s_n = 1, {@link SigmaCalibration.Method#NONE}). The calibration is
 * refreshed by {@link #due} (after every call while frames are few, then every 2, 4, 8… calls as they double, so
 * the total cost stays linear in the frames) and after every re-optimisation (the σ_n it records change).
 *
 * <p>Reference: Musil et al., J. Chem. Theory Comput. 15, 906 (2019) (calibrating GP error bars by resampling).
 */
public final class LearnerCalibration {
    /** K of the K-fold cross-validation. */
    public static final int FOLDS = CalibrationSettings.DEFAULT_FOLDS;
    /** The seed of the deal of frames to folds. */
    public static final long SEED = 1;
    /** The fewest frames calibrated: two per fold. */
    public static final int MIN_FRAMES = 2 * FOLDS;
    /** Below this many frames the calibration is refreshed after every call. */
    private static final int EVERY_CALL_BELOW = 32;

    private LearnerCalibration() {
    }

    /**
     * Whether a model of {@code frames} frames is calibrated anew: at every count from {@value #MIN_FRAMES} up to
     * 31, then at every even count up to 63, every fourth up to 127, and so on.
     *
     * @param frames the training frames of the model
     * @return whether to calibrate now
     */
    public static boolean due(int frames) {
        if (frames < MIN_FRAMES) {
            return false;
        }
        int every = Math.max(1, Integer.highestOneBit(frames / (EVERY_CALL_BELOW / 2)));
        return frames % every == 0;
    }

    /**
     * The calibration of the fit's current model: cross-validated on its frames if there are at least
     * {@value #MIN_FRAMES}, else {@link #uncalibrated}.
     *
     * @param fit the incremental fit (terms, frames with their σ, e0, jitter)
     * @param sigmas the σ the fit's frames were labelled with (gap_fit's default_sigma, per atom for energies and
     *     virials)
     * @param threads worker threads
     * @return the calibration
     */
    public static SigmaCalibration of(IncrementalGapFit fit, Sigmas sigmas, int threads) {
        if (fit.frames().size() < MIN_FRAMES) {
            return uncalibrated(sigmas);
        }
        CalibrationSettings settings = new CalibrationSettings(SigmaCalibration.Method.SCALE, FOLDS, SEED,
                CalibrationSettings.DEFAULT_ROW_BUDGET, CalibrationSettings.DEFAULT_MIN_GROUP_FRAMES, true,
                Map.of(SigmaCalibration.DEFAULT_GROUP, noise(sigmas)), true);
        return CrossValidatedFit.fit(fit.label(), fit.e0(), fit.terms(), fit.frames(), fit.jitter(), threads,
                FitListener.NONE, settings).model().calibration();
    }

    /**
     * The uncalibrated predictive of a model fitted with {@code sigmas}: s_w = s_n = 1.
     *
     * @param sigmas the frames' σ (per atom for energies and virials)
     * @return the calibration record
     */
    public static SigmaCalibration uncalibrated(Sigmas sigmas) {
        return SigmaCalibration.none(true, Map.of(SigmaCalibration.DEFAULT_GROUP, noise(sigmas)));
    }

    private static SigmaCalibration.Noise noise(Sigmas s) {
        return new SigmaCalibration.Noise(s.energy(), s.force(), s.virial());
    }
}
