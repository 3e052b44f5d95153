package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.baseline.Baseline;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.AtomProperty;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.potentials.PotentialSpec;

/**
 * {@code soapstone fit --baseline SPEC}: a GAP fitted on top of a potential keeps it (with its parameter file) and
 * every command applies it with no flag. Fitted to Stillinger–Weber data on top of Stillinger–Weber, the GP has
 * nothing left to learn, so {@code eval} and {@code md} with the model alone give SW's energies and forces; and the
 * fit's labels really were the residuals (without the baseline, the same GP cannot reproduce SW).
 */
class StoredBaselineTest {
    private static final String SW = "sw:" + Path.of(System.getProperty("soapstone.root"), "test-data", "Si.sw");
    private static final String GAP = "gap={distance_2b cutoff=4.0 delta=0.2 covariance_type=ard_se theta_uniform=1.0 "
            + "sparse_method=uniform n_sparse=8 : angle_3b cutoff=3.6 delta=0.1 covariance_type=ard_se "
            + "theta_uniform=1.0 sparse_method=random n_sparse=20}";

    @TempDir
    Path dir;

    /** Rattled 8-atom diamond cells labelled by SW: energy (eV), forces (eV/Å), virial (eV). */
    private Path labelled(String name, int frames, long seed) throws Exception {
        Calculator sw = PotentialSpec.parse(SW);
        List<Structure> out = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            Structure s = FiniteDifferences.rattled(Crystal.diamond(14, 5.43, 1), 0.12, seed + f);
            CalculationResults r = sw.calculate(s);
            s.info().put("energy", r.energy);
            s.info().put("virial", r.virial(s.volume()));
            s.properties().put("forces", AtomProperty.real(3, r.forces.clone()));
            out.add(s);
        }
        Path file = dir.resolve(name);
        ExtXyz.write(file, out);
        return file;
    }

    /**
     * soapstone fit of the 2b + 3b GAP on {@code train}, written to {@code model}, with extra options; no
     * calibration (the residuals of SW labels less the SW baseline are all zero, which no error bar fits).
     */
    private static CliTesting.Run fit(Path train, Path model, String... extra) {
        List<String> args = new ArrayList<>(List.of("fit", "at_file=" + train, GAP, "default_sigma={0.001 0.01 0.01 0}",
                "e0={Si:0.0}", "energy_parameter_name=energy", "force_parameter_name=forces",
                "virial_parameter_name=virial", "rnd_seed=1", "gp_file=" + model, "--calibration", "none"));
        args.addAll(List.of(extra));
        return CliTesting.run(args.toArray(String[]::new));
    }

    @Test
    void fitOnTopOfABaselineKeepsItAndEvalAndMdApplyItWithoutAFlag() throws Exception {
        Path train = labelled("train.xyz", 6, 10);
        Path model = dir.resolve("m.gap");
        CliTesting.Run fit = fit(train, model, "--baseline", SW);
        assertEquals(0, fit.exitCode(), fit.err());
        Baseline.Potential stored = assertInstanceOf(Baseline.Potential.class, GapModel.read(model).baseline());
        assertEquals("sw:Si.sw", stored.spec());
        assertTrue(stored.files().get("Si.sw").contains("2.0951"), "the SW file travels in the model");

        Path test = labelled("test.xyz", 2, 50);
        Path out = dir.resolve("out.xyz");
        CliTesting.Run eval = CliTesting.run("eval", "--model", model.toString(), test.toString(), "-o",
                out.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        List<Structure> ref = ExtXyz.read(test);
        List<Structure> got = ExtXyz.read(out);
        for (int f = 0; f < ref.size(); f++) {
            int n = ref.get(f).size();
            assertEquals(ref.get(f).infoReal("energy") / n, got.get(f).infoReal("energy") / n, 1e-4,
                    "frame " + f + ": energy per atom = SW's (the GP learnt nothing)");
            double[] fr = ref.get(f).properties().get("forces").reals();
            double[] fg = got.get(f).properties().get("forces").reals();
            for (int k = 0; k < fr.length; k++) {
                assertEquals(fr[k], fg[k], 1e-3, "frame " + f + " force " + k);
            }
        }

        Path md = dir.resolve("md");
        CliTesting.Run run = CliTesting.run("md", "--model", model.toString(), "--ensemble", "nve", "--temperature",
                "300", "--timestep", "0.5", "--steps", "2", "--output", md.toString(), test.toString());
        assertEquals(0, run.exitCode(), run.err());
        String[] first = Files.readAllLines(md.resolve("thermo.log")).get(1).trim().split("\\s+");
        Structure start = ref.get(ref.size() - 1);
        CalculationResults sw = new CalculationResults();
        PotentialSpec.parse(SW).calculate(start, EnumSet.of(Property.ENERGY), sw);
        assertEquals(sw.energy, Double.parseDouble(first[2]), 1e-4 * start.size(),
                "md's step-0 potential energy includes the stored baseline");
    }

    @Test
    void withoutTheBaselineTheSameGpDoesNotReproduceStillingerWeber() throws Exception {
        Path train = labelled("train.xyz", 6, 10);
        Path model = dir.resolve("plain.gap");
        CliTesting.Run fit = fit(train, model);
        assertEquals(0, fit.exitCode(), fit.err());
        Path test = labelled("test.xyz", 2, 50);
        Path out = dir.resolve("out.xyz");
        assertEquals(0, CliTesting.run("eval", "--model", model.toString(), test.toString(), "-o", out.toString())
                .exitCode());
        double[] fr = ExtXyz.read(test).get(0).properties().get("forces").reals();
        double[] fg = ExtXyz.read(out).get(0).properties().get("forces").reals();
        double worst = 0;
        for (int k = 0; k < fr.length; k++) {
            worst = Math.max(worst, Math.abs(fr[k] - fg[k]));
        }
        assertTrue(worst > 1e-2, "a small GP alone misses SW's forces by more than the baselined one: " + worst);
    }

    @Test
    void aPotentialGivenOnTopOfAModelWithItsOwnBaselineIsNoted() throws Exception {
        Path model = dir.resolve("m.gap");
        assertEquals(0, fit(labelled("train.xyz", 6, 10), model, "--baseline", SW).exitCode());
        Path test = labelled("test.xyz", 1, 50);
        Path once = dir.resolve("once.xyz");
        Path twice = dir.resolve("twice.xyz");
        assertEquals(0, CliTesting.run("eval", "--model", model.toString(), test.toString(), "-o", once.toString())
                .exitCode());
        CliTesting.Run eval = CliTesting.run("eval", "--model", model.toString(), "--potential", SW, test.toString(),
                "-o", twice.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.err().contains("adds its own baseline") && eval.err().contains(SW), eval.err());
        Structure s = ExtXyz.read(test).get(0);
        CalculationResults sw = new CalculationResults();
        PotentialSpec.parse(SW).calculate(s, EnumSet.of(Property.ENERGY), sw);
        assertEquals(ExtXyz.read(once).get(0).infoReal("energy") + sw.energy,
                ExtXyz.read(twice).get(0).infoReal("energy"), 1e-9 * s.size(), "the model's baseline counts too");
    }

    @Test
    void aBaselineSpecCannotBeWrittenAsGapFitXml() throws Exception {
        Path train = labelled("train.xyz", 1, 10);
        CliTesting.Run fit = fit(train, dir.resolve("m.xml"), "--baseline", SW);
        assertEquals(1, fit.exitCode());
        assertTrue(fit.err().contains("--baseline") && fit.err().contains("gap_fit XML"), fit.err());
        assertTrue(!Files.exists(dir.resolve("m.xml")), "nothing written");
    }
}
