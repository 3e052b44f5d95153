package org.soapstone.engine.baseline;

import java.io.IOException;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.parallel.WorkerPool;

/**
 * Makes the calculator of a {@link Baseline}: the service a module with classical potentials provides (Java's
 * {@link java.util.ServiceLoader}, {@code META-INF/services/org.soapstone.engine.baseline.BaselineProvider}), so
 * that engine code applies a model's baseline without depending on that module.
 */
public interface BaselineProvider {
    /**
     * @param baseline the baseline
     * @param pool the workers the calculator may use
     * @return its calculator (energies, forces, stress and per-atom energies), or null if this provider does not know
     *     the baseline's kind
     * @throws IOException if a parameter cannot be read
     * @throws IllegalArgumentException naming what is wrong in the baseline's parameters
     */
    Calculator create(Baseline baseline, WorkerPool pool) throws IOException;
}
