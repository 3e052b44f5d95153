package org.soapstone.engine.tune;

import java.nio.file.Path;
import java.util.Objects;
import org.soapstone.engine.fit.CalibrationSettings;
import org.soapstone.engine.fit.FitSettings;
import org.soapstone.engine.fit.FitSettingsException;
import org.soapstone.engine.fit.Objective;

/**
 * What a search does.
 *
 * @param start the starting settings, a gap_fit command line (its descriptor kinds and {@code n_sparse} are kept)
 * @param workingDirectory the directory the command line was given in
 * @param space the descriptor settings searched
 * @param target the errors the loss counts
 * @param energyReference the energy MAE (eV/atom) that counts as 1, or NaN for the start's cross-validation error
 * @param forceReference the force MAE (eV/Å) that counts as 1, or NaN for the start's cross-validation error
 * @param folds K of the K-fold cross-validation (≥ 2)
 * @param fits the most trials, the start included (0: no limit)
 * @param budgetSeconds the wall time of the search and the final fit (s; 0: no limit)
 * @param innerEvaluations the cap on the evaluations of each trial's σ and δ search (≥ 1)
 * @param strategySigma the evolution strategy's initial step, as a fraction of each setting's range (0, 1]
 * @param threads worker threads
 * @param log the trial log (the search's state)
 */
public record TuneSettings(FitSettings start, Path workingDirectory, SearchSpace space, Objective.Target target,
        double energyReference, double forceReference, int folds, int fits, double budgetSeconds,
        int innerEvaluations, double strategySigma, int threads, Path log) {

    public TuneSettings {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(log, "log");
        if (folds < 2) {
            throw new FitSettingsException("--folds " + folds + " is not allowed; cross-validation needs at least 2");
        }
        if (fits < 0 || !(budgetSeconds >= 0) || (fits == 0 && budgetSeconds == 0)) {
            throw new FitSettingsException("give --fits N (≥ 1) or --budget TIME (> 0), or both");
        }
        if (innerEvaluations < 1) {
            throw new FitSettingsException("--inner-evaluations " + innerEvaluations + " is not allowed; it must be ≥ 1");
        }
        if (!(strategySigma > 0 && strategySigma <= 1)) {
            throw new FitSettingsException("--step " + strategySigma + " is not allowed; it must be in (0, 1]");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        boolean e = Double.isNaN(energyReference);
        boolean f = Double.isNaN(forceReference);
        if (e != f || (!e && !(energyReference > 0 && forceReference > 0))) {
            throw new FitSettingsException("--reference-errors needs two positive numbers, the energy (meV/atom) "
                    + "and force (eV/Å) errors the loss is normalised by");
        }
    }

    /** @return the seed of the folds, the sparse points and the evolution strategy (rnd_seed, else 1) */
    public long seed() {
        return start.rndSeed() >= 0 ? start.rndSeed() : 1;
    }

    /** @return the fewest frames of a config type with σ of its own */
    public int minGroupFrames() {
        return CalibrationSettings.DEFAULT_MIN_GROUP_FRAMES;
    }
}
