package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.accuracy.ErrorStatistics;
import org.soapstone.engine.accuracy.FrameReference;
import org.soapstone.engine.accuracy.PredictedSigma;
import org.soapstone.engine.accuracy.ReferenceNames;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;

/**
 * {@code soapstone eval --errors --plot --sigma}: the printed errors against an independent recomputation from the
 * written and the reference files, LAMMPS's own cells (errors at the files' rounding), the plots, bad input.
 */
class EvalErrorsTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    /** @return the MAE, RMSE and max the table prints for (group, quantity, unit) */
    private static double[] row(String table, String group, String quantity, String unit) {
        return table.lines().map(l -> l.trim().split("\\s+"))
                .filter(c -> c.length == 7 && c[0].equals(group) && c[1].equals(quantity) && c[2].equals(unit))
                .map(c -> new double[] {Double.parseDouble(c[4]), Double.parseDouble(c[5]), Double.parseDouble(c[6])})
                .findFirst().orElseThrow(() -> new AssertionError("no row " + group + " " + quantity + " " + unit
                        + " in\n" + table));
    }

    /** The printed value has five significant digits. */
    private static void assertPrinted(double expected, double printed, String what) {
        assertEquals(expected, printed, 1e-4 * Math.abs(expected), what);
    }

    /**
     * gap_fit's si-soap model on quip's own predictions (quip's values as the reference, forces under 'force'): the
     * predictions overwrite 'energy' (no --prefix), yet the errors are against the values read before.
     */
    @Test
    void printedErrorsMatchARecomputationFromTheFilesAndPlotsAreWritten() throws Exception {
        Path model = SharedData.gapFit("si-soap");
        Path in = model.resolve("quip-predictions.xyz");
        Path out = dir.resolve("out.xyz");
        Path plots = dir.resolve("plots");
        CliTesting.Run r = CliTesting.run("eval", "--model", model.resolve("gp.xml").toString(), in.toString(),
                "-o", out.toString(), "--errors", "--plot", plots.toString(), "--sigma", "--force-name", "force",
                "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        List<Structure> ref = ExtXyz.read(in);
        List<Structure> got = ExtXyz.read(out);
        double energy = 0;
        double forces = 0;
        double virial = 0;
        long components = 0;
        for (int f = 0; f < ref.size(); f++) {
            Structure a = ref.get(f);
            Structure b = got.get(f);
            int n = a.size();
            energy += Math.abs(b.infoReal("energy") - a.infoReal("energy")) / n;
            double[] fa = a.properties().get("force").reals();
            double[] fb = b.properties().get("forces").reals();
            for (int k = 0; k < fa.length; k++) {
                forces += Math.abs(fb[k] - fa[k]);
            }
            components += fa.length;
            double[] wa = (double[]) a.info().get("virial");
            double[] sb = (double[]) b.info().get("stress");
            for (int k : new int[] {0, 4, 8, 5, 2, 1}) {
                virial += Math.abs(-sb[k] * b.volume() - wa[k]) / n;
            }
            double[] sigma = b.properties().get("local_energy_sigma").reals();
            double[] quipVariance = a.properties().get("gap_variance").reals();
            for (int i = 0; i < n; i++) {
                double dv = Math.abs(sigma[i] * sigma[i] - quipVariance[i]);
                assertTrue(dv <= 1e-6 * quipVariance[i] + 5e-9, "frame " + f + " atom " + i + ": σ² "
                        + sigma[i] * sigma[i] + " vs quip's gap_variance " + quipVariance[i]);
            }
            assertNull(b.info().get("energy_sigma"), "an imported gap_fit model has no posterior");
            assertNull(b.properties().get("force_sigma"));
        }
        String table = r.out();
        double energyMae = 1000 * energy / ref.size();
        assertTrue(energyMae > 1e-9, "the predictions differ from quip's at its print precision: " + energyMae);
        assertPrinted(energyMae, row(table, "all", "energy", "meV/atom")[0], "energy MAE (meV/atom)");
        assertPrinted(forces / components, row(table, "all", "forces", "eV/Å")[0], "force MAE (eV/Å)");
        assertPrinted(virial / (6 * ref.size()), row(table, "all", "virial", "eV/atom")[0], "virial MAE (eV/atom)");
        assertFalse(table.contains("not compared"), table);
        for (String name : List.of("parity-energy", "parity-forces")) {
            byte[] png = Files.readAllBytes(plots.resolve(name + ".png"));
            assertArrayEquals(PNG, Arrays.copyOf(png, PNG.length), name + ".png header");
            assertTrue(png.length > 10_000, name + ".png is " + png.length + " bytes");
            assertSvg(plots.resolve(name + ".svg"), 27);
        }
        assertFalse(Files.exists(plots.resolve("calibration-energy.png")), "no σ of energies without a posterior");
        try (var files = Files.list(plots)) {
            assertEquals(4, files.count(), "no temporary file is left behind");
        }
    }

    private static void assertSvg(Path svg, int minElements) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        var doc = f.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getTagName(), svg.toString());
        assertTrue(doc.getElementsByTagName("*").getLength() > minElements, svg + " has the points");
    }

    /**
     * gap_fit's training frames with gap_fit's default names and config_types: per group, the printed energy MAE is
     * the one recomputed from the input and the output (which overwrote 'energy' and 'forces').
     */
    @Test
    void errorsPerConfigTypeWithGapFitsDefaultNames() throws Exception {
        Path model = SharedData.gapFit("si-soap");
        Path in = model.resolve("train.xyz");
        Path out = dir.resolve("out.xyz");
        CliTesting.Run r = CliTesting.run("eval", "--model", model.resolve("gp.xml").toString(), in.toString(),
                "-o", out.toString(), "--errors", "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        List<Structure> ref = ExtXyz.read(in);
        List<Structure> got = ExtXyz.read(out);
        Set<String> groups = new TreeSet<>();
        ref.forEach(s -> groups.add((String) s.info().get("config_type")));
        assertTrue(groups.size() > 1, groups.toString());
        for (String group : groups) {
            double sum = 0;
            int frames = 0;
            double max = 0;
            for (int f = 0; f < ref.size(); f++) {
                if (group.equals(ref.get(f).info().get("config_type"))) {
                    double e = Math.abs(got.get(f).infoReal("energy") - ref.get(f).infoReal("energy"))
                            / ref.get(f).size();
                    sum += e;
                    max = Math.max(max, e);
                    frames++;
                }
            }
            double[] printed = row(r.out(), group, "energy", "meV/atom");
            assertTrue(sum / frames > 1e-4, group + ": a fit's training error is not zero");
            assertPrinted(1000 * sum / frames, printed[0], group + " energy MAE");
            assertPrinted(1000 * max, printed[2], group + " energy max");
        }
    }

    /**
     * Stillinger–Weber on LAMMPS's reference cells: errors are the reference file's rounding — energies written
     * with 15–16 significant digits (≈ 1e-15 eV/atom), forces with 8 decimals (≤ 5e-9 eV/Å), stress to ≈ 4e-9
     * eV/Å³ (LAMMPS's pressure output).
     */
    @Test
    void stillingerWeberAgainstLammpsHasErrorsAtTheFilesRounding() {
        CliTesting.Run r = CliTesting.run("eval", "--potential", "sw:" + CliTesting.testData("Si.sw"),
                SharedData.reference("si_sw_refs.extxyz").toString(), "-o", dir.resolve("out.xyz").toString(),
                "--errors");
        assertEquals(0, r.exitCode(), r.err());
        double[] e = row(r.out(), "all", "energy", "meV/atom");
        assertTrue(e[0] < 1e-9 && e[2] < 1e-9, "energy MAE/max " + e[0] + "/" + e[2] + " meV/atom");
        double[] f = row(r.out(), "all", "forces", "eV/Å");
        assertTrue(f[2] <= 5.1e-9 && f[0] > 0, "forces max " + f[2] + " eV/Å");
        double[] s = row(r.out(), "all", "stress", "eV/Å³");
        assertTrue(s[2] < 1e-8, "stress max " + s[2] + " eV/Å³");
        assertTrue(r.out().contains("si64_triclinic"), r.out());
    }

    @Test
    void referenceNamesNoFrameHasAreSaidAndTheirRowsAbsent() {
        CliTesting.Run r = CliTesting.run("eval", "--potential", "sw:" + CliTesting.testData("Si.sw"),
                SharedData.reference("si_sw_refs.extxyz").toString(), "-o", dir.resolve("out.xyz").toString(),
                "--errors", "--virial-name", "dft_virial", "--stress-name", "dft_stress", "--energy-name", "E_dft");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("energy: not compared") && r.out().contains("'E_dft'"), r.out());
        assertTrue(r.out().contains("virial: not compared") && r.out().contains("'dft_virial' or 'dft_stress'"),
                r.out());
        assertFalse(r.out().lines().anyMatch(l -> l.matches("\\S+\\s+(energy|virial|stress)\\s+.*")), r.out());
        row(r.out(), "all", "forces", "eV/Å");
    }

    @Test
    void plotOntoAnExistingFileIsAClearErrorAndDamagesNothing() throws Exception {
        Path file = dir.resolve("plots");
        Files.writeString(file, "precious");
        Path out = dir.resolve("out.xyz");
        CliTesting.Run r = CliTesting.run("eval", "--potential", "sw:" + CliTesting.testData("Si.sw"),
                SharedData.reference("si_sw_refs.extxyz").toString(), "-o", out.toString(), "--plot", file.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("--plot " + file) && r.err().contains("not a directory"), r.err());
        assertEquals("precious", Files.readString(file));
        assertFalse(Files.exists(out), "nothing is evaluated");
    }

    @Test
    void aMalformedReferenceNamesFileFrameAndField() throws Exception {
        Path in = dir.resolve("bad.xyz");
        Files.writeString(in, """
                1
                Lattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3 energy=-4.0
                Si 0 0 0
                1
                Lattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3 virial="1 2 3"
                Si 0 0 0
                """);
        Path out = dir.resolve("out.xyz");
        CliTesting.Run r = CliTesting.run("eval", "--potential", "sw:" + CliTesting.testData("Si.sw"), in.toString(),
                "-o", out.toString(), "--errors");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("bad.xyz: frame 2") && r.err().contains("'virial'"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void sigmaNeedsAModelWithUncertainty() {
        CliTesting.Run r = CliTesting.run("eval", "--potential", "sw:" + CliTesting.testData("Si.sw"),
                SharedData.reference("si_sw_refs.extxyz").toString(), "-o", dir.resolve("out.xyz").toString(),
                "--sigma");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("--sigma") && r.err().contains("--model"), r.err());
    }

    /** With predicted σ (as a model with a posterior gives), calibration plots are written too. */
    @Test
    void calibrationPlotsAreWrittenWhenSigmaIsKnown() throws Exception {
        ErrorStatistics stats = new ErrorStatistics(ReferenceNames.DEFAULTS, 1000);
        for (int f = 0; f < 20; f++) {
            Structure s = new Structure(new int[] {14, 14}, new double[6], Cell.cubic(5));
            s.info().put("config_type", f % 2 == 0 ? "bulk" : "surface");
            s.info().put("energy", -10.0);
            s.setProperty("forces", org.soapstone.engine.structure.AtomProperty.real(3, new double[6]));
            CalculationResults p = new CalculationResults();
            p.reset(2);
            p.energy = -10.0 + 0.01 * (f - 10);
            for (int k = 0; k < 6; k++) {
                p.forces[k] = 0.001 * (f + 1) * (k - 2.5);
            }
            p.markComputed(EnumSet.of(Property.ENERGY, Property.FORCES));
            double[] forceSigma = new double[6];
            Arrays.fill(forceSigma, 0.002 * (f + 1));
            stats.add(FrameReference.read(s, ReferenceNames.DEFAULTS), p, new PredictedSigma(new double[2], 0.05,
                    forceSigma, null, PredictedSigma.Kind.OBSERVED));
        }
        List<Path> files = ErrorPlots.write(stats, dir.resolve("new").resolve("plots"));
        assertEquals(12, files.size(), files.toString());
        for (String name : List.of("calibration-energy", "calibration-forces", "reliability-forces")) {
            Path png = dir.resolve("new").resolve("plots").resolve(name + ".png");
            assertNotNull(files.stream().filter(png::equals).findFirst().orElse(null), name);
            byte[] bytes = Files.readAllBytes(png);
            assertArrayEquals(PNG, Arrays.copyOf(bytes, PNG.length));
            assertSvg(png.resolveSibling(name + ".svg"), 19);
        }
        assertTrue(stats.format().contains("within 1σ"), stats.format());
    }
}
