package org.soapstone.engine.learn;

import org.soapstone.engine.fit.Sigmas;

/**
 * One periodic re-optimisation of the learner's hyperparameters: δ of each term and the σ of each observation kind
 * chosen by maximising the log marginal likelihood on every frame seen
 * ({@link org.soapstone.gp.HyperparameterOptimiser}); the incremental fit carries on from the re-optimised model.
 *
 * @param step the MD step of the reference call after which it ran
 * @param oldDelta δ of each term before (eV)
 * @param newDelta δ of each term after (eV)
 * @param oldSigmas the frames' σ before (gap_fit's default_sigma, energy and virial per atom)
 * @param newSigmas the σ after, used for every frame seen and every new one
 * @param oldLogLikelihood ln p(y) before
 * @param newLogLikelihood ln p(y) after
 * @param evaluations likelihood evaluations of the search
 * @param seconds wall time of the re-optimisation (s)
 */
public record Reoptimisation(long step, double[] oldDelta, double[] newDelta, Sigmas oldSigmas, Sigmas newSigmas,
        double oldLogLikelihood, double newLogLikelihood, int evaluations, double seconds) {
    /** Copies the arrays. */
    public Reoptimisation {
        oldDelta = oldDelta.clone();
        newDelta = newDelta.clone();
    }

    @Override
    public double[] oldDelta() {
        return oldDelta.clone();
    }

    @Override
    public double[] newDelta() {
        return newDelta.clone();
    }
}
