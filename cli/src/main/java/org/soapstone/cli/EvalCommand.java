package org.soapstone.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.io.ExtXyzReader;
import org.soapstone.engine.io.ExtXyzWriter;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code soapstone eval}: energies, forces, stress and per-atom energies of every frame of an extended XYZ file. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate classical potentials (--potential) or a GAP model (--model) on every frame of an",
            "extended-XYZ file and write the results into a copy of it: per-frame energy (eV) and stress",
            "(eV/Å³, 3×3, ASE sign) in the info line, per-atom forces (eV/Å) and energies (eV) as properties.",
            "Everything else in the input is kept."})
final class EvalCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    CalculatorOptions source;

    @Mixin
    ThreadsOption threads;

    @Parameters(index = "0", paramLabel = "IN.xyz", description = "Input extended-XYZ file (any number of frames).")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.xyz",
            description = "Output extended-XYZ file; written to a temporary file and renamed when complete.")
    Path output;

    @Option(names = "--prefix", paramLabel = "STR", defaultValue = "",
            description = "Prefix for the names of the written results (default: none, i.e. energy, forces, "
                    + "stress, energies), e.g. 'pred_' to keep reference values of the same name.")
    String prefix;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        Calculator calc = source.calculator();
        EnumSet<Property> wanted = EnumSet.copyOf(calc.implementedProperties());
        CalculationResults res = new CalculationResults();
        long frames = 0;
        long atoms = 0;
        long start = System.nanoTime();
        try (ExtXyzReader reader = ExtXyz.open(input);
                ExtXyzWriter writer = ExtXyz.create(output);
                Progress progress = Progress.start("eval", 0, "frames", null)) {
            while (reader.hasNext()) {
                Structure s = reader.next();
                EnumSet<Property> req = EnumSet.copyOf(wanted);
                if (!s.cell().hasVolume()) {
                    req.remove(Property.STRESS);
                }
                calc.calculate(s, req, res);
                store(s, res);
                writer.write(s);
                frames++;
                atoms += s.size();
                progress.update(frames);
            }
            writer.commit();
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        System.out.printf(java.util.Locale.ROOT, "wrote %s: %d frames, %d atoms, %.3f s (%.3g µs/atom)%n", output,
                frames, atoms, seconds, atoms > 0 ? 1e6 * seconds / atoms : 0.0);
        return 0;
    }

    private void store(Structure s, CalculationResults res) {
        if (res.has(Property.ENERGY)) {
            s.info().put(prefix + "energy", res.energy);
        }
        if (res.has(Property.STRESS)) {
            s.info().put(prefix + "stress", res.stressMatrix());
        }
        if (res.has(Property.FORCES)) {
            s.setProperty(prefix + "forces", AtomProperty.real(3, res.forces.clone()));
        }
        if (res.has(Property.ENERGIES)) {
            s.setProperty(prefix + "energies", AtomProperty.real(1, res.energies.clone()));
        }
    }
}
