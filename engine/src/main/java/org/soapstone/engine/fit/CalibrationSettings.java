package org.soapstone.engine.fit;

import java.util.Map;
import java.util.Objects;
import org.soapstone.engine.gap.SigmaCalibration;

/**
 * What the calibration step of a fit does ({@link CrossValidatedFit}).
 *
 * @param method {@link SigmaCalibration.Method#NONE} (no cross-validation: the fit's own predictive),
 *     {@link SigmaCalibration.Method#SCALE} (one pair of scales per quantity) or {@link SigmaCalibration.Method#GROUP}
 *     (refined per config type with at least {@code minGroupFrames} frames)
 * @param folds K of the K-fold cross-validation (≥ 2); frames are dealt to folds at random within each config type
 * @param seed the seed of that deal
 * @param rowBudget the most bytes of held-out kernel rows kept for the residuals (energy and virial rows first,
 *     then a random sample of force components)
 * @param minGroupFrames the fewest frames of a config type that get their own scale
 * @param noisePerAtom gap_fit's {@code sigma_per_atom}: energy and virial σ per √atom
 * @param noise the fit's σ per config type, with {@value SigmaCalibration#DEFAULT_GROUP}
 * @param heldOutPointsOut whether each fold's fit leaves out the sparse points that are environments of its
 *     held-out frames ({@link HeldOutSparsePoints}), so that those frames are new to it in its sparse set too
 */
public record CalibrationSettings(SigmaCalibration.Method method, int folds, long seed, long rowBudget,
        int minGroupFrames, boolean noisePerAtom, Map<String, SigmaCalibration.Noise> noise,
        boolean heldOutPointsOut) {
    /** The default number of folds. */
    public static final int DEFAULT_FOLDS = 5;
    /** The default budget of held-out rows: 256 MiB. */
    public static final long DEFAULT_ROW_BUDGET = 256L << 20;
    /** The default fewest frames for a config type's own scale. */
    public static final int DEFAULT_MIN_GROUP_FRAMES = 10;

    public CalibrationSettings {
        Objects.requireNonNull(method, "method");
        if (folds < 2) {
            throw new FitSettingsException("--calibration-folds " + folds + " is not allowed; it must be ≥ 2");
        }
        if (rowBudget < 0 || minGroupFrames < 1) {
            throw new IllegalArgumentException("row budget ≥ 0 and group size ≥ 1 needed");
        }
        noise = Map.copyOf(noise);
        if (!noise.containsKey(SigmaCalibration.DEFAULT_GROUP)) {
            throw new IllegalArgumentException("the noise of group 'default' is required");
        }
    }

    /** Settings whose folds keep every sparse point (as {@code soapstone fit} calibrates). */
    public CalibrationSettings(SigmaCalibration.Method method, int folds, long seed, long rowBudget,
            int minGroupFrames, boolean noisePerAtom, Map<String, SigmaCalibration.Noise> noise) {
        this(method, folds, seed, rowBudget, minGroupFrames, noisePerAtom, noise, false);
    }

    /**
     * The settings that record a fit's noise per config type.
     *
     * @param method the method
     * @param folds K
     * @param settings the fit's settings (σ per config type)
     * @param configTypes the config types of the training frames
     * @return the calibration settings
     */
    public static CalibrationSettings of(SigmaCalibration.Method method, int folds, FitSettings settings,
            Iterable<String> configTypes) {
        Map<String, SigmaCalibration.Noise> noise = new java.util.LinkedHashMap<>();
        noise.put(SigmaCalibration.DEFAULT_GROUP, noise(settings.sigmasFor(SigmaCalibration.DEFAULT_GROUP)));
        for (String type : configTypes) {
            noise.putIfAbsent(type, noise(settings.sigmasFor(type)));
        }
        long seed = settings.rndSeed() >= 0 ? settings.rndSeed() : 1;
        return new CalibrationSettings(method, folds, seed, DEFAULT_ROW_BUDGET, DEFAULT_MIN_GROUP_FRAMES,
                settings.sigmaPerAtom(), noise);
    }

    private static SigmaCalibration.Noise noise(Sigmas s) {
        return new SigmaCalibration.Noise(s.energy(), s.force(), s.virial());
    }
}
