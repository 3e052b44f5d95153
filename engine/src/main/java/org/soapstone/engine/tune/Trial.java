package org.soapstone.engine.tune;

import org.soapstone.engine.fit.NoiseSearch;
import org.soapstone.engine.fit.Objective;

/**
 * One trial of a search: descriptor settings, fitted by K-fold cross-validation with the σ and δ its inner loop chose.
 *
 * @param index 0 for the start, then in the order tried
 * @param values the searched settings, one per {@link SearchSpace#dimensions()} entry
 * @param cv the cross-validation errors with the σ and δ chosen
 * @param loss the objective's loss there ({@link Double#POSITIVE_INFINITY} if the trial failed)
 * @param startCv the cross-validation errors of these descriptor settings with the starting σ and δ
 * @param factors the σ and δ factors chosen (relative to the starting settings)
 * @param evaluations the inner loop's evaluations
 * @param seconds the trial's wall time (s)
 * @param passSeconds of which the descriptors, sparse points and the pass over the frames (s)
 * @param failure why the trial failed, or empty
 */
public record Trial(int index, double[] values, Objective.CvErrors cv, double loss, Objective.CvErrors startCv,
        NoiseSearch.Factors factors, int evaluations, double seconds, double passSeconds, String failure) {

    public Trial {
        values = values.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /** @return whether the trial was fitted */
    public boolean ok() {
        return failure.isEmpty();
    }
}
