package org.soapstone.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.NonFiniteResultException;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.calculator.SumCalculator;
import org.soapstone.engine.accuracy.ErrorStatistics;
import org.soapstone.engine.accuracy.FrameReference;
import org.soapstone.engine.accuracy.PredictedSigma;
import org.soapstone.engine.accuracy.ReferenceNames;
import org.soapstone.engine.gap.PredictiveVariance;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.io.ExtXyzReader;
import org.soapstone.engine.io.ExtXyzWriter;
import org.soapstone.engine.neighbour.AtomsTooCloseException;
import org.soapstone.engine.neighbour.NonFinitePositionException;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Structure;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code soapstone eval}: energies, forces, stress and per-atom energies of every frame of an extended XYZ file. */
@Command(name = "eval",
        header = "Evaluate potentials or a GAP model on every frame of an extended-XYZ file, with error "
                + "tables and error bars.",
        mixinStandardHelpOptions = true,
        description = {"Evaluate classical potentials (--potential) or a GAP model (--model) on every frame of an "
            + "extended-XYZ file and write the results into a copy of it: per-frame energy (eV) and stress (eV/Å³, "
            + "3×3, ASE sign) in the info line, per-atom forces (eV/Å) and energies (eV) as properties. Everything "
            + "else in the input is kept. --errors and --plot compare the predictions with the reference values the "
            + "input frames hold (read before they may be overwritten), as gap_fit/QUIP users do."})
final class EvalCommand implements Callable<Integer> {
    @ArgGroup(exclusive = false, multiplicity = "1")
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

    @Option(names = "--errors",
            description = "After the run, print a table of errors against the input's reference values: energy "
                    + "per atom (meV/atom), force components (eV/Å), virial per atom (eV/atom), stress (eV/Å³ "
                    + "and GPa) — MAE, RMSE, max and count, overall and per config_type — and, with --sigma and a "
                    + "model that has a posterior, per quantity and config_type: the fraction of errors within 1σ and "
                    + "2σ, rms z = error/σ, the negative log-likelihood and Spearman's ρ(σ, |error|), force "
                    + "components zero by symmetry left out (reference |F| ≤ 1e-6 eV/Å and prediction ≤ 1e-4 "
                    + "eV/Å: a symmetric cell's positions as printed give forces of 1e-5 eV/Å).")
    boolean errors;

    @Option(names = "--plot", paramLabel = "DIR",
            description = "Write parity plots (predicted vs reference energy per atom and force components, "
                    + "coloured by config_type) and, when σ are available, calibration plots (|error| vs σ) and "
                    + "reliability diagrams (binned RMS error vs RMS σ, with the ideal line) as PNG and SVG into "
                    + "DIR (created if needed).")
    Path plot;

    @Option(names = "--sigma", paramLabel = "observed|latent|proxy", arity = "0..1", fallbackValue = "observed",
            converter = SigmaKindConverter.class, preprocessor = OptionalValue.SigmaKind.class,
            description = {"GAP models only: write each atom's local-energy standard deviation 'local_energy_sigma' "
                    + "(eV; latent: the posterior of the local energy, or QUIP's local_gap_variance for a gap_fit "
                    + "model) and, for a model with a posterior, the frame's 'energy_sigma' (eV), each atom's "
                    + "'force_sigma' (eV/Å, 3 columns) and, observed only, the frame's 'virial_sigma' (eV, xx yy zz "
                    + "yz xz xy); names take --prefix.",
                "observed (the default): σ of the reference values around the prediction, σ² = s_w²·uᵀΣu + "
                    + "s_n²·σ_n² — the weight-space posterior plus the fit's noise σ_n, scaled as the model's "
                    + "cross-validation found calibrated (see 'fit --calibration'); the σ to compare with errors.",
                "latent: the DTC posterior of the noise-free function, k** − kᵀK_MM⁻¹k + kᵀΣk, uncalibrated "
                    + "(slower: the force prior needs the kernel's second derivatives).",
                "proxy: as observed, but each force component's σ is md's every-step proxy, s_w²·v + s_n²·σ_n² with "
                    + "v the latent local-energy variances summed over the atom's neighbourhood (models fitted with "
                    + "cross-validation), to measure how it calibrates."})
    PredictedSigma.Kind sigma;

    @Option(names = "--energy-name", paramLabel = "KEY", defaultValue = "energy",
            description = "Info key of the reference total energy, eV (default: ${DEFAULT-VALUE}).")
    String energyName;

    @Option(names = "--force-name", paramLabel = "NAME", defaultValue = "forces",
            description = "Per-atom property of the reference forces, eV/Å, 3 columns (default: ${DEFAULT-VALUE}).")
    String forceName;

    @Option(names = "--virial-name", paramLabel = "KEY", defaultValue = "virial",
            description = "Info key of the reference virial, eV, 3×3 (default: ${DEFAULT-VALUE}); used before "
                    + "the stress.")
    String virialName;

