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
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.fit.ConditionNumberNorm;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.FitSettings;
import org.soapstone.engine.fit.GapFit;
import org.soapstone.engine.fit.GapFitCommandLine;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.fit.TrainingSet;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.gap.QuipXmlExtras;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.io.AtomicFile;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.gp.ConditionNumber;
import org.soapstone.gp.SparseGpPosterior;
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
@Command(name = "fit",
        header = "Fit a GAP to energies, forces and virials by sparse Gaussian-process regression, from "
                + "gap_fit's own command line.",
        mixinStandardHelpOptions = true, sortOptions = false,
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

    @Option(names = "--mpi-processes", paramLabel = "N", defaultValue = "1",
            description = "Choose the sparse points as gap_fit run on N MPI processes (mpirun -np N gap_fit ...) "
                    + "chooses them: gap_fit then gathers the frames' descriptors process by process, which orders "
                    + "the candidates differently. The fit does not depend on it otherwise (default 1).")
    int mpiProcesses;

    @Option(names = "--optimise", paramLabel = "EVALUATIONS", arity = "0..1", fallbackValue = "200",
            preprocessor = OptionalValue.Count.class,
            description = "Choose the σ of energies, forces and virials of each config_type (with at least 10 "
                    + "frames; the others share default_sigma's) and the δ of each descriptor but the first by K-fold "
                    + "cross-validation on the training frames (folds disjoint by frame, --calibration-folds, seeded "
                    + "by rnd_seed): the mean of the energy and force MAE ratios to the given settings' is "
                    + "minimised, starting from the given settings, so the result is never worse than they are on "
                    + "that error. Prints the settings chosen as a gap_fit command line and fits the model with "
                    + "them. Costs one extra pass over the frames; each evaluation is K Choleskys of M × M. "
                    + "Optional cap on evaluations (default ${FALLBACK-VALUE}). With --spark, δ and one noise "
                    + "factor by the log marginal likelihood instead. For descriptor settings too, see "
                    + "soapstone tune.")
    int optimise;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Fit on Apache Spark: local[N] runs in this process on N cores (the launcher adds Spark); "
                    + "spark://HOST:PORT, yarn or k8s://URL under spark-submit. at_file may then be a file, a "
                    + "directory or a glob on any Hadoop file system (file:, hdfs:, s3a:). The same model file, "
                    + "posterior included; the training-set error table is not computed.")
    String spark;

    @Option(names = "--partitions", paramLabel = "N",
            description = "With --spark: chunks of the covariance and QR stage, each folded into its own R factor "
                    + "((M+1)² numbers) by one task (default: the cluster's parallelism). A fit without --spark "
                    + "folds one chunk per thread (fewer if their R factors would pass 4 GiB); with as many "
                    + "partitions, both give the same model bit for bit.")
    int partitions;

    @Option(names = "--calibration", paramLabel = "none|scale|group", defaultValue = "group",
            converter = CalibrationMethodConverter.class,
            description = "Calibrate the error bars by K-fold cross-validation on the training frames (default "
                    + "${DEFAULT-VALUE}): the observed-value σ² = s_w²·uᵀΣu + s_n²·σ_n² of energies, forces and "
                    + "virials, with (s_w, s_n) fitted per quantity ('scale') and refined per config_type with "
                    + "at least 10 frames ('group'); stored in the model with the figures measured on the folds. "
                    + "'none': s_w = s_n = 1 (the fit's own predictive). Costs one O(M³) merge per fold pair, "
                    + "no second pass over the data.")
    SigmaCalibration.Method calibration;

    @Option(names = "--calibration-folds", paramLabel = "K", defaultValue = "5",
            description = "Folds of the calibration's cross-validation (≥ 2; default ${DEFAULT-VALUE}).")
    int calibrationFolds;

    @Option(names = "--plot", paramLabel = "DIR",
            description = "Write training parity plots (energy per atom, eV/atom; force components, eV/Å) as "
                    + "PNG and SVG into DIR.")
    Path plot;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        OptionChecks.atLeast("--optimise", optimise, 0);
        List<String> args = arguments();
        Path cwd = Path.of("").toAbsolutePath();
        GapFit.Options options = new GapFit.Options(optimise, calibration, calibrationFolds, cwd);
        GapFitCommandLine line = GapFitCommandLine.read(args, cwd);
        FitSettings settings = line.settings().withMpiProcesses(mpiProcesses);
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
        TrainingSet data = null;
        GapFit.Result result;
        if (spark != null) {
            if (plot != null) {
                throw new IllegalArgumentException("--plot needs the training-set errors, which --spark does not "
                        + "compute; evaluate the model with soapstone eval --errors --plot on a sample of the frames");
            }
            if (settings.baseline() != null) {
                throw new IllegalArgumentException("--spark does not fit on top of a baseline potential yet ("
                        + settings.baseline().describe() + "); fit without --spark");
            }
            if (calibration != SigmaCalibration.Method.NONE) {
                System.out.println("note: --spark does not calibrate the error bars yet: the model records the fit's "
                        + "noise, as with --calibration none");
            }
            DistributedFit cluster = DistributedFit.find();
            try (ProgressListener listener = new ProgressListener()) {
                result = cluster.fit(spark, partitions, line, cwd, Version.number(), listener, optimise);
            }
            Map<String, String> summary = result.provenance().summary();
            System.out.printf(Locale.ROOT, "read %s: %s frames, %s atoms, species %s%n", line.atFileArgument(),
                    summary.get("frames"), summary.get("atoms"), summary.get("species"));
        } else {
            if (partitions != 0) {
                throw new IllegalArgumentException("--partitions applies to --spark only; without it the fit "
                        + "reduces one chunk per thread (--threads)");
            }
            data = TrainingSet.read(settings);
            data.warnings().forEach(w -> System.err.println("soapstone fit: warning: " + w));
            long atoms = data.frames().stream().mapToLong(f -> f.structure().size()).sum();
            System.out.printf(Locale.ROOT, "read %s: %d frames, %d atoms, species %s (%.1f s)%n", settings.atFile(),
                    data.frames().size(), atoms, species(data.species()), (System.nanoTime() - start) * 1e-9);
            try (ProgressListener listener = new ProgressListener()) {
                result = GapFit.run(settings, data, Version.number(), threads.threads, listener, options);
            }
        }
        result.notes().forEach(n -> System.out.println("note: " + n));
        boolean fitted = write(out, settings, result);
        if (!fitted) {
            System.out.printf(Locale.ROOT, "time: %-30s %8.1f s on %d threads; peak memory %s%n", "total",
                    (System.nanoTime() - start) * 1e-9, threads.threads, PeakMemory.describe());
            System.out.println("model: " + out.toAbsolutePath());
            return 0;
        }
        if (data != null) {
            ErrorStatistics stats = trainingErrors(settings, data, result);
            System.out.println("training-set errors:");
            System.out.print(stats.format());
            if (plot != null) {
                List<Path> files = ErrorPlots.write(stats, plot);
                System.out.println("plots: " + String.join(", ", files.stream().map(Path::toString).toList()));
            }
        }
        for (Map.Entry<String, Double> e : result.seconds().entrySet()) {
            System.out.printf(Locale.ROOT, "time: %-30s %8.1f s%n", e.getKey(), e.getValue());
        }
        String where = spark != null ? "on Spark " + spark + ", " + result.provenance().summary().get("partitions")
                + " partitions; driver" : "on " + threads.threads + " threads;";
        System.out.printf(Locale.ROOT, "time: %-30s %8.1f s %s peak memory %s; log marginal likelihood %.6g%n",
                "total", (System.nanoTime() - start) * 1e-9, where, PeakMemory.describe(),
                result.model().posterior().logMarginalLikelihood());
        System.out.println("model: " + out.toAbsolutePath());
        return 0;
    }

    /**
     * Writes a model: gap_fit's XML + sparseX for a name ending in .xml, else Soapstone's model file; prints what was
     * written and, for a fitted model, the condition number asked for and the calibration of its error bars.
     *
     * @return whether the model is fitted (not sparse points only)
     */
    static boolean write(Path out, FitSettings settings, GapFit.Result result) throws IOException {
        boolean xml = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml");
        boolean fitted = result.model().hasPosterior();
        if (xml) {
            boolean export = settings.exportCovariance() && fitted;
            result.model().writeQuip(out, new QuipXmlExtras(settings.commandLine(),
                    settings.copyAtFile() ? settings.atFile() : null, export));
            System.out.println("wrote " + out + (export ? " and its exported covariance " + out.getFileName() + ".R."
                    + result.model().label() + " (gap_fit XML + sparseX + R: quip, and QUIP's committee tools)"
                    : " (gap_fit XML + sparseX: the posterior is not part of that format, so it gives no error bars; "
                    + "write a .gap file, or add export_covariance=T, to keep them)"));
        } else {
            GapModelFile.write(out, result.model(), result.provenance());
            System.out.println("wrote " + out + (fitted ? " (Soapstone model file, with its posterior)"
                    : " (Soapstone model file: sparse points, no fit)"));
        }
        if (!fitted) {
            return false;
        }
        if (settings.conditionNumberNorm() != ConditionNumberNorm.NONE) {
            SparseGpPosterior p = result.model().posterior();
            double log10 = ConditionNumber.log10(p.rFactor().data(), p.sparseCount(),
                    settings.conditionNumberNorm() == ConditionNumberNorm.INFINITY);
            System.out.printf(Locale.ROOT, "condition number (log10) of the least-squares matrix A = [Λ^-1/2 K_NM ; "
                    + "U] (norm %c, from its triangular factor R): %.6g%n", settings.conditionNumberNorm().letter(),
                    log10);
        }
        SigmaCalibration cal = result.model().calibration();
        if (cal != null && cal.method() != SigmaCalibration.Method.NONE) {
            System.out.print(CalibrationReport.format(cal));
        }
        return true;
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

    static void checkWritable(Path out) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("cannot write the model " + out + ": directory " + dir
                    + " does not exist");
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("cannot write the model " + out + ": it is a directory");
        }
        try (AtomicFile probe = AtomicFile.create(out)) {
            probe.abort();
        } catch (IOException e) {
            throw new IllegalArgumentException("gp_file " + SoapstoneCommand.describe(e) + " (checked before the fit)", e);
        }
    }

    /** Predictions of the fitted model on its own training frames, against the references it was fitted to. */
    private static ErrorStatistics trainingErrors(FitSettings settings, TrainingSet data, GapFit.Result result) {
        ReferenceNames names = new ReferenceNames(settings.energyParameterName(), settings.forceParameterName(),
                settings.virialParameterName(), settings.stressParameterName(), settings.configTypeParameterName());
        ErrorStatistics stats = new ErrorStatistics(names, 10_000);
        FastGapCalculator calc = new FastGapCalculator(result.model(), WorkerPool.shared(),
                EvaluatorOptions.meanOnly());
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
                stats.add(ref, res, null);
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

    /** Reads {@code none}, {@code scale} or {@code group}. */
    static final class CalibrationMethodConverter extends LowerCaseEnumConverter<SigmaCalibration.Method> {
        CalibrationMethodConverter() {
            super(SigmaCalibration.Method.class, "a calibration");
        }
    }

    /** A progress bar (or log) per stage of the fit; thread-safe. */
    static class ProgressListener implements FitListener, AutoCloseable {
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
