package org.soapstone.engine.learn;

/**
 * One decision of the learner: a reference call and the update that followed.
 *
 * @param step the MD step
 * @param maxSigma the largest per-atom local-energy standard deviation before the update (eV); NaN for the
 *     bootstrap call (no model yet)
 * @param atom the atom with that σ (0-based); −1 for the bootstrap
 * @param energyError model energy − reference energy before the update (eV); NaN for the bootstrap
 * @param energyJump model energy after − before the update at the same positions (eV); NaN for the bootstrap
 * @param referenceCalls reference calls so far, this one included
 * @param sparsePoints the size of the sparse set after the update
 * @param frames training frames after the update
 * @param seconds wall time of the update (reference call excluded, s)
 */
public record LearnerEvent(long step, double maxSigma, int atom, double energyError, double energyJump,
        int referenceCalls, int sparsePoints, int frames, double seconds) {
}
