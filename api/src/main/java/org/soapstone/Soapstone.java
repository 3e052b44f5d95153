package org.soapstone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.SumCalculator;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.potentials.PotentialSpec;

/**
 * The front door for library users: one call turns a model file or a classical potential into a {@link Calculator}
 * (as ASE's {@code atoms.calc = ...}). Units: eV, Å; stress eV/Å³ with ASE's sign.
 *
 * <pre>{@code
 * Calculator gap = Soapstone.load("si.gap");                       // a model fitted by soapstone fit
 * Calculator quip = Soapstone.load("gp.xml");                      // gap_fit XML, its sparseX files beside it
 * Calculator sw = Soapstone.load("sw:Si.sw");                      // a potential, named as LAMMPS names it
 * Calculator sum = Soapstone.load("delta.gap", "zbl:inner=1.0,outer=2.0");   // a model on a baseline
 * CalculationResults r = gap.calculate(ExtXyz.read(Path.of("si.xyz")).getFirst());
 * }</pre>
 *
 * A model runs on its fast path ({@link FastGapCalculator}, on the {@linkplain WorkerPool#shared() shared pool},
 * Verlet skin {@value EvaluatorOptions#DEFAULT_SKIN} Å), which also gives each atom's local-energy σ on request
 * ({@link org.soapstone.engine.gap.PredictiveVariance}); potentials are those of {@link PotentialSpec}. A SOAP model
 * needs the JDK's Vector API: run Java with {@code --add-modules jdk.incubator.vector} (without it, loading such a
 * model fails with a message saying so).
 */
public final class Soapstone {
    private Soapstone() {}

    /**
     * @param sources each a model file (Soapstone's model file or gap_fit XML, told apart by its first bytes) or a
     *     potential {@code KIND:ARGUMENTS} ({@link PotentialSpec#KINDS}); several are summed (energies, forces,
     *     stress), σ being the model's
     * @return the calculator
     * @throws IllegalArgumentException if a source is neither an existing file nor a potential, or is malformed
     * @throws IOException if a file cannot be read
     */
    public static Calculator load(String... sources) throws IOException {
        if (sources.length == 0) {
            throw new IllegalArgumentException("give a model file or a potential KIND:ARGUMENTS");
        }
        List<Calculator> parts = new ArrayList<>();
        for (String source : sources) {
            parts.add(isPotential(source) ? PotentialSpec.parse(source) : loadModel(source));
        }
        return parts.size() == 1 ? parts.getFirst() : new SumCalculator(parts);
    }

    /**
     * @param model a model file: Soapstone's model file, or gap_fit XML with its sparseX files beside it
     * @return the model's fast-path calculator
     * @throws IOException if the file cannot be read
     */
    public static FastGapCalculator load(Path model) throws IOException {
        return new FastGapCalculator(GapModel.read(model), WorkerPool.shared(), EvaluatorOptions.meanOnly());
    }

    private static boolean isPotential(String source) {
        int colon = source.indexOf(':');
        return colon > 0 && PotentialSpec.KINDS.contains(source.substring(0, colon));
    }

    private static Calculator loadModel(String source) throws IOException {
        Path path = Path.of(source);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("'" + source + "' is neither a model file nor a potential "
                    + "KIND:ARGUMENTS (kinds: " + String.join(", ", PotentialSpec.KINDS) + ")");
        }
        return load(path);
    }
}
