package org.soapstone.engine.learn;

import org.soapstone.engine.fit.Sigmas;

/**
 * When the learner calls the reference and how its sparse set grows.
 *
 * @param stdTolerance the largest per-atom local-energy standard deviation (eV) tolerated; above it the reference
 *     is called
 * @param minStepsBetweenCalls the fewest MD steps between two reference calls (≥ 1)
 * @param pointsPerCall the most uncertain atoms' environments added as sparse points per call (≥ 0)
 * @param maxSparsePoints the cap on the sparse set; at the cap, calls still add training data
 * @param checkEvery steps between σ checks (≥ 1): each check costs a descriptor evaluation without gradients and a
 *     triangular solve per atom, about half a GAP force call
 */
public record LearningPolicy(double stdTolerance, int minStepsBetweenCalls, int pointsPerCall, int maxSparsePoints,
        int checkEvery) {

    /** Validates. */
    public LearningPolicy {
        if (!(stdTolerance > 0) || !Double.isFinite(stdTolerance)) {
            throw new IllegalArgumentException("the σ tolerance must be positive and finite (eV), got " + stdTolerance);
        }
        if (minStepsBetweenCalls < 1 || pointsPerCall < 0 || maxSparsePoints < 1 || checkEvery < 1) {
            throw new IllegalArgumentException("need min steps between calls ≥ 1, points per call ≥ 0, sparse cap ≥ 1,"
                    + " check interval ≥ 1; got " + minStepsBetweenCalls + ", " + pointsPerCall + ", " + maxSparsePoints
                    + ", " + checkEvery);
        }
    }

    /**
     * A policy whose tolerance is {@code factor} times the per-atom energy noise σ_E of the fit.
     *
     * @param factor the multiple of the energy σ (> 0)
     * @param sigmas the fit's σ; {@code energy} is per atom (eV), gap_fit's {@code sigma_per_atom}
     */
    public static LearningPolicy relativeToNoise(double factor, Sigmas sigmas, int minStepsBetweenCalls,
            int pointsPerCall, int maxSparsePoints, int checkEvery) {
        return new LearningPolicy(factor * sigmas.energy(), minStepsBetweenCalls, pointsPerCall, maxSparsePoints,
                checkEvery);
    }
}
