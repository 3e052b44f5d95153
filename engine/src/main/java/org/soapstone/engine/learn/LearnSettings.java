package org.soapstone.engine.learn;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.soapstone.engine.fit.Sigmas;
import org.soapstone.engine.md.Integrator;
import org.soapstone.engine.md.MdSystem;

/**
 * What a {@link LearnRun} does.
 *
 * @param directory the run directory (created)
 * @param sigmas the σ of new frames (gap_fit's default_sigma, per atom for energies and virials); a resumed run
 *     uses the σ saved in its model instead (changed by re-optimisations)
 * @param jitter sparse_jitter (eV²), ≥ 0
 * @param policy when to call the reference and how the sparse set grows
 * @param integrator the integrator of the run for its system, whose clock counts from the run's first step (a
 *     thermostat ramp over {@code steps} continues across a resume)
 * @param steps the run's length in all (a resumed run's earlier steps included), ≥ 0
 * @param thermoEvery steps between thermo.log lines, ≥ 1
 * @param trajectoryEvery steps between trajectory frames (the points a run can resume from), ≥ 1
 * @param resetReferenceAfterUpdate re-reference thermo.log's conserved energy by each update's energy jump
 * @param commandLine the arguments, recorded in the model's provenance
 * @param version the Soapstone version, recorded in the model's provenance
 */
public record LearnSettings(Path directory, Sigmas sigmas, double jitter, LearningPolicy policy,
        Function<MdSystem, Integrator> integrator, long steps, int thermoEvery, int trajectoryEvery,
        boolean resetReferenceAfterUpdate, List<String> commandLine, String version) {

    /** Validates. */
    public LearnSettings {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(sigmas, "sigmas");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(integrator, "integrator");
        Objects.requireNonNull(version, "version");
        commandLine = List.copyOf(commandLine);
        if (!(jitter >= 0) || !Double.isFinite(jitter)) {
            throw new IllegalArgumentException("the jitter must be finite and ≥ 0 eV², got " + jitter);
        }
        if (steps < 0 || thermoEvery < 1 || trajectoryEvery < 1) {
            throw new IllegalArgumentException("need steps ≥ 0 and thermo and trajectory intervals ≥ 1, got " + steps
                    + ", " + thermoEvery + ", " + trajectoryEvery);
        }
    }
}
