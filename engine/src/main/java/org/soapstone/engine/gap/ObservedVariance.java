package org.soapstone.engine.gap;

/**
 * Calibrated observed-value predictive variances of one frame (see {@link SigmaCalibration}): what the reference
 * values of a frame scatter by around the model's predictions.
 *
 * @param energy of the total energy (eV²)
 * @param forces of each force component (eV²/Å², 3N atom-major)
 * @param virial of the virial components W_xx, W_yy, W_zz, W_yz, W_xz, W_xy (eV², W = −stress × volume); NaN
 *     where the model's cross-validation had no virial data to calibrate them
 */
public record ObservedVariance(double energy, double[] forces, double[] virial) {
    public ObservedVariance {
        if (forces == null || virial == null || virial.length != 6 || forces.length % 3 != 0) {
            throw new IllegalArgumentException("observed variances need 3N force and 6 virial components");
        }
    }
}
