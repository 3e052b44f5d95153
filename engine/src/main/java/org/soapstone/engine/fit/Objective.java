package org.soapstone.engine.fit;

import java.util.Locale;
import java.util.Objects;

/**
 * What a hyperparameter search minimises: the K-fold cross-validation MAE of energies per atom, of force components,
 * or both, each divided by a reference error so that the two are comparable — the published errors of a model, or by
 * default the cross-validation errors of the starting settings (then the loss of the start is 1).
 * {@link Target#BOTH} is the mean of the two ratios: a loss of 0.9 means the two errors are 10 % smaller on average;
 * {@link Target#WORST} the larger: a loss of 0.9 means each error is at least 10 % smaller.
 *
 * @param target which errors count
 * @param energyReference the energy MAE that counts as 1 (eV/atom, &gt; 0)
 * @param forceReference the force-component MAE that counts as 1 (eV/Å, &gt; 0)
 */
public record Objective(Target target, double energyReference, double forceReference) {

    /** Which errors count. */
    public enum Target {
        /** Energy per atom only. */
        ENERGY,
        /** Force components only. */
        FORCES,
        /** The mean of the energy and force ratios. */
        BOTH,
        /** The larger of the energy and force ratios. */
        WORST;

        /** @return the name as the command line spells it */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Objective {
        Objects.requireNonNull(target, "target");
        if (!(energyReference > 0) || !(forceReference > 0) || !Double.isFinite(energyReference)
                || !Double.isFinite(forceReference)) {
            throw new FitSettingsException("the reference errors of the objective must be finite and > 0, got "
                    + energyReference + " eV/atom and " + forceReference + " eV/Å");
        }
    }

    /**
     * The objective normalised by errors measured at the start; a quantity that was not measured (no energies, no
     * forces) counts as 1.
     */
    public static Objective normalisedBy(Target target, CvErrors start) {
        double e = start.energyCount() > 0 && start.energy() > 0 ? start.energy() : 1.0;
        double f = start.forceCount() > 0 && start.force() > 0 ? start.force() : 1.0;
        return new Objective(target, e, f);
    }

    /**
     * @param errors cross-validation errors
     * @return the loss (dimensionless; a quantity without rows does not count)
     */
    public double loss(CvErrors errors) {
        boolean e = errors.energyCount() > 0;
        boolean f = errors.forceCount() > 0;
        double re = errors.energy() / energyReference;
        double rf = errors.force() / forceReference;
        return switch (target) {
            case ENERGY -> e ? re : Double.NaN;
            case FORCES -> f ? rf : Double.NaN;
            case BOTH -> e && f ? 0.5 * (re + rf) : e ? re : f ? rf : Double.NaN;
            case WORST -> e && f ? Math.max(re, rf) : e ? re : f ? rf : Double.NaN;
        };
    }

    /**
     * K-fold cross-validation errors: each held-out row predicted by the fit on the other folds.
     *
     * @param energy MAE of the energies per atom (eV/atom)
     * @param force MAE of the force components (eV/Å)
     * @param energyCount energies compared
     * @param forceCount force components compared
     */
    public record CvErrors(double energy, double force, long energyCount, long forceCount) {
    }
}
