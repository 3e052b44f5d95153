package org.soapstone.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.soapstone.engine.baseline.Baseline;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.accuracy.ErrorStatistics;
import org.soapstone.engine.accuracy.FrameReference;
import org.soapstone.engine.accuracy.ReferenceNames;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.FitSettings;
import org.soapstone.engine.fit.GapFit;
import org.soapstone.engine.fit.GapFitCommandLine;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.fit.TrainingSet;
import org.soapstone.engine.gap.GapCalculator;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.structure.Structure;
import org.soapstone.potentials.PotentialBaselines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code soapstone fit}: fits a GAP model to energies, forces and virials of an extended-XYZ training file, taking
 * gap_fit's own command line verbatim (Bartók et al., Phys. Rev. Lett. 104, 136403 (2010); Deringer et al., Chem.
 * Rev. 121, 10073 (2021)).
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a GAP model with sparse Gaussian-process regression, as gap_fit does. Takes gap_fit's "
            + "own command line verbatim, e.g.",
            "  soapstone fit at_file=train.xyz gap={soap cutoff=5.4 n_max=8 l_max=8 atom_sigma=0.5 zeta=4 "
            + "cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product n_sparse=1000 "
            + "sparse_method=cur_points} default_sigma={0.01 0.05 0.01 1} e0={Si:-0.79} sparse_jitter=1e-8 "
            + "gp_file=si.gap",
            "and the options below, which set the same keys. Units: energies eV (e0 eV/atom), forces eV/Å, "
            + "virials eV; default_sigma={E F V H} in eV, eV/Å, eV (E and V per √atom unless sigma_per_atom=F).",
            "A gp_file ending in .xml is written in gap_fit's XML + sparseX format (readable by quip, no error "
            + "bars); any other name writes Soapstone's model file, which keeps the posterior for error bars.",
            "A gap_fit key Soapstone does not support is an error, never silently ignored."})
final class FitCommand implements Callable<Integer> {
    @Parameters(paramLabel = "KEY=VALUE", arity = "0..*",
            description = "gap_fit's arguments, verbatim (at_file=, gap={...}, default_sigma={...}, e0=, "
                    + "sparse_jitter=, gp_file=, config_type_sigma=, energy_parameter_name=, ...).")
    List<String> gapFitArguments = new ArrayList<>();

    @Option(names = "--at-file", paramLabel = "TRAIN.xyz", description = "Training file (gap_fit's at_file).")
    String atFile;

    @Option(names = "--gap", paramLabel = "DESCRIPTORS",
            description = "Descriptor strings, ':'-separated, with their fitting keys (gap_fit's gap={...}).")
    String gap;

    @Option(names = "--default-sigma", paramLabel = "E,F,V,H", split = ",",
            description = "Expected errors of energies (eV, per √atom), forces (eV/Å), virials (eV, per √atom) "
                    + "and Hessians (gap_fit's default_sigma).")
    List<String> defaultSigma;

    @Option(names = "--e0", paramLabel = "E0",
            description = "Energy per isolated atom, eV: one number for every species or {Si:-0.79:C:-2.5} "
                    + "(gap_fit's e0).")
    String e0;

