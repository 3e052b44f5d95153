package org.soapstone.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.gap.GapCalculator;
import org.soapstone.engine.gap.GapModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The energy model of a command: exactly one of classical potentials ({@code --potential}, repeatable, summed)
 * or a GAP model ({@code --model}, either kind of model file).
 */
final class CalculatorOptions {
    @ArgGroup(exclusive = false, multiplicity = "1")
    PotentialOptions potential;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "A GAP model: Soapstone's model file (.gap, written by 'soapstone convert' or a fit) or a "
                    + "QUIP/gap_fit XML with its sparseX files beside it; the kind is told from the file's first "
                    + "bytes.")
    Path model;

    /** @return the calculator the options name */
    Calculator calculator() throws IOException {
        return model != null ? new GapCalculator(GapModel.read(model)) : potential.calculator();
    }
}
