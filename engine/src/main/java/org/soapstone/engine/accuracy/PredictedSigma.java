package org.soapstone.engine.accuracy;

import org.soapstone.engine.gap.PredictiveVariance;
import org.soapstone.engine.structure.Structure;

/**
 * Predicted standard deviations of one frame: per-atom local energy σ (eV) always; when the model has a posterior,
 * the total-energy σ (eV) and each force component's σ (eV/Å, 3N atom-major); the square roots of
 * {@link PredictiveVariance}'s variances.
 *
 * @param local per-atom local-energy σ (eV)
 * @param energy total-energy σ (eV), NaN without a posterior
 * @param forces force-component σ (eV/Å), null without a posterior
 */
public record PredictedSigma(double[] local, double energy, double[] forces) {
    public PredictedSigma {
        if (local == null) {
            throw new IllegalArgumentException("the local-energy σ are required");
        }
        if (forces != null && forces.length != 3 * local.length) {
            throw new IllegalArgumentException(forces.length + " force σ for " + local.length + " atoms");
        }
    }

    /**
     * @param model the model's variances
     * @param s the atoms (positions Å)
     * @return the σ the model gives for them
     */
    public static PredictedSigma of(PredictiveVariance model, Structure s) {
        double[] local = sqrt(model.localVariance(s));
        if (!model.hasPosterior()) {
            return new PredictedSigma(local, Double.NaN, null);
        }
        return new PredictedSigma(local, Math.sqrt(model.energyVariance(s)), sqrt(model.forceVariance(s)));
    }

    /** @return whether the total-energy and force σ are known */
    public boolean hasPosterior() {
        return forces != null;
    }

    private static double[] sqrt(double[] variance) {
        double[] s = new double[variance.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.sqrt(variance[i]);
        }
        return s;
    }
}
