package org.soapstone.engine.ipi;

/** What {@link IpiClient} sends in the free-form {@code extras} field that ends a FORCEREADY message. */
public enum IpiExtras {
    /** A single zero byte: safe for every peer (ASE 3.22's server accepts at most one byte). */
    NONE,
    /**
     * A JSON object; {@code {"local_energy_sigma": [...]}} (eV, one per atom) when the calculator is a
     * {@link org.soapstone.engine.gap.PredictiveVariance}, else {@code {}} (for i-PI, which parses JSON extras).
     */
    JSON
}
