package org.soapstone.cli;

import org.soapstone.engine.md.Berendsen;
import org.soapstone.engine.md.Integrator;
import org.soapstone.engine.md.Langevin;
import org.soapstone.engine.md.MdSystem;
import org.soapstone.engine.md.StochasticVelocityRescaling;
import org.soapstone.engine.md.TemperatureSchedule;
import org.soapstone.engine.md.VelocityVerlet;
import picocli.CommandLine.Option;

/**
 * The molecular-dynamics options {@code soapstone md} and {@code soapstone learn} share: ensemble, thermostat,
 * temperature (a linear ramp T0:T1), time step, number of steps, Langevin friction, Bussi/Berendsen τ and the seed;
 * and the integrator they name (velocity Verlet for NVE; BAOAB Langevin, Bussi or Berendsen for NVT).
 */
final class DynamicsOptions {
    /** The statistical ensemble. */
    enum Ensemble { nve, nvt }

    /** The NVT thermostat. */
    enum Thermostat { langevin, bussi, berendsen }

    @Option(names = "--ensemble", description = "nve or nvt (default: nve for md, nvt for learn).")
    Ensemble ensemble;

    @Option(names = "--thermostat", defaultValue = "langevin",
            description = "NVT thermostat: langevin (BAOAB), bussi (stochastic velocity rescaling) or berendsen "
                    + "(default: ${DEFAULT-VALUE}).")
    Thermostat thermostat;

    @Option(names = "--temperature", paramLabel = "K[:K1]",
            description = "Temperature (K): the thermostat target, a linear ramp T0:T1 over the run, and the "
                    + "Maxwell–Boltzmann temperature of the initial velocities (at T0).")
    String temperature;

    @Option(names = "--timestep", defaultValue = "1.0", paramLabel = "FS",
            description = "Time step (fs; default: ${DEFAULT-VALUE}).")
    double timestep;

    @Option(names = "--steps", required = true, paramLabel = "N",
            description = "Number of MD steps (for learn: in all, a resumed run's earlier steps included).")
    long steps;

    @Option(names = "--friction", defaultValue = "0.01", paramLabel = "1/FS",
            description = "Langevin friction γ (1/fs; default: ${DEFAULT-VALUE}).")
    double friction;

    @Option(names = "--tau", defaultValue = "100", paramLabel = "FS",
            description = "Bussi/Berendsen time constant (fs; default: ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--seed", defaultValue = "12345", description = "Random seed for velocities, thermostat and (learn) "
            + "sparse points (default: ${DEFAULT-VALUE}); the same seed and thread count give an identical run.")
    long seed;

    /**
     * Checks each option's range.
     *
     * @throws IllegalArgumentException naming the option
     */
    void check() {
        OptionChecks.atLeast("--steps", steps, 0);
        OptionChecks.positive("--timestep", timestep, "fs");
        OptionChecks.positive("--friction", friction, "1/fs");
        OptionChecks.positive("--tau", tau, "fs");
        if (thermostat == Thermostat.berendsen && tau < timestep) {
            throw new IllegalArgumentException("--tau must be ≥ --timestep for the Berendsen thermostat, got "
                    + tau + " fs < " + timestep + " fs");
        }
    }

    /** @return the ensemble given, or {@code fallback} */
    Ensemble ensemble(Ensemble fallback) {
        return ensemble != null ? ensemble : fallback;
    }

    /**
     * @return {T0, T1} in K, or null if --temperature was not given
     * @throws IllegalArgumentException naming the option if it is malformed or negative
     */
    double[] temperatures() {
        if (temperature == null) {
            return null;
        }
        String[] parts = temperature.split(":");
        try {
            double t0 = Double.parseDouble(parts[0]);
            double t1 = parts.length > 1 ? Double.parseDouble(parts[1]) : t0;
            if (parts.length > 2 || !(t0 >= 0) || !(t1 >= 0)) {
                throw new NumberFormatException();
            }
            return new double[] {t0, t1};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--temperature must be K or K0:K1 with K ≥ 0, got '" + temperature
                    + "'");
        }
    }

    /**
     * The integrator: velocity Verlet for NVE, else the thermostat with its target ramped from t0 to t1 (K) over
     * {@code rampSteps} steps.
     */
    Integrator integrator(MdSystem system, Ensemble chosen, double t0, double t1, long rampSteps) {
        if (chosen == Ensemble.nve) {
            return new VelocityVerlet(system, timestep);
        }
        TemperatureSchedule target = t0 == t1 ? TemperatureSchedule.constant(t0)
                : TemperatureSchedule.ramp(t0, t1, Math.max(1, rampSteps));
        return switch (thermostat) {
            case langevin -> new Langevin(system, timestep, target, friction, seed);
            case bussi -> new StochasticVelocityRescaling(system, timestep, target, tau, seed);
            case berendsen -> new Berendsen(system, timestep, target, tau);
        };
    }
}
