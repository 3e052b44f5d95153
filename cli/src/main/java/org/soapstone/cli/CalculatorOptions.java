package org.soapstone.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.soapstone.Soapstone;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.SumCalculator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The energy model of a command: classical potentials ({@code --potential}, repeatable, summed), a GAP model
 * ({@code --model}, either kind of model file), or both — the model on top of the potentials as a baseline (e.g. a
 * GAP fitted to the difference from ZBL: E = E_GAP + Σ E_potential, likewise forces and stress; the deviations
 * are the model's) — or else an external i-PI force provider ({@code --ipi-server}) alone.
 */
final class CalculatorOptions {
    @ArgGroup(exclusive = false, multiplicity = "0..1")
    PotentialOptions potential;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "A GAP model: Soapstone's model file (.gap, written by 'soapstone convert' or a fit) or a "
                    + "QUIP/gap_fit XML with its sparseX files beside it; the kind is told from the file's first "
                    + "bytes. With --potential the model is added on top of the potentials (a baseline such as zbl:).")
    Path model;

    @ArgGroup(exclusive = false, multiplicity = "0..1")
    IpiServerOptions ipiServer;

    /**
     * Checks the combination: --ipi-server alone, or --model and/or --potential.
     *
     * @throws IllegalArgumentException naming the options
     */
    void check() {
        if (ipiServer != null && (model != null || potential != null)) {
            throw new IllegalArgumentException("--ipi-server cannot be combined with --model or --potential");
        }
        if (ipiServer == null && model == null && potential == null) {
            throw new IllegalArgumentException("give --potential, --model (or both) or --ipi-server");
        }
    }

    /** @return the calculator the options name; close it with {@link #release} */
    Calculator calculator() throws IOException {
        check();
        if (ipiServer != null) {
            return ipiServer.calculator();
        }
        return model != null ? withBaseline(Soapstone.load(model)) : potential.calculator();
    }

    /**
     * @param modelCalculator the calculator of {@code --model}
     * @return it alone, or with --potential the sum: the model first, then the baseline potentials
     */
    Calculator withBaseline(Calculator modelCalculator) throws IOException {
        return potential == null ? modelCalculator : new SumCalculator(List.of(modelCalculator,
                potential.calculator()));
    }

    /** Closes a calculator that holds resources (an i-PI server sends EXIT to its client). */
    static void release(Calculator calc) throws Exception {
        if (calc instanceof AutoCloseable c) {
            c.close();
        }
    }
}
