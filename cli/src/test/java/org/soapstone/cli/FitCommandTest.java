package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.gap.ObservedVariance;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.gp.PredictiveCalibration;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.Bits;
import org.soapstone.engine.testing.SharedData;

/**
 * {@code soapstone fit} end to end: accuracy on real DFT data (the mlearn Si benchmark, with fewer sparse points
 * than the published model so CI stays fast), gap_fit's command line verbatim with XML output, determinism under a
 * seed, and bad input.
 */
class FitCommandTest {
    private static final String SOAP = "gap={soap cutoff=5.4 n_max=8 l_max=8 atom_sigma=0.5 zeta=4 "
            + "cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product n_sparse=%d sparse_method=cur_points}";

    private static String[] mlearnFit(Path model, int sparse, int seed) {
        return ("fit at_file=" + SharedData.mlearn("mlearn-Si-train.xyz") + " " + String.format(SOAP, sparse)
                + " default_sigma={0.01 0.05 0.01 1} e0={Si:-0.79} sparse_jitter=1e-8 energy_parameter_name=energy"
                + " force_parameter_name=forces virial_parameter_name=NO_virial stress_parameter_name=NO_stress"
                + " rnd_seed=" + seed + " gp_file=" + model).split(" ");
    }

    /** Test-set MAEs (eV/atom, eV/Å) of a model on the mlearn-Si test frames, computed here. */
    private static double[] testErrors(GapModel model) throws Exception {
        List<Structure> test = ExtXyz.read(SharedData.mlearn("mlearn-Si-test.xyz"));
        ReferenceGapCalculator calc = new ReferenceGapCalculator(model);
        double e = 0;
        double f = 0;
        long components = 0;
        for (Structure s : test) {
            double[] ref = s.properties().get("forces").reals();
            double eRef = s.infoReal("energy");
            CalculationResults r = calc.calculate(s);
            e += Math.abs(r.energy - eRef) / s.size();
            for (int k = 0; k < ref.length; k++) {
                f += Math.abs(r.forces[k] - ref[k]);
            }
            components += ref.length;
        }
        return new double[] {e / test.size(), f / components};
    }

