package org.soapstone.engine.accuracy;

import org.soapstone.engine.gap.ObservedVariance;
import org.soapstone.engine.gap.PredictiveVariance;
import org.soapstone.engine.structure.Structure;

/**
 * Predicted standard deviations of one frame: per-atom local energy σ (eV, latent) always; when the model has a
 * posterior, the total-energy σ (eV) and each force component's σ (eV/Å, 3N atom-major), either
 * {@link Kind#OBSERVED} (the calibrated spread of reference values around the predictions, with the virial's σ) or
 * {@link Kind#LATENT} (the posterior of the latent function alone); the square roots of {@link PredictiveVariance}'s
 * variances.
 *
 * @param local per-atom local-energy σ (eV, latent)
 * @param energy total-energy σ (eV), NaN without a posterior
 * @param forces force-component σ (eV/Å), null without a posterior
 * @param virial σ of the virial components xx, yy, zz, yz, xz, xy (eV), null unless observed and calibrated
 * @param kind which σ energy and forces are; null without a posterior
 */
public record PredictedSigma(double[] local, double energy, double[] forces, double[] virial, Kind kind) {
    /** Which predictive distribution a σ belongs to. */
    public enum Kind {
        /**
         * Of a reference value: σ² = s_w²·uᵀΣu + s_n²·σ_n², the weight-space posterior plus the fit's noise, scaled
         * as the model's cross-validation found calibrated ({@link org.soapstone.engine.gap.SigmaCalibration}).
         */
        OBSERVED,
        /** Of the latent function: the DTC posterior k** − kᵀK_MM⁻¹k + kᵀΣk, no noise, no calibration. */
        LATENT,
        /**
         * As {@link #OBSERVED}, but each force component's σ is the calibrated per-atom proxy MD computes every step
         * ({@link org.soapstone.engine.gap.ForceSigmaProxy}).
         */
        PROXY
    }

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
     * @param group the frame's config type (for per-group calibration), or null
     * @param kind which σ of energy and forces
     * @return the σ the model gives for them
     */
    public static PredictedSigma of(PredictiveVariance model, Structure s, String group, Kind kind) {
        double[] local = sqrt(model.localVariance(s));
        if (!model.hasPosterior()) {
            return new PredictedSigma(local, Double.NaN, null, null, null);
        }
        if (kind == Kind.LATENT) {
            return new PredictedSigma(local, Math.sqrt(model.energyVariance(s)), sqrt(model.forceVariance(s)), null,
                    kind);
        }
        ObservedVariance v = model.observedVariance(s, group);
        double[] virial = java.util.Arrays.stream(v.virial()).anyMatch(Double::isNaN) ? null : sqrt(v.virial());
        double[] forces = kind == Kind.PROXY ? model.proxyForceVariance(s) : v.forces();
        return new PredictedSigma(local, Math.sqrt(v.energy()), sqrt(forces), virial, kind);
    }

    /** @return whether the total-energy and force σ are known */
    public boolean hasPosterior() {
        return forces != null;
    }

    private static double[] sqrt(double[] variance) {
        double[] s = new double[variance.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.sqrt(Math.max(0, variance[i]));
        }
        return s;
    }
}
