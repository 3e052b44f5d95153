package org.soapstone.engine.evaluator;

import org.soapstone.engine.gap.VarianceProjection;

/**
 * Settings of a {@link FastGapCalculator}.
 *
 * @param skin the Verlet skin of the neighbour list (Å, ≥ 0): the list is rebuilt only when an atom has moved
 *     more than half of it
 * @param variance whether every calculation also computes each atom's local-energy standard deviation (a
 *     calculation may still ask for it, or not, itself)
 * @param varianceRank the number of eigenpairs of the variance projection kept ({@link VarianceProjection}); 0 keeps
 *     all (exact); a smaller rank gives a cheaper, conservative (never smaller) deviation
 */
public record EvaluatorOptions(double skin, boolean variance, int varianceRank) {
    /** The default skin (Å). */
    public static final double DEFAULT_SKIN = 1.0;

    /** Validates. */
    public EvaluatorOptions {
        if (!(skin >= 0) || Double.isInfinite(skin)) {
            throw new IllegalArgumentException("skin must be a finite distance ≥ 0 Å, got " + skin);
        }
        if (varianceRank < 0) {
            throw new IllegalArgumentException("variance rank must be ≥ 0 (0: all), got " + varianceRank);
        }
    }

    /** @return energies and forces only, default skin */
    public static EvaluatorOptions meanOnly() {
        return new EvaluatorOptions(DEFAULT_SKIN, false, 0);
    }

    /** @return with exact per-atom deviations, default skin */
    public static EvaluatorOptions withVariance() {
        return new EvaluatorOptions(DEFAULT_SKIN, true, 0);
    }

    /** @return these options with the given variance rank (0: exact) */
    public EvaluatorOptions withRank(int rank) {
        return new EvaluatorOptions(skin, true, rank);
    }
}