    @Option(names = {"-o", "--gp-file"}, paramLabel = "MODEL",
            description = "Model file to write (gap_fit's gp_file; default gap_new.xml).")
    String gpFile;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed of the sparse-point selection "
            + "(gap_fit's rnd_seed; default: drawn and recorded in the model).")
    Long seed;

    @Option(names = "--baseline", paramLabel = "SPEC",
            description = "A physical prior to fit on top of, as --potential names potentials (e.g. "
                    + "zbl:inner=1.0,outer=2.0 or sw:Si.sw; Å, eV): its energies (eV), forces (eV/Å) and virials (eV) "
                    + "are subtracted from the labels before the fit, and the model keeps it, with the files it "
                    + "names, and adds it to every prediction (eval, md, learn, serve). gap_fit's own form, "
                    + "core_param_file=FILE core_ip_args={IP ...}, is read too; give one of the two.")
    String baseline;

    @Option(names = "--optimise", paramLabel = "EVALUATIONS", arity = "0..1", fallbackValue = "200",
            description = "Tune δ of each descriptor and the σ of energies, forces and virials (each kind scaled as "
                    + "a whole) by maximising the log marginal likelihood, then fit with them; reports the values "
                    + "chosen. Optional cap on likelihood evaluations (default ${FALLBACK-VALUE}).")
    int optimise;

    @Option(names = "--plot", paramLabel = "DIR",
            description = "Write training parity plots (energy per atom, eV/atom; force components, eV/Å) as "
                    + "PNG and SVG into DIR.")
    Path plot;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        List<String> args = arguments();
        Path cwd = Path.of("").toAbsolutePath();
        GapFitCommandLine line = GapFitCommandLine.read(args, cwd);
        FitSettings settings = line.settings();
        if (baseline != null) {
            settings = settings.withBaseline(PotentialBaselines.embed(baseline));
        }
        line.notes().forEach(n -> System.out.println("note: " + n));
        Path out = settings.gapFile();
        checkWritable(out);
        if (settings.baseline() instanceof Baseline.Potential p
                && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml")) {
            throw new IllegalArgumentException("gp_file " + out + ": --baseline " + p.spec() + " has no gap_fit XML "
                    + "form (gap_fit names QUIP's potentials as a core, core_ip_args and core_param_file); write a "
                    + ".gap model file");
        }
        if (plot != null) {
            ErrorPlots.checkDirectory(plot);
        }
        long start = System.nanoTime();
        TrainingSet data = TrainingSet.read(settings);
        long atoms = data.frames().stream().mapToLong(f -> f.structure().size()).sum();
        System.out.printf(Locale.ROOT, "read %s: %d frames, %d atoms, species %s (%.1f s)%n", settings.atFile(),
                data.frames().size(), atoms, species(data.species()), (System.nanoTime() - start) * 1e-9);
        GapFit.Result result;
        try (ProgressListener listener = new ProgressListener()) {
            result = GapFit.run(settings, data, Version.number(), threads.threads, listener, optimise);
        }
        result.notes().forEach(n -> System.out.println("note: " + n));
        boolean xml = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml");
        if (xml) {
            result.model().writeQuip(out);
            System.out.println("wrote " + out + " (gap_fit XML + sparseX: the posterior is not part of that format, "
                    + "so it gives no error bars; write a .gap file to keep them)");
        } else {
            GapModelFile.write(out, result.model(), result.provenance());
            System.out.println("wrote " + out + " (Soapstone model file, with its posterior)");
        }
        ErrorStatistics stats = trainingErrors(settings, data, result);
        System.out.println("training-set errors:");
        System.out.print(stats.format());
        if (plot != null) {
            List<Path> files = ErrorPlots.write(stats, plot);
            System.out.println("plots: " + String.join(", ", files.stream().map(Path::toString).toList()));
        }
        for (Map.Entry<String, Double> e : result.seconds().entrySet()) {
            System.out.printf(Locale.ROOT, "time: %-30s %8.1f s%n", e.getKey(), e.getValue());
        }
        System.out.printf(Locale.ROOT, "time: %-30s %8.1f s on %d threads; peak memory %s; log marginal likelihood %.6g%n",
                "total", (System.nanoTime() - start) * 1e-9, threads.threads, PeakMemory.describe(),
                result.model().posterior().logMarginalLikelihood());
        System.out.println("model: " + out.toAbsolutePath());
        return 0;
    }

    /** gap_fit's tokens plus the options turned into the same keys. */
    private List<String> arguments() {
        List<String> args = new ArrayList<>(gapFitArguments);
        if (atFile != null) {
            args.add("at_file=" + atFile);
        }
        if (gap != null) {
            args.add("gap={" + gap + "}");
        }
        if (defaultSigma != null) {
            args.add("default_sigma={" + String.join(" ", defaultSigma) + "}");
        }
        if (e0 != null) {
            args.add("e0=" + e0);
        }
        if (gpFile != null) {
            args.add("gap_file=" + gpFile);
        }
        if (seed != null) {
            args.add("rnd_seed=" + seed);
        }
        return args;
    }

    private static void checkWritable(Path out) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("cannot write the model " + out + ": directory " + dir
                    + " does not exist");
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("cannot write the model " + out + ": it is a directory");
        }
    }

    /** Predictions of the fitted model on its own training frames, against the references it was fitted to. */
    private static ErrorStatistics trainingErrors(FitSettings settings, TrainingSet data, GapFit.Result result) {
        ReferenceNames names = new ReferenceNames(settings.energyParameterName(), settings.forceParameterName(),
                settings.virialParameterName(), settings.stressParameterName(), settings.configTypeParameterName());
        ErrorStatistics stats = new ErrorStatistics(names, 10_000);
        GapCalculator calc = new GapCalculator(result.model());
        CalculationResults res = new CalculationResults();
        try (Progress progress = Progress.start("training errors", data.frames().size(), "frames", null)) {
            long done = 0;
            for (TrainingFrame f : data.frames()) {
                Structure s = f.structure();
                FrameReference ref = FrameReference.read(s, names);
                EnumSet<Property> req = EnumSet.of(Property.ENERGY, Property.FORCES);
                if (s.cell().hasVolume()) {
                    req.add(Property.STRESS);
                }
                calc.calculate(s, req, res);
                stats.add(ref, res, Double.NaN, null);
                progress.update(++done);
            }
        }
        return stats;
    }

    private static String species(int[] z) {
        List<String> names = new ArrayList<>();
        for (int s : z) {
            names.add(org.soapstone.engine.structure.Element.of(s).symbol());
        }
        return String.join(" ", names);
    }

    /** A progress bar (or log) per stage of the fit; thread-safe. */
    private static final class ProgressListener implements FitListener, AutoCloseable {
        private Progress progress;
        private final AtomicLong done = new AtomicLong();

        @Override
        public synchronized void stage(String name, long units) {
            close();
            done.set(0);
            progress = Progress.start(name, units, "frames", null);
        }

        @Override
        public void advance(long units) {
            long d = done.addAndGet(units);
            synchronized (this) {
                if (progress != null) {
                    progress.update(d);
                }
            }
        }

        @Override
        public synchronized void close() {
            if (progress != null) {
                progress.close();
                progress = null;
            }
        }
    }
}
