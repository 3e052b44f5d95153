package org.soapstone.cli;

/**
 * The MD steps of {@code soapstone md} whose σ is read: those that write a thermo line or a trajectory frame, the
 * last one (final.xyz), and every step when a stop criterion checks σ. The others skip σ's cost.
 *
 * @param thermoEvery steps between thermo lines, ≥ 1
 * @param trajectoryEvery steps between trajectory frames, 0 for none
 * @param last the last step
 * @param everyStep whether every step's σ is read (--stop-if-uncertain, --stop-if-uncertain-force)
 */
record SigmaSteps(int thermoEvery, int trajectoryEvery, long last, boolean everyStep) {
    /** @return whether step {@code step}'s σ is read */
    boolean used(long step) {
        return everyStep || step % thermoEvery == 0 || (trajectoryEvery > 0 && step % trajectoryEvery == 0)
                || step == last;
    }
}
