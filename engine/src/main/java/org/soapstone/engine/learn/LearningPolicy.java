package org.soapstone.engine.learn;

/**
 * When the learner calls the reference and how its sparse set grows.
 *
 * @param stdTolerance the largest per-atom local-energy standard deviation (eV) tolerated; above it the reference
 *     is called; {@link Double#POSITIVE_INFINITY} leaves the decision to {@code forceTolerance}
 * @param minStepsBetweenCalls the fewest MD steps between two reference calls (≥ 1)
 * @param pointsPerCall the most uncertain atoms' environments added as sparse points per call (≥ 0)
 * @param maxSparsePoints the cap on the sparse set; at the cap, calls still add training data
 * @param checkEvery steps between σ checks (≥ 1): the σ of a check step come with its forces, from the same
 *     descriptor pass, at the cost of one triangular product per block of atoms; other steps skip it
 * @param reoptimiseEvery every this many reference calls, re-optimise δ and the σ of each observation kind on all
 *     frames seen ({@link Reoptimisation}); 0 never
 * @param forceTolerance the largest force σ (eV/Å, an atom's largest component's) tolerated on a check step, the
 *     exact observed σ of the current model
 *     ({@link org.soapstone.engine.evaluator.FastGapCalculator.ForceSigma#EXACT}), calibrated by cross-validation on
 *     the learner's frames ({@link LearnerCalibration}); above it the reference is called; while the model has no
 *     cross-validated calibration (fewer than {@link LearnerCalibration#MIN_FRAMES} frames, and none from a starting
 *     model) every check step calls it; 0 for no force trigger (FLARE's habit is a force tolerance)
 */
public record LearningPolicy(double stdTolerance, int minStepsBetweenCalls, int pointsPerCall, int maxSparsePoints,
        int checkEvery, int reoptimiseEvery, double forceTolerance) {

    /** Validates. */
    public LearningPolicy {
        if (!(stdTolerance > 0) || Double.isNaN(stdTolerance)) {
            throw new IllegalArgumentException("the σ tolerance must be positive (eV), got " + stdTolerance);
        }
        if (!(forceTolerance >= 0) || !Double.isFinite(forceTolerance)) {
            throw new IllegalArgumentException("the force σ tolerance must be finite and ≥ 0 (eV/Å; 0 for none), got "
                    + forceTolerance);
        }
        if (Double.isInfinite(stdTolerance) && forceTolerance == 0) {
            throw new IllegalArgumentException("no tolerance: give a local-energy σ tolerance or a force σ one");
        }
        if (minStepsBetweenCalls < 1 || pointsPerCall < 0 || maxSparsePoints < 1 || checkEvery < 1
                || reoptimiseEvery < 0) {
            throw new IllegalArgumentException("need min steps between calls ≥ 1, points per call ≥ 0, sparse cap ≥ 1,"
                    + " check interval ≥ 1, re-optimisation interval ≥ 0; got " + minStepsBetweenCalls + ", "
                    + pointsPerCall + ", " + maxSparsePoints + ", " + checkEvery + ", " + reoptimiseEvery);
        }
    }

    /** A policy without a force tolerance. */
    public LearningPolicy(double stdTolerance, int minStepsBetweenCalls, int pointsPerCall, int maxSparsePoints,
            int checkEvery, int reoptimiseEvery) {
        this(stdTolerance, minStepsBetweenCalls, pointsPerCall, maxSparsePoints, checkEvery, reoptimiseEvery, 0);
    }
}
