package org.soapstone.potentials.quip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.QuipPredictions;

/**
 * QUIP's classical potentials as gap_fit users name them for a core potential, from QUIP's own parameter formats,
 * against QUIP's own {@code quip} on the same parameters ({@code test-data/quip-reference/cores/<name>}:
 * {@code params.xml}, {@code init_args}, quip's {@code quip-predictions.xyz}; see its README): Glue as a tabulated
 * pair potential and as an EAM, ZBL (plain, and shifted and scaled), Stillinger–Weber, Lennard-Jones (shifted, with
 * a linear force shift and a smooth cutoff) and Tersoff for SiC — energies, forces, virials and, where QUIP gives
 * them, per-atom energies; and forces and stress against central differences of the energy.
 */
class QuipCorePotentialsTest {
    private static final QuipPredictions.Tolerances EXACT = new QuipPredictions.Tolerances(1e-9, 1e-7, 1e-6, 1e-8);

    private static Calculator potential(String name) throws Exception {
        Path dir = QuipPredictions.dir("cores").resolve(name);
        return QuipPotentials.create(Files.readString(dir.resolve("init_args")).strip(),
                Files.readString(dir.resolve("params.xml")), dir.resolve("params.xml").toString(), WorkerPool.shared());
    }

    @ParameterizedTest
    @ValueSource(strings = {"glue-pair", "glue-eam", "zbl", "zbl-shift", "sw", "lj", "tersoff"})
    void matchesQuip(String name) throws Exception {
        // SW and Tersoff split per-atom energies as LAMMPS does (a third of each triplet to each atom; half of a
        // bond to each end), QUIP gives a centre all it computes: their per-atom energies are compared in sum only
        boolean lammpsSplit = name.equals("sw") || name.equals("tersoff");
        QuipPredictions.Tolerances tol = lammpsSplit ? new QuipPredictions.Tolerances(EXACT.energyPerAtom(),
                EXACT.force(), EXACT.virial(), Double.NaN) : EXACT;
        Calculator c = potential(name);
        Path file = QuipPredictions.dir("cores").resolve(name).resolve("quip-predictions.xyz");
        QuipPredictions.check(c, file, tol);
        for (Structure s : ExtXyz.read(file)) {
            CalculationResults r = c.calculate(s);
            assertEquals(r.energy, java.util.Arrays.stream(r.energies).sum(), 1e-9 * s.size(),
                    name + ": per-atom energies sum to the energy");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"glue-pair", "glue-eam", "zbl", "zbl-shift", "sw", "lj", "tersoff"})
    void forcesAndStressAreDerivativesOfTheEnergy(String name) throws Exception {
        Calculator c = potential(name);
        if (name.equals("lj")) {
            // QUIP's smoothly cut LJ forces are not −∂E/∂r in the switching region (see QuipLennardJones)
            Path dir = QuipPredictions.dir("cores").resolve(name);
            c = QuipPotentials.create("IP LJ", Files.readString(dir.resolve("params.xml")).replaceAll(
                    "smooth_cutoff_width=\"[^\"]*\"", ""), "lj.xml", WorkerPool.shared());
        }
        List<Structure> frames = ExtXyz.read(QuipPredictions.dir("cores").resolve(name)
                .resolve("quip-predictions.xyz"));
        Structure s = frames.get(2);
        CalculationResults r = c.calculate(s);
        double[] fd = FiniteDifferences.numericForces(c, s, 1e-5);
        double scale = 0;
        for (double f : fd) {
            scale = Math.max(scale, Math.abs(f));
        }
        assertTrue(scale > 1e-3, name + ": the test cell must feel forces");
        assertArrayEquals(fd, r.forces, 1e-7 * Math.max(1, scale), name + ": forces");
        assertArrayEquals(FiniteDifferences.numericStress(c, s, 1e-6), r.stress, 1e-7, name + ": stress");
    }

    @Test
    void badParametersAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuipPotentials.create("IP Glue", "<SW_params n_types=\"1\"/>", "core.xml", WorkerPool.shared()));
        assertTrue(e.getMessage().contains("core.xml") && e.getMessage().contains("Glue_params"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> QuipPotentials.create("IP ZBL", "", "core.xml", WorkerPool.shared()));
        assertTrue(e.getMessage().contains("cutoff"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> QuipPotentials.create("IP Brenner", "<Brenner_params/>", "core.xml", WorkerPool.shared()));
        assertTrue(e.getMessage().contains("unsupported") && e.getMessage().contains("IP Glue"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> QuipPotentials.create("IP LJ",
                "<LJ_params n_types=\"1\"><per_type_data type=\"1\" atomic_num=\"14\"/><per_pair_data type1=\"1\" "
                        + "type2=\"2\" sigma=\"2\" eps6=\"1\" eps12=\"1\" cutoff=\"4\"/></LJ_params>", "lj.xml",
                WorkerPool.shared()));
        assertTrue(e.getMessage().contains("lj.xml") && e.getMessage().contains("type2=2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> QuipPotentials.create("IP SW", "<SW_params n_types=\"1\"", "sw.xml", WorkerPool.shared()));
        assertTrue(e.getMessage().contains("sw.xml") && e.getMessage().contains("malformed"), e.getMessage());
    }
}
