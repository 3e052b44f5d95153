package org.soapstone.potentials.quip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soapstone.engine.baseline.Baseline;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.descriptor.SoapParameters;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.FitSettings;
import org.soapstone.engine.fit.GapFit;
import org.soapstone.engine.fit.GapFitCommandLine;
import org.soapstone.engine.fit.TrainingSet;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.QuipPredictions;
import org.soapstone.engine.testing.SharedData;

/**
 * soapstone fit on gap_fit's command line with three-body descriptors and a core potential
 * ({@code core_param_file} + {@code core_ip_args}), given gap_fit's own sparse points ({@code sparse_method=file}),
 * on gap_fit's training frames: the core is subtracted from the labels, the projected-process solve is the same
 * least-squares problem, so the refitted model (core added back) predicts what quip predicts with gap_fit's model on
 * held-out cells ({@code test-data/quip-reference}), to the conditioning of that problem. And gap_fit's own command
 * line, as written in its model, run here: the same sparse points as gap_fit chose, in its order (libAtoms'
 * generator drawing among the instances numbered in QUIP's order, duplicates set aside by its hash sort).
 */
class GapFitCoreRefitTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "si-glue-2b-nb-soap; si; {Si:-0.79}",
        "si-zbl-2b3b; si; {Si:-0.79}",
        "sic-tersoff-2b3b; sic; {Si:-1.5:C:-2.5}"})
    void refitWithGapFitsSparsePointsPredictsAsQuip(String name, String data, String e0) throws Exception {
        Path ref = QuipPredictions.dir(name);
        GapModel gapFit = GapModel.readQuip(ref.resolve("gp.xml"));
        List<String> args = new ArrayList<>(List.of("at_file=" + training(data), "default_sigma={0.005 0.1 0.1 0}",
                "e0=" + e0, "energy_parameter_name=energy", "force_parameter_name=forces",
                "virial_parameter_name=virial", "sparse_jitter=1e-8", "gp_file=" + dir.resolve("refit.gap")));
        StringBuilder gap = new StringBuilder("gap={");
        for (int t = 0; t < gapFit.terms().size(); t++) {
            GapTerm term = gapFit.terms().get(t);
            Path sparse = dir.resolve("sparse" + t + ".txt");
            writeSparse(term, sparse);
            gap.append(t == 0 ? "" : " : ").append(term.descriptor().text().replaceAll("\\s+xml_version=\\S+", ""))
                    .append(" add_species=F sparse_method=file sparse_file=").append(sparse);
        }
        args.add(gap.append('}').toString());
        if (gapFit.baseline() instanceof Baseline.QuipCore core) {
            Path params = dir.resolve("core.xml");
            Files.writeString(params, core.parameters());
            args.add("core_param_file=" + params);
            args.add("core_ip_args={" + core.initArgs() + "}");
        }
        FitSettings settings = GapFitCommandLine.parse(args, dir);
        assertEquals(gapFit.baseline(), settings.baseline(), "the core is read from the command line");
        TrainingSet train = TrainingSet.read(settings);
        GapModel refit = GapFit.run(settings, train, "test", 2, FitListener.NONE).model();
        assertEquals(gapFit.baseline(), refit.baseline(), "the refitted model keeps its core");
        double maxE = 0;
        double maxF = 0;
        try (WorkerPool pool = new WorkerPool(2)) {
            ReferenceGapCalculator calc = new ReferenceGapCalculator(refit, pool);
            for (Structure s : ExtXyz.read(ref.resolve("quip-predictions.xyz"))) {
                CalculationResults r = calc.calculate(s);
                maxE = Math.max(maxE, Math.abs(r.energy - s.infoReal("energy")) / s.size());
                double[] f = QuipPredictions.reals(s, "force");
                for (int k = 0; k < f.length; k++) {
                    maxF = Math.max(maxF, Math.abs(r.forces[k] - f[k]));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s refit vs quip: max |dE| %.3g eV/atom, max |dF| %.3g eV/A%n", name, maxE,
                maxF);
        assertTrue(maxE < 1e-6, name + ": energy per atom differs by " + maxE + " eV");
        assertTrue(maxF < 1e-5, name + ": force differs by " + maxF + " eV/Å");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"si-glue-2b-nb-soap, si", "si-zbl-2b3b, si", "sic-tersoff-2b3b, sic", "sic-2b-nb-soap, sic"})
    void gapFitsCommandLineChoosesGapFitsSparsePoints(String name, String data) throws Exception {
        Path ref = QuipPredictions.dir(name);
        GapModel gapFit = GapModel.readQuip(ref.resolve("gp.xml"));
        Matcher m = Pattern.compile("<command_line><!\\[CDATA\\[(.*?)]]></command_line>", Pattern.DOTALL)
                .matcher(Files.readString(ref.resolve("gp.xml")));
        assertTrue(m.find(), "gap_fit's command line in " + ref);
        List<String> args = new ArrayList<>();
        for (String a : m.group(1).strip().split(" ")) {
            args.add(a.equals("at_file=train.xyz") ? "at_file=" + training(data) : a);
        }
        args.add("sparsify_only_no_fit=T");
        if (gapFit.baseline() instanceof Baseline.QuipCore core) {
            Files.writeString(dir.resolve("core.xml"), core.parameters());
        }
        FitSettings settings = GapFitCommandLine.parse(args, dir);
        List<GapTerm> ours = GapFit.run(settings, TrainingSet.read(settings), "test", 2, FitListener.NONE).model()
                .terms();
        assertEquals(gapFit.terms().size(), ours.size(), "terms after add_species");
        for (int t = 0; t < ours.size(); t++) {
            GapTerm theirs = gapFit.terms().get(t);
            double[] x = ours.get(t).sparseX();
            assertEquals(theirs.sparseX().length, x.length, name + " term " + t + ": sparse points");
            double max = 0;
            for (int k = 0; k < x.length; k++) {
                max = Math.max(max, Math.abs(x[k] - theirs.sparseX()[k]));
            }
            boolean soap = theirs.descriptor().descriptor() instanceof SoapParameters;
            System.out.printf(Locale.ROOT, "%s term %d (%s): max |sparseX - gap_fit's| %.3g%n", name, t,
                    theirs.descriptor().text().split(" ")[0], max);
            // pair and cluster distances are QUIP's to the bit; SOAP's sums are ordered differently
            assertTrue(soap ? max < 1e-8 : max == 0, name + " term " + t + ": sparseX differs by " + max);
        }
    }

    /**
     * gap_fit's training frames: the shared SiC Tersoff cells, or frames 0, 9, …, 171 of mlearn-Si-train as gap_fit
     * read them, written by ASE with positions to 8 decimals (the sparse points depend on the last bits).
     */
    private Path training(String data) throws Exception {
        if (data.equals("sic")) {
            return SharedData.gapFit("sic-2b-soap").resolve("train.xyz");
        }
        List<Structure> all = ExtXyz.read(SharedData.mlearn("mlearn-Si-train.xyz"));
        List<Structure> chosen = new ArrayList<>();
        for (int i = 0; i < 180; i += 9) {
            Structure s = all.get(i);
            double[] r = s.positions();
            for (int k = 0; k < r.length; k++) {
                r[k] = new BigDecimal(r[k]).setScale(8, RoundingMode.HALF_EVEN).doubleValue();
            }
            chosen.add(s);
        }
        Path file = dir.resolve("si-train.xyz");
        ExtXyz.write(file, chosen);
        return file;
    }

    /** gap_fit's sparse_file layout: per point its cutoff, then its components, one number per line. */
    private static void writeSparse(GapTerm term, Path file) throws Exception {
        double[] x = term.sparseX();
        double[] c = term.sparseCutoff();
        int d = term.dimension();
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (int s = 0; s < c.length; s++) {
                w.write(Double.toString(c[s]));
                w.newLine();
                for (int k = 0; k < d; k++) {
                    w.write(Double.toString(x[s * d + k]));
                    w.newLine();
                }
            }
        }
    }
}
