package org.soapstone.engine.md;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Statistics for thermostat tests. */
final class Estimates {
    private Estimates() {}

    /**
     * Asserts that the mean of independent estimates equals {@code expected} within {@code sigmas} standard errors,
     * the standard error being estimated from the spread of the estimates themselves.
     */
    static void assertMeanOfIndependent(double expected, double[] estimates, double sigmas, String what) {
        int m = estimates.length;
        double mean = 0;
        for (double e : estimates) {
            mean += e / m;
        }
        double var = 0;
        for (double e : estimates) {
            var += (e - mean) * (e - mean) / (m - 1);
        }
        double standardError = Math.sqrt(var / m);
        assertEquals(expected, mean, sigmas * standardError,
                what + ": mean " + mean + " ± " + standardError + " (standard error of " + m + " estimates)");
    }
}
