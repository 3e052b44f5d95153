package org.soapstone.engine.ipi;

/** What {@link IpiClient} sends in the free-form {@code extras} field that ends a FORCEREADY message. */
public enum IpiExtras {
    /** A single zero byte: safe for every peer (ASE 3.22's server accepts at most one byte). */
    NONE,
    /**
     * A JSON object; {@code {"local_energy_sigma": [...]}} (eV, one per atom, latent) when the calculator is a
     * {@link org.soapstone.engine.gap.PredictiveVariance}, and for a model with a posterior also
     * {@code "energy_sigma"} (eV) and {@code "force_sigma": [...]} (eV/Å, 3 per atom): the calibrated observed-value
     * σ ({@link org.soapstone.engine.gap.SigmaCalibration}, default group; one descriptor pass with gradients and a
     * triangular solve per step); else {@code {}} (for i-PI, which parses JSON extras).
     */
    JSON
}
