package org.soapstone.engine.accuracy;

import java.util.EnumMap;
import java.util.Map;

/**
 * The errors of one group of frames (one {@code config_type}, or all): an {@link ErrorAccumulator} per
 * {@link Quantity}, the calibration of predicted σ for energies (eV/atom), force components (eV/Å) and virials
 * (eV/atom), and samples
 * of (reference, predicted) points for parity plots (energy per atom in eV/atom, force components in eV/Å).
 */
public final class GroupErrors {
    private final Map<Quantity, ErrorAccumulator> errors = new EnumMap<>(Quantity.class);
    private final Calibration energyCalibration;
    private final Calibration forceCalibration;
    private final Calibration virialCalibration;
    private final Points energyParity;
    private final Points forceParity;

    /** @param plotPoints the most points kept for each plot (0: none) */
    GroupErrors(int plotPoints) {
        for (Quantity q : Quantity.values()) {
            errors.put(q, new ErrorAccumulator());
        }
        energyCalibration = new Calibration(new Points(plotPoints));
        forceCalibration = new Calibration(new Points(plotPoints));
        virialCalibration = new Calibration(new Points(plotPoints));
        energyParity = new Points(plotPoints);
        forceParity = new Points(plotPoints);
    }

    /** @return the errors of a quantity, in its accumulated unit (see {@link Quantity}) */
    public ErrorAccumulator errors(Quantity q) {
        return errors.get(q);
    }

    /** @return the calibration of the predicted energy σ, per atom (eV/atom) */
    public Calibration energyCalibration() {
        return energyCalibration;
    }

    /** @return the calibration of the predicted force-component σ (eV/Å) */
    public Calibration forceCalibration() {
        return forceCalibration;
    }

    /** @return the calibration of the predicted virial σ, per atom (eV/atom) */
    public Calibration virialCalibration() {
        return virialCalibration;
    }

    /** @return the calibration of a quantity's σ (null for stress, whose σ is the virial's) */
    public Calibration calibration(Quantity q) {
        return switch (q) {
            case ENERGY -> energyCalibration;
            case FORCES -> forceCalibration;
            case VIRIAL -> virialCalibration;
            case STRESS -> null;
        };
    }

    /** @return (reference, predicted) energy per atom (eV/atom) */
    public Points energyParity() {
        return energyParity;
    }

    /** @return (reference, predicted) force components (eV/Å) */
    public Points forceParity() {
        return forceParity;
    }
}
