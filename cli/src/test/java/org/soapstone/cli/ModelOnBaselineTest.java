package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.calculator.SumCalculator;
import org.soapstone.engine.evaluator.EvaluatorOptions;
import org.soapstone.engine.evaluator.FastGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.SharedData;
import org.soapstone.potentials.PotentialSpec;

/** A GAP on top of a ZBL baseline ({@code --model M --potential zbl:...}): the sum of the parts, with the model's σ. */
class ModelOnBaselineTest {
    /** Switched off between 2.0 and 2.6 Å: compressed diamond Si (bonds ≈ 2.2 Å) feels it. */
    private static final String ZBL = "zbl:inner=2.0,outer=2.6";

    @TempDir
    Path dir;

    private static Path model() {
        return SharedData.gapFit("si-soap").resolve("gp.xml");
    }

    /** Compressed, rattled diamond Si: 64 atoms, bonds near 2.2 Å. */
    private static Structure compressed(long seed) {
        return FiniteDifferences.rattled(Crystal.diamond(14, 5.1, 2), 0.05, seed);
    }

    @Test
    void evalOfModelPlusZblIsTheSumOfTheirSeparateEvaluationsAndKeepsTheModelsSigma() throws Exception {
        Path in = dir.resolve("in.xyz");
        ExtXyz.write(in, List.of(compressed(1), compressed(2)));
        Path both = dir.resolve("both.xyz");
        Path gap = dir.resolve("gap.xyz");
        Path zbl = dir.resolve("zbl.xyz");
        CliTesting.Run r = CliTesting.run("eval", "--model", model().toString(), "--potential", ZBL, "--sigma",
                in.toString(), "-o", both.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(0, CliTesting.run("eval", "--model", model().toString(), "--sigma", in.toString(), "-o",
                gap.toString()).exitCode());
        assertEquals(0, CliTesting.run("eval", "--potential", ZBL, in.toString(), "-o", zbl.toString()).exitCode());
        List<Structure> b = ExtXyz.read(both);
        List<Structure> g = ExtXyz.read(gap);
        List<Structure> z = ExtXyz.read(zbl);
        for (int f = 0; f < b.size(); f++) {
            double eg = g.get(f).infoReal("energy");
            double ez = z.get(f).infoReal("energy");
            assertTrue(Math.abs(ez) > 1, "frame " + f + ": the baseline contributes (" + ez + " eV)");
            assertEquals(eg + ez, b.get(f).infoReal("energy"), 1e-12 * (Math.abs(eg) + Math.abs(ez)), "energy");
            double[] fb = b.get(f).properties().get("forces").reals();
            double[] fg = g.get(f).properties().get("forces").reals();
            double[] fz = z.get(f).properties().get("forces").reals();
            for (int k = 0; k < fb.length; k++) {
                assertEquals(fg[k] + fz[k], fb[k], 1e-12 * (1 + Math.abs(fg[k]) + Math.abs(fz[k])), "force " + k);
            }
            assertArrayEquals(g.get(f).properties().get("local_energy_sigma").reals(),
                    b.get(f).properties().get("local_energy_sigma").reals(), 0, "σ is the model's");
        }
    }

    @Test
    void evaluatorPlusZblSumsThePartsAndItsForcesAndStressAreGradientsOfItsEnergy() throws Exception {
        Structure s = compressed(3);
        GapModel gap = GapModel.read(model());
        try (WorkerPool pool = new WorkerPool(1)) {
            FastGapCalculator ev = new FastGapCalculator(gap, s, pool, EvaluatorOptions.withVariance());
            Calculator zbl = PotentialSpec.parse(ZBL);
            SumCalculator sum = new SumCalculator(List.of(ev, zbl));
            EnumSet<Property> req = EnumSet.of(Property.ENERGY, Property.FORCES, Property.STRESS);
            CalculationResults rs = new CalculationResults();
            CalculationResults rg = new CalculationResults();
            CalculationResults rz = new CalculationResults();
            sum.calculate(s, req, rs);
            ev.calculate(s, req, rg);
            zbl.calculate(s, req, rz);
            assertEquals(rg.energy + rz.energy, rs.energy, 1e-12 * (Math.abs(rg.energy) + Math.abs(rz.energy)));
            for (int k = 0; k < rs.forces.length; k++) {
                assertEquals(rg.forces[k] + rz.forces[k], rs.forces[k], 1e-12 * (1 + Math.abs(rz.forces[k])));
            }
            FiniteDifferences.assertForcesMatch(sum, s, 1e-4, 1e-5);
            FiniteDifferences.assertStressMatches(sum, s, 1e-5, 1e-6);
        }
    }

    @Test
    void mdWithModelAndBaselineLogsTheModelsDeviationsAndStartsFromTheSummedEnergy() throws Exception {
        Path in = dir.resolve("in.xyz");
        Structure s = compressed(4);
        ExtXyz.write(in, List.of(s));
        Path out = dir.resolve("md");
        CliTesting.Run r = CliTesting.run("md", "--model", model().toString(), "--potential", ZBL, "--ensemble",
                "nve", "--temperature", "300", "--timestep", "0.5", "--steps", "2", "--output", out.toString(),
                in.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> log = Files.readAllLines(out.resolve("thermo.log"));
        assertTrue(log.get(0).contains("sigma_max_eV"), log.get(0));
        String[] first = log.get(1).trim().split("\\s+");
        CalculationResults rg = new CalculationResults();
        CalculationResults rz = new CalculationResults();
        EnumSet<Property> req = EnumSet.of(Property.ENERGY);
        try (WorkerPool pool = new WorkerPool(1)) {
            new FastGapCalculator(GapModel.read(model()), s, pool, EvaluatorOptions.meanOnly()).calculate(s, req, rg);
        }
        PotentialSpec.parse(ZBL).calculate(s, req, rz);
        assertEquals(rg.energy + rz.energy, Double.parseDouble(first[2]), 1e-6 * Math.abs(rg.energy + rz.energy),
                "step-0 potential energy (eV) = GAP + ZBL");
    }
}