    @Option(names = "--stress-name", paramLabel = "KEY", defaultValue = "stress",
            description = "Info key of the reference stress, eV/Å³, 3×3, ASE sign (default: ${DEFAULT-VALUE}); "
                    + "virial = −stress × volume.")
    String stressName;

    @Option(names = "--config-type-name", paramLabel = "KEY", defaultValue = "config_type",
            description = "Info key that groups frames in the error table and plots; frames without it are "
                    + "'default' (default: ${DEFAULT-VALUE}).")
    String configTypeName;

    /** Most points kept per config_type for each plot; more are sampled uniformly. */
    private static final int PLOT_POINTS = 10_000;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        OptionChecks.file("-o", output);
        if (plot != null) {
            ErrorPlots.checkDirectory(plot);
        }
        ReferenceNames names = new ReferenceNames(energyName, forceName, virialName, stressName, configTypeName);
        Calculator calc = source.calculator();
        try {
            return evaluate(names, calc);
        } finally {
            CalculatorOptions.release(calc);
        }
    }

    private int evaluate(ReferenceNames names, Calculator calc) throws Exception {
        PredictiveVariance variance = null;
        if (sigma != null) {
            variance = PredictiveVariance.of(calc).orElse(null);
            if (variance == null) {
                throw new IllegalArgumentException("--sigma needs a model that estimates its uncertainty "
                        + "(--model), not classical potentials");
            }
        }
        ErrorStatistics stats = errors || plot != null ? new ErrorStatistics(names, plot != null ? PLOT_POINTS : 0)
                : null;
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
                FrameReference ref = stats == null ? null : reference(s, names, frames + 1);
                EnumSet<Property> req = EnumSet.copyOf(wanted);
                if (!s.cell().hasVolume()) {
                    req.remove(Property.STRESS);
                }
                try {
                    calc.calculate(s, req, res);
                    res.requireFinite();
                } catch (AtomsTooCloseException e) {
                    throw new IllegalArgumentException(input + ":" + (reader.frameLine() + 2 + e.second())
                            + ": frame " + (frames + 1) + ": " + e.getMessage(), e);
                } catch (NonFinitePositionException e) {
                    throw new IllegalArgumentException(input + ":" + (reader.frameLine() + 2 + e.atom())
                            + ": frame " + (frames + 1) + ", 'pos': " + e.getMessage(), e);
                } catch (NonFiniteResultException e) {
                    throw new IllegalArgumentException(input + ":" + reader.frameLine() + ": frame " + (frames + 1)
                            + ": the calculation gave non-finite results: " + e.getMessage(), e);
                }
                store(s, res);
                PredictedSigma sig = variance == null ? null : PredictedSigma.of(variance, s, configType(s, names),
                        sigma);
                if (sig != null) {
                    store(s, sig);
                }
                if (stats != null) {
                    stats.add(ref, res, sig);
                }
                writer.write(s);
                frames++;
                atoms += s.size();
                progress.update(frames);
            }
            if (frames == 0) {
                throw new IllegalArgumentException(input + ": no frames (the file is empty)");
            }
            writer.commit();
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        System.out.printf(Locale.ROOT, "wrote %s: %d frames, %d atoms, %.3f s (%.3g µs/atom)%n", output,
                frames, atoms, seconds, atoms > 0 ? 1e6 * seconds / atoms : 0.0);
        if (errors) {
            System.out.print(stats.format());
        }
        if (plot != null) {
            if (!errors) {
                stats.notCompared().forEach(System.out::println);
            }
            List<Path> files = ErrorPlots.write(stats, plot);
            System.out.println(files.isEmpty() ? "no plots: nothing to compare"
                    : "plots: " + String.join(", ", files.stream().map(Path::toString).toList()));
        }
        return 0;
    }

    /** @return the frame's reference values, copied before the calculation may overwrite them */
    private FrameReference reference(Structure s, ReferenceNames names, long frame) {
        try {
            return FrameReference.read(s, names);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(input + ": frame " + frame + ": " + e.getMessage(), e);
        }
    }

    private void store(Structure s, PredictedSigma sig) {
        s.setProperty(prefix + "local_energy_sigma", AtomProperty.real(1, sig.local()));
        if (sig.hasPosterior()) {
            s.info().put(prefix + "energy_sigma", sig.energy());
            s.setProperty(prefix + "force_sigma", AtomProperty.real(3, sig.forces()));
            if (sig.virial() != null) {
                s.info().put(prefix + "virial_sigma", sig.virial().clone());
            }
        }
    }

    /** @return the frame's config type (for per-group calibration), or null if it has none */
    private static String configType(Structure s, ReferenceNames names) {
        Object t = s.info().get(names.configType());
        return t == null ? null : String.valueOf(t);
    }

    /** Reads {@code observed} or {@code latent}. */
    static final class SigmaKindConverter extends LowerCaseEnumConverter<PredictedSigma.Kind> {
        SigmaKindConverter() {
            super(PredictedSigma.Kind.class, "a σ kind");
        }
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