    @Test
    void fitsMlearnSiliconToDftAccuracy(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("si.gap");
        CliTesting.Run run = CliTesting.run(mlearnFit(model, 200, 2));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("training-set errors") && run.out().contains("model: "), run.out());
        GapModel fitted = GapModelFile.read(model).model();
        assertTrue(fitted.hasPosterior());
        assertEquals(200, fitted.terms().getFirst().sparseCount());
        double[] mae = testErrors(fitted);
        // 200 sparse points (the published model has 1000: 2.91 meV/atom, 0.07 eV/Å); measured 5.1 meV/atom, 0.097
        assertTrue(mae[0] < 8e-3, "test energy MAE " + 1e3 * mae[0] + " meV/atom");
        assertTrue(mae[1] < 0.105, "test force MAE " + mae[1] + " eV/Å");
        // the error bars, calibrated by 5-fold cross-validation on the training frames, on the held-out test frames
        // (measured: forces 65.1 % within 1σ, 94.4 % within 2σ, rms z 1.07; energies 100 % within 2σ)
        SigmaCalibration cal = fitted.calibration();
        assertEquals(SigmaCalibration.Method.GROUP, cal.method());
        assertTrue(run.out().contains("error-bar calibration (group, 5-fold"), run.out());
        PredictiveCalibration.Figures[] f = testCalibration(fitted);
        String figures = "forces " + f[1] + ", energies " + f[0];
        assertTrue(f[1].within1() >= 0.63 && f[1].within1() <= 0.73, figures);
        assertTrue(f[1].within2() >= 0.92 && f[1].within2() <= 0.98, figures);
        assertTrue(f[1].rmsZ() >= 0.8 && f[1].rmsZ() <= 1.25, figures);
        // ranking is weaker with 200 sparse points than with the published 1000 (0.58; bench/mlearn.sh): measured 0.47
        assertTrue(f[1].spearman() >= 0.42, figures);
        assertTrue(f[0].within2() >= 0.8, figures);
    }

    /**
     * The calibration figures of a model's observed σ on the mlearn-Si test frames, z = error/σ computed here:
     * energies per frame, force components that are not zero by symmetry in both reference and prediction.
     */
    private static PredictiveCalibration.Figures[] testCalibration(GapModel model) throws Exception {
        ReferenceGapCalculator calc = new ReferenceGapCalculator(model);
        java.util.List<Double> ee = new java.util.ArrayList<>();
        java.util.List<Double> es = new java.util.ArrayList<>();
        java.util.List<Double> fe = new java.util.ArrayList<>();
        java.util.List<Double> fs = new java.util.ArrayList<>();
        for (Structure s : ExtXyz.read(SharedData.mlearn("mlearn-Si-test.xyz"))) {
            double[] ref = s.properties().get("forces").reals().clone();
            double eRef = s.infoReal("energy");
            String group = String.valueOf(s.info().get("config_type"));
            CalculationResults r = calc.calculate(s);
            ObservedVariance v = calc.observedVariance(s, group);
            ee.add(r.energy - eRef);
            es.add(Math.sqrt(v.energy()));
            for (int k = 0; k < ref.length; k++) {
                if (!SigmaCalibration.zeroBySymmetry(ref[k], r.forces[k])) {
                    fe.add(r.forces[k] - ref[k]);
                    fs.add(Math.sqrt(v.forces()[k]));
                }
            }
        }
        return new PredictiveCalibration.Figures[] {
            PredictiveCalibration.figures(unbox(ee), unbox(es)), PredictiveCalibration.figures(unbox(fe), unbox(fs))};
    }

    private static double[] unbox(java.util.List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void gapFitCommandLineWritesQuipXmlAndTheSameSeedGivesTheSameModel(@TempDir Path dir) throws Exception {
        Path si = SharedData.gapFit("si-soap").resolve("train.xyz");
        String common = "at_file=" + si + " gap={soap cutoff=5.0 n_max=8 l_max=8 atom_sigma=0.5 zeta=4 "
                + "cutoff_transition_width=0.5 delta=1.0 covariance_type=dot_product n_sparse=60 "
                + "sparse_method=cur_points} default_sigma={0.01 0.05 0.01 1} sparse_jitter=1e-8 e0={Si:-0.79} "
                + "energy_parameter_name=energy force_parameter_name=forces virial_parameter_name=NO_virial "
                + "stress_parameter_name=NO_stress rnd_seed=1 do_copy_at_file=F";
        Path xml = dir.resolve("gp.xml");
        Path gap = dir.resolve("gp.gap");
        CliTesting.Run a = CliTesting.run(("fit " + common + " gap_file=" + xml).split(" "));
        assertEquals(0, a.exitCode(), a.err());
        CliTesting.Run b = CliTesting.run(("fit " + common + " gap_file=" + gap + " --threads 1").split(" "));
        assertEquals(0, b.exitCode(), b.err());
        GapModel fromXml = GapModel.readQuip(xml);
        GapModel fromGap = GapModelFile.read(gap).model();
        assertFalse(fromXml.hasPosterior());
        assertArrayEquals(fromGap.terms().getFirst().sparseX(), fromXml.terms().getFirst().sparseX(), 0.0,
                "the same seed must choose the same sparse points");
        Structure s = ExtXyz.read(SharedData.gapFit("si-soap").resolve("quip-predictions.xyz")).getFirst();
        CalculationResults r1 = new ReferenceGapCalculator(fromXml).calculate(s);
        CalculationResults r2 = new ReferenceGapCalculator(fromGap).calculate(s);
        // two threads against one: the QR reduction differs in rounding only
        assertEquals(r2.energy, r1.energy, 1e-8 * s.size());
        assertArrayEquals(r2.forces, r1.forces, 1e-7);
    }

    /** Issue 15: the same command line, seed and thread count give the same model file bit for bit. */
    @Test
    void theSameSeedAndThreadsGiveABitIdenticalModel(@TempDir Path dir) throws Exception {
        String common = "fit at_file=" + SharedData.gapFit("si-soap").resolve("train.xyz") + " gap={soap cutoff=4.5 "
                + "n_max=6 l_max=4 atom_sigma=0.5 zeta=4 cutoff_transition_width=0.5 delta=1.0 "
                + "covariance_type=dot_product n_sparse=40 sparse_method=cur_points} default_sigma={0.01 0.05 0.01 1} "
                + "e0={Si:-0.79} sparse_jitter=1e-8 force_parameter_name=forces rnd_seed=3 --threads 2 gp_file=";
        GapModel[] models = new GapModel[2];
        for (int k = 0; k < 2; k++) {
            Path file = dir.resolve("run" + k + ".gap");
            CliTesting.Run run = CliTesting.run((common + file).split(" "));
            assertEquals(0, run.exitCode(), run.err());
            models[k] = GapModelFile.read(file).model();
        }
        GapModel a = models[0];
        GapModel b = models[1];
        Bits.assertSameBits(a.terms().getFirst().sparseX(), b.terms().getFirst().sparseX(), "sparse points");
        Bits.assertSameBits(a.terms().getFirst().alpha(), b.terms().getFirst().alpha(), "α");
        Bits.assertSameBits(a.posterior().sparseCholesky().data(), b.posterior().sparseCholesky().data(), "U");
        Bits.assertSameBits(a.posterior().rFactor().data(), b.posterior().rFactor().data(), "R~");
    }

    /** fit --optimise: σ and δ chosen by cross-validation, printed as a command line, and the model fitted with them. */
    @Test
    void optimiseChoosesSigmaByCrossValidationAndFitsWithIt(@TempDir Path dir) throws Exception {
        String common = "fit at_file=" + SharedData.gapFit("si-soap").resolve("train.xyz") + " gap={soap cutoff=4.5 "
                + "n_max=6 l_max=4 atom_sigma=0.5 zeta=2 cutoff_transition_width=0.5 delta=1.0 "
                + "covariance_type=dot_product n_sparse=30 sparse_method=cur_points} default_sigma={0.1 0.5 0.01 1} "
                + "e0={Si:-0.79} sparse_jitter=1e-8 force_parameter_name=forces rnd_seed=4 --threads 1 "
                + "--calibration none gp_file=";
        Path tuned = dir.resolve("tuned.gap");
        CliTesting.Run run = CliTesting.run((common + tuned + " --optimise 40").split(" "));
        assertEquals(0, run.exitCode(), run.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("--optimise: 5-fold cross-validation loss (\\S+) "
                + "-> (\\S+) .*the model is fitted with (.*)").matcher(run.out());
        assertTrue(m.find(), run.out());
        assertEquals(1.0, Double.parseDouble(m.group(1)), 1e-12, "the start's loss is 1");
        assertTrue(Double.parseDouble(m.group(2)) < 1.0, "σ ten times too large must be improved on: " + m.group(2));
        var b = GapModelFile.read(tuned);
        assertEquals(m.group(3), String.join(" ", b.provenance().commandLine()),
                "the model records the settings it was fitted with");
        assertTrue(m.group(3).contains("default_sigma={") && !m.group(3).contains("default_sigma={0.1 0.5 "),
                m.group(3));
    }

    @Test
    void badInputIsNamedAndNothingIsWritten(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.gap");
        Files.writeString(model, "keep me");
        String train = "at_file=" + SharedData.gapFit("si-soap").resolve("train.xyz");
        String soap = String.format(SOAP, 20);
        CliTesting.Run typo = CliTesting.run("fit", train, soap, "default_sigma={0.01 0.05 0.01 1}",
                "e0={Si:-0.79}", "sparse_jiter=1e-8", "gp_file=" + model);
        assertEquals(1, typo.exitCode());
        assertTrue(typo.err().contains("sparse_jiter") && typo.err().contains("sparse_jitter"), typo.err());
        CliTesting.Run missing = CliTesting.run("fit", "at_file=" + dir.resolve("nope.xyz"), soap,
                "default_sigma={0.01 0.05 0.01 1}", "e0={Si:-0.79}", "gp_file=" + model);
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("nope.xyz"), missing.err());
        CliTesting.Run noDir = CliTesting.run("fit", train, soap, "default_sigma={0.01 0.05 0.01 1}",
                "e0={Si:-0.79}", "force_parameter_name=forces", "gp_file=" + dir.resolve("no/such/dir/m.gap"));
        assertEquals(1, noDir.exitCode());
        assertTrue(noDir.err().contains("does not exist"), noDir.err());
        CliTesting.Run badSpecies = CliTesting.run("fit", train, soap, "default_sigma={0.01 0.05 0.01 1}",
                "e0={C:-0.79}", "force_parameter_name=forces", "gp_file=" + model);
        assertEquals(1, badSpecies.exitCode());
        assertTrue(badSpecies.err().contains("Si"), badSpecies.err());
        CliTesting.Run noSpark = CliTesting.run("fit", "--spark", "local[2]", train, soap,
                "default_sigma={0.01 0.05 0.01 1}", "e0={Si:-0.79}", "gp_file=" + model);
        assertEquals(1, noSpark.exitCode());
        assertTrue(noSpark.err().contains("--spark needs Apache Spark") && noSpark.err().contains("./soapstone"),
                noSpark.err());
        CliTesting.Run partitions = CliTesting.run("fit", "--partitions", "4", train, soap,
                "default_sigma={0.01 0.05 0.01 1}", "e0={Si:-0.79}", "gp_file=" + model);
        assertEquals(1, partitions.exitCode());
        assertTrue(partitions.err().contains("--partitions applies to --spark only"), partitions.err());
        CliTesting.Run badCalibration = CliTesting.run("fit", train, soap, "default_sigma={0.01 0.05 0.01 1}",
                "e0={Si:-0.79}", "--calibration", "sometimes", "gp_file=" + model);
        assertNotEquals(0, badCalibration.exitCode());
        assertTrue(badCalibration.err().contains("'sometimes' is not a calibration: use none, scale, group"),
                badCalibration.err());
        CliTesting.Run oneFold = CliTesting.run("fit", train, soap, "default_sigma={0.01 0.05 0.01 1}",
                "e0={Si:-0.79}", "force_parameter_name=forces", "--calibration-folds", "1", "gp_file=" + model);
        assertEquals(1, oneFold.exitCode());
        assertTrue(oneFold.err().contains("--calibration-folds 1"), oneFold.err());
        assertEquals("keep me", Files.readString(model), "a failed fit must not touch an existing model file");
    }
}
