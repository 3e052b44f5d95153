package org.soapstone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.SumCalculator;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.fit.FitListener;
import org.soapstone.engine.fit.RefitFrames;
import org.soapstone.engine.fit.SparseGpSolve;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.gap.PredictiveVariance;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.SharedData;
import org.soapstone.potentials.PotentialSpec;

/**
 * The front door: each kind of source gives the calculator it names (the model's predictions checked against the
 * readable reference path, a potential's against {@link PotentialSpec}), sums add up, bad sources are named, and a
 * JVM without the Vector API is told which option it lacks.
 */
class SoapstoneTest {
    private static final Path ROOT = Path.of(System.getProperty("soapstone.root"));
    private static final String SW = "sw:" + ROOT.resolve("test-data/Si.sw");
    private static final String ZBL = "zbl:inner=1.0,outer=3.0";

    @TempDir
    Path dir;

    private static Structure frame(String model) throws Exception {
        Structure s = ExtXyz.read(SharedData.gapFit(model).resolve("quip-predictions.xyz")).getFirst();
        return FiniteDifferences.rattled(s, 0.05, 3);
    }

    @Test
    void aGapFitXmlGivesTheFastPathWithQuipsNumbers() throws Exception {
        Path xml = SharedData.gapFit("sic-2b-soap").resolve("gp.xml");
        Calculator calc = Soapstone.load(xml.toString());
        FastGapCalculator fast = assertInstanceOf(FastGapCalculator.class, calc);
        assertTrue(!fast.hasPosterior(), "an imported model has QUIP's variance only");
        Structure s = frame("sic-2b-soap");
        CalculationResults want = new ReferenceGapCalculator(GapModel.readQuip(xml)).calculate(s);
        CalculationResults got = calc.calculate(s);
        assertEquals(want.energy, got.energy, 1e-10 * Math.abs(want.energy), "energy (eV)");
        for (int k = 0; k < want.forces.length; k++) {
            assertEquals(want.forces[k], got.forces[k], 1e-9, "force " + k + " (eV/Å)");
        }
    }

    @Test
    void aModelFileGivesTheFastPathWithItsPosterior() throws Exception {
        Path xml = SharedData.gapFit("si-soap").resolve("gp.xml");
        GapModel imported = GapModel.readQuip(xml);
        List<Structure> frames = ExtXyz.read(SharedData.gapFit("si-soap").resolve("train.xyz"));
        List<TrainingFrame> train = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            train.add(RefitFrames.frame(f, frames.get(f), 0.01, 0.1));
        }
        GapModel fitted = SparseGpSolve.fit("t", imported.e0(), imported.terms(), train, 1e-8, 2, FitListener.NONE);
        Path file = dir.resolve("si.gap");
        GapModelFile.write(file, fitted, null);
        Calculator calc = Soapstone.load(file.toString());
        assertTrue(((PredictiveVariance) calc).hasPosterior(), "the model file keeps the posterior");
        Structure s = frame("si-soap");
        ReferenceGapCalculator reference = new ReferenceGapCalculator(fitted);
        assertEquals(reference.calculate(s).energy, calc.calculate(s).energy, 1e-10 * Math.abs(reference
                .calculate(s).energy), "energy (eV)");
        double[] want = reference.localVariance(s);
        double[] got = ((PredictiveVariance) calc).localVariance(s);
        for (int a = 0; a < want.length; a++) {
            assertEquals(want[a], got[a], 1e-10 * fitted.terms().getFirst().delta() * fitted.terms().getFirst()
                    .delta(), "σ² of atom " + a + " (eV²)");
        }
    }

    @Test
    void aPotentialSpecGivesThatPotential() throws Exception {
        Calculator calc = Soapstone.load(SW);
        Structure s = FiniteDifferences.rattled(Crystal.diamond(14, 5.431, 2), 0.1, 5);
        assertEquals(PotentialSpec.parse(SW).calculate(s).energy, calc.calculate(s).energy, 0, "energy (eV)");
        // Stillinger–Weber diamond Si at its equilibrium lattice constant: −2ε per atom, ε = 2.1683 eV
        assertEquals(-2 * 2.1683 * 8, calc.calculate(Crystal.diamond(14, 5.431, 1)).energy, 1e-3, "energy (eV)");
    }

    @Test
    void severalSourcesAreSummedModelFirst() throws Exception {
        Path xml = SharedData.gapFit("si-soap").resolve("gp.xml");
        Calculator sum = Soapstone.load(xml.toString(), ZBL);
        SumCalculator parts = assertInstanceOf(SumCalculator.class, sum);
        assertInstanceOf(FastGapCalculator.class, parts.members().getFirst());
        Structure s = frame("si-soap");
        double gap = Soapstone.load(xml.toString()).calculate(s).energy;
        double zbl = PotentialSpec.parse(ZBL).calculate(s).energy;
        assertNotEquals(0, zbl, "the test cell is close enough for ZBL to matter");
        assertEquals(gap + zbl, sum.calculate(s).energy, 1e-10 * Math.abs(gap), "energy (eV)");
    }

    @Test
    void badSourcesAreNamed() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Soapstone.load(dir.resolve("nothing.gap").toString()));
        assertTrue(missing.getMessage().contains("nothing.gap") && missing.getMessage().contains("eam/alloy"),
                missing.getMessage());
        Exception file = assertThrows(Exception.class, () -> Soapstone.load("sw:" + dir.resolve("absent.sw")));
        assertTrue(String.valueOf(file.getMessage()).contains("absent.sw"), "the potential's own error: " + file);
        assertThrows(IllegalArgumentException.class, Soapstone::load, "no source");
    }

    @Test
    void aJvmWithoutTheVectorApiIsToldTheOptionThatSoapNeeds() throws Exception {
        String xml = SharedData.gapFit("si-soap").resolve("gp.xml").toString();
        Run without = java(false, xml);
        assertNotEquals(0, without.exit, "loading a SOAP model without the module fails");
        assertTrue(without.err.contains("--add-modules jdk.incubator.vector"), without.err);
        Run with = java(true, xml);
        assertEquals(0, with.exit, with.err);
        assertTrue(Double.parseDouble(with.out.trim()) < 0, "an energy (eV): " + with.out);
        assertEquals(0, java(false, SW).exit, "a classical potential needs no module");
    }

    private record Run(int exit, String out, String err) {}

    private Run java(boolean vector, String source) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        if (vector) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadProbe.class.getName(), source));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
