package org.soapstone.potentials.quip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soapstone.engine.baseline.Baseline;
import org.soapstone.engine.calculator.CalculationResults;
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
 * held-out cells ({@code test-data/quip-reference}), to the conditioning of that problem.
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

    /** gap_fit's training frames: frames 0, 9, …, 171 of mlearn-Si-train, or the shared SiC Tersoff cells. */
    private Path training(String data) throws Exception {
        if (data.equals("sic")) {
            return SharedData.gapFit("sic-2b-soap").resolve("train.xyz");
        }
        List<Structure> all = ExtXyz.read(SharedData.mlearn("mlearn-Si-train.xyz"));
        List<Structure> chosen = new ArrayList<>();
        for (int i = 0; i < 180; i += 9) {
            chosen.add(all.get(i));
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
