package org.soapstone.engine.baseline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ServiceLoader;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.parallel.WorkerPool;

/** Finds the calculator of a {@link Baseline} among the {@link BaselineProvider}s on the class path. */
public final class Baselines {
    private Baselines() {}

    /**
     * @param baseline the baseline
     * @param pool the workers
     * @return its calculator
     * @throws IllegalStateException if no provider knows it (the potentials module is not on the class path)
     * @throws IllegalArgumentException naming what is wrong in its parameters
     */
    public static Calculator calculator(Baseline baseline, WorkerPool pool) {
        for (BaselineProvider p : ServiceLoader.load(BaselineProvider.class, Baselines.class.getClassLoader())) {
            Calculator c;
            try {
                c = p.create(baseline, pool);
            } catch (IOException e) {
                throw new UncheckedIOException(baseline.describe() + ": " + e.getMessage(), e);
            }
            if (c != null) {
                return c;
            }
        }
        throw new IllegalStateException("the model adds a " + baseline.describe() + " but no provider of baseline "
                + "potentials knows it (is Soapstone's potentials module on the class path?)");
    }
}
