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
 * @param checkEvery steps between σ checks (≥ 1): the σ of a check step come with its forces, from the same
 *     descriptor pass, at the cost of one triangular product per block of atoms; other steps skip it
 * @param reoptimiseEvery every this many reference calls, re-optimise δ and the σ of each observation kind on all
 *     frames seen ({@link Reoptimisation}); 0 never
 */
public record LearningPolicy(double stdTolerance, int minStepsBetweenCalls, int pointsPerCall, int maxSparsePoints,
        int checkEvery, int reoptimiseEvery) {

    /** Validates. */
    public LearningPolicy {
        if (!(stdTolerance > 0) || !Double.isFinite(stdTolerance)) {
            throw new IllegalArgumentException("the σ tolerance must be positive and finite (eV), got " + stdTolerance);
        }
        if (minStepsBetweenCalls < 1 || pointsPerCall < 0 || maxSparsePoints < 1 || checkEvery < 1
                || reoptimiseEvery < 0) {
            throw new IllegalArgumentException("need min steps between calls ≥ 1, points per call ≥ 0, sparse cap ≥ 1,"
                    + " check interval ≥ 1, re-optimisation interval ≥ 0; got " + minStepsBetweenCalls + ", "
                    + pointsPerCall + ", " + maxSparsePoints + ", " + checkEvery + ", " + reoptimiseEvery);
        }
    }

    /**
     * A policy whose tolerance is {@code factor} times the per-atom energy noise σ_E of the fit.
     *
     * @param factor the multiple of the energy σ (> 0)
     * @param sigmas the fit's σ; {@code energy} is per atom (eV), gap_fit's {@code sigma_per_atom}
     */
    public static LearningPolicy relativeToNoise(double factor, Sigmas sigmas, int minStepsBetweenCalls,
            int pointsPerCall, int maxSparsePoints, int checkEvery, int reoptimiseEvery) {
        return new LearningPolicy(factor * sigmas.energy(), minStepsBetweenCalls, pointsPerCall, maxSparsePoints,
                checkEvery, reoptimiseEvery);
    }
}
