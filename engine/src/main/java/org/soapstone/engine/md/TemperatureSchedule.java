package org.soapstone.engine.md;

/**
 * A thermostat's target temperature (K) as a function of the step index: the step that ends at time k·dt aims
 * at {@code at(k)}, k = 1, 2, …, counted from the construction of the {@link MdSystem}.
 */
public sealed interface TemperatureSchedule {

    /** @return the target temperature (K) of step {@code step} */
    double at(long step);

    /** A constant target {@code kelvin} (K). */
    static TemperatureSchedule constant(double kelvin) {
        return new Constant(kelvin);
    }

    /** A linear ramp from {@code start} K at step 0 to {@code end} K at step {@code steps}, then held at end. */
    static TemperatureSchedule ramp(double start, double end, long steps) {
        return new Ramp(start, end, steps);
    }

    /** @param kelvin the target temperature (K), finite and ≥ 0 */
    record Constant(double kelvin) implements TemperatureSchedule {
        public Constant {
            requireTemperature(kelvin, "kelvin");
        }

        @Override
        public double at(long step) {
            return kelvin;
        }
    }

    /**
     * @param start the target at step 0 (K), finite and ≥ 0
     * @param end the target at step {@code steps} and after (K), finite and ≥ 0
     * @param steps the length of the ramp, ≥ 1
     */
    record Ramp(double start, double end, long steps) implements TemperatureSchedule {
        public Ramp {
            requireTemperature(start, "start");
            requireTemperature(end, "end");
            if (steps < 1) {
                throw new IllegalArgumentException("ramp length must be ≥ 1 step, got " + steps);
            }
        }

        @Override
        public double at(long step) {
            return start + (end - start) * ((double) Math.min(Math.max(step, 0), steps) / steps);
        }
    }

    private static void requireTemperature(double t, String name) {
        if (!(t >= 0) || !Double.isFinite(t)) {
            throw new IllegalArgumentException(name + " temperature must be finite and ≥ 0 K, got " + t);
        }
    }
}
