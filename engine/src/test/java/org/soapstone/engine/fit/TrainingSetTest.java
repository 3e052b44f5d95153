package org.soapstone.engine.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.testing.SharedData;

/**
 * gap_fit's training-file semantics on the 40 mlearn-Si frames of the shared {@code reference/gap_fit/si-soap/train.xyz},
 * checked against the file itself read independently here (header keys, atom lines, the cell volume from the
 * Lattice triple product), and on small files written by the test for every per-frame override and error.
 */
class TrainingSetTest {
    private static Path train() {
        return SharedData.gapFit("si-soap").resolve("train.xyz");
    }
    private static final String GAP = "gap={soap cutoff=5.0 n_max=2 l_max=2 atom_sigma=0.5 zeta=2 delta=1.0 "
            + "covariance_type=dot_product n_sparse=10}";
    private static final Pattern PAIR = Pattern.compile("(\\w+)=(\"([^\"]*)\"|(\\S+))");

    /** One frame of the training file as this test reads it. */
    private record RawFrame(int line, int atoms, Map<String, String> header, double[] forces) {
        double number(String key) {
            return Double.parseDouble(header.get(key));
        }

        double[] numbers(String key) {
            return Arrays.stream(header.get(key).strip().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
        }
    }

    private static List<RawFrame> raw;

    @TempDir
    Path dir;

    @BeforeAll
    static void readTheFileIndependently() throws IOException {
        List<String> lines = Files.readAllLines(train());
        raw = new ArrayList<>();
        int k = 0;
        while (k < lines.size()) {
            if (lines.get(k).isBlank()) {
                k++;
                continue;
            }
            int n = Integer.parseInt(lines.get(k).strip());
            Map<String, String> header = new LinkedHashMap<>();
            Matcher m = PAIR.matcher(lines.get(k + 1));
            while (m.find()) {
                header.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
            }
            assertEquals("species:S:1:pos:R:3:forces:R:3", header.get("Properties"));
            double[] forces = new double[3 * n];
            for (int i = 0; i < n; i++) {
                String[] cols = lines.get(k + 2 + i).strip().split("\\s+");
                for (int c = 0; c < 3; c++) {
                    forces[3 * i + c] = Double.parseDouble(cols[4 + c]);
                }
            }
            raw.add(new RawFrame(k + 1, n, header, forces));
            k += n + 2;
        }
        assertEquals(40, raw.size());
    }

    private FitSettings settings(Path file, String extra) {
        return settings(file, "{0.01 0.05 0.01 1}", extra);
    }

    private FitSettings settings(Path file, String defaultSigma, String extra) {
        String line = "at_file=" + file + " " + GAP + " default_sigma=" + defaultSigma + " " + extra;
        return GapFitCommandLine.parse(List.of(line.strip().split("\\s+")), dir);
    }

    private static double volume(double[] h) {
        return h[0] * (h[4] * h[8] - h[5] * h[7]) - h[1] * (h[3] * h[8] - h[5] * h[6])
                + h[2] * (h[3] * h[7] - h[4] * h[6]);
    }

    private static double[] symmetrised(double[] m) {
        double[] s = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                s[3 * r + c] = 0.5 * (m[3 * r + c] + m[3 * c + r]);
            }
        }
        return s;
    }

    private static void assertClose(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, relative * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void energiesForcesVirialsAndSigmasOfTheMlearnFrames() {
        TrainingSet set = TrainingSet.read(settings(train(), "force_parameter_name=forces e0={Si:-0.79}"));
        assertEquals(train(), set.file());
        assertEquals(40, set.frames().size());
        assertArrayEquals(new int[] {14}, set.species());
        for (int k = 0; k < 40; k++) {
            TrainingFrame f = set.frames().get(k);
            RawFrame r = raw.get(k);
            String where = "frame " + k;
            assertEquals(k, f.index());
            assertEquals(r.line(), f.line(), where);
            assertEquals(r.atoms(), f.structure().size(), where);
            assertEquals(r.header().get("config_type"), f.configType(), where);
            assertEquals(r.number("energy"), f.energy(), where);
            assertEquals(0.01 * Math.sqrt(r.atoms()), f.energySigma(), 1e-16, where);
            assertArrayEquals(r.forces(), f.forces(), where);
            double[] fifty = new double[3 * r.atoms()];
            Arrays.fill(fifty, 0.05);
            assertArrayEquals(fifty, f.forceSigma(), where);
            assertEquals(3 * r.atoms(), f.fittedForceComponents());
            assertArrayEquals(symmetrised(r.numbers("virial")), f.virial(), 1e-12, where);
            for (double s : f.virialSigma()) {
                assertEquals(0.01 * Math.sqrt(r.atoms()), s, 1e-16, where);
            }
        }
        assertTrue(set.notes().get(0).contains("fitting 40 energies"), set.notes().toString());
        assertTrue(set.notes().get(0).contains("40 virials"), set.notes().toString());
    }

    @Test
    void virialFromStressIsMinusStressTimesVolumeAndMatchesTheFilesVirial() {
        TrainingSet set = TrainingSet.read(settings(train(), "force_parameter_name=forces e0=0 "
                + "virial_parameter_name=NO_virial"));
        for (int k = 0; k < 40; k++) {
            RawFrame r = raw.get(k);
            double v = volume(r.numbers("Lattice"));
            double[] stress = r.numbers("stress");
            double[] expected = new double[9];
            for (int c = 0; c < 9; c++) {
                expected[c] = -stress[c] * v;
            }
            double[] virial = set.frames().get(k).virial();
            double[] fileVirial = symmetrised(r.numbers("virial"));
            for (int c = 0; c < 9; c++) {
                assertClose(symmetrised(expected)[c], virial[c], 1e-13, "frame " + k + " component " + c);
                assertClose(fileVirial[c], virial[c], 1e-12, "frame " + k + " against the file's virial");
            }
        }
        assertTrue(set.notes().get(0).contains("40 of them from 'stress'"), set.notes().toString());
    }

    @Test
    void namesNoFrameHasMeanNotFitted() {
        TrainingSet set = TrainingSet.read(settings(train(), "force_parameter_name=forces e0=0 "
                + "virial_parameter_name=NO_virial stress_parameter_name=NO_stress"));
        set.frames().forEach(f -> assertNull(f.virial()));
        assertTrue(set.notes().contains("virial: not fitted — no frame has 'NO_virial' or 'NO_stress'"),
                set.notes().toString());
        TrainingSet noForces = TrainingSet.read(settings(train(), "e0=0"));
        noForces.frames().forEach(f -> assertNull(f.forces()));
        assertTrue(noForces.notes().stream().anyMatch(n -> n.startsWith("forces: not fitted — no frame has per-atom "
                + "'force' (some have 'forces'")), noForces.notes().toString());
    }

    @Test
    void configTypeSigmaAndAbsoluteSigmas() {
        TrainingSet set = TrainingSet.read(settings(train(), "force_parameter_name=forces e0=0 "
                + "config_type_sigma={Vacancy:0.02:0.1:0.05:0:Surface:0.003:0.2:0.04:0}"));
        TrainingSet absolute = TrainingSet.read(settings(train(), "force_parameter_name=forces e0=0 "
                + "config_type_sigma={default:0.007:0.3:0.02:0} sigma_per_atom=F"));
        int vacancies = 0;
        for (int k = 0; k < 40; k++) {
            TrainingFrame f = set.frames().get(k);
            double root = Math.sqrt(f.structure().size());
            Sigmas expected = switch (raw.get(k).header().get("config_type")) {
                case "Vacancy" -> new Sigmas(0.02, 0.1, 0.05, 0);
                case "Surface" -> new Sigmas(0.003, 0.2, 0.04, 0);
                default -> new Sigmas(0.01, 0.05, 0.01, 1);
            };
            vacancies += f.configType().equals("Vacancy") ? 1 : 0;
            assertEquals(expected.energy() * root, f.energySigma(), 1e-16);
            assertEquals(expected.force(), f.forceSigma()[3 * f.structure().size() - 1]);
            assertEquals(expected.virial() * root, f.virialSigma()[4], 1e-16);
            TrainingFrame a = absolute.frames().get(k);
            assertEquals(0.007, a.energySigma());
            assertEquals(0.3, a.forceSigma()[0]);
            assertEquals(0.02, a.virialSigma()[8]);
        }
        assertEquals(9, vacancies);
    }

    @Test
    void e0PerSpeciesAverageAndOffset() {
        TrainingSet given = TrainingSet.read(settings(train(), "force_parameter_name=forces e0={Si:-0.79:C:-2.5} "
                + "e0_offset=0.25"));
        assertEquals(-0.79 + 0.25, given.e0()[14], 1e-15);
        assertEquals(-2.5 + 0.25, given.e0()[6], 1e-15);
        assertEquals(0.25, given.e0()[1], "gap_fit adds the offset to every element");
        TrainingFrame first = given.frames().get(0);
        assertEquals(raw.get(0).atoms() * (-0.79 + 0.25), given.referenceEnergy(first), 1e-12);
        assertEquals(119, given.e0().length);

        TrainingSet uniform = TrainingSet.read(settings(train(), "force_parameter_name=forces e0=-0.5"));
        assertEquals(-0.5, uniform.e0()[14]);
        assertEquals(-0.5, uniform.e0()[79]);

        TrainingSet average = TrainingSet.read(settings(train(), "force_parameter_name=forces e0_method=average"));
        double mean = raw.stream().mapToDouble(r -> r.number("energy") / r.atoms()).average().orElseThrow();
        assertEquals(mean, average.e0()[14], 1e-12);
        assertEquals(0.0, average.e0()[6], "species absent from the data get 0");
    }

    private Path write(String name, String... frames) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("", frames));
        return file;
    }

    private static String frame(String header, String... atoms) {
        return atoms.length + "\n" + header + "\n" + String.join("\n", atoms) + "\n";
    }

    private static final String CELL = "Lattice=\"5.43 0 0 0 5.43 0 0 0 5.43\" pbc=\"T T T\" ";
    private static final String PROPS = "Properties=species:S:1:pos:R:3:force:R:3 ";
    private static final String[] PAIR_ATOMS = {"Si 0 0 0 0.1 0.2 0.3", "Si 1.3575 1.3575 1.3575 -0.1 -0.2 -0.3"};
    private static final String GOOD = frame(CELL + PROPS + "energy=-10.5", PAIR_ATOMS);

    @Test
    void isolatedAtomsGiveE0() throws IOException {
        String isolated = frame("Properties=species:S:1:pos:R:3 energy=-0.1234", "Si 0 0 0");
        String inBigBox = frame("Lattice=\"20 0 0 0 20 0 0 0 20\" Properties=species:S:1:pos:R:3 energy=-0.2",
                "C 1 1 1");
        String inSmallBox = frame("Lattice=\"3 0 0 0 3 0 0 0 3\" Properties=species:S:1:pos:R:3 energy=-9", "C 0 0 0");
        TrainingSet set = TrainingSet.read(settings(write("iso.xyz", GOOD, isolated, inBigBox, inSmallBox), ""));
        assertEquals(-0.1234, set.e0()[14]);
        assertEquals(-0.2, set.e0()[6], "a periodic atom with no image within the cutoff is isolated");
        assertArrayEquals(new int[] {14, 6}, set.species());
        assertEquals(0.0, set.e0()[1]);

        TrainingDataException none = assertThrows(TrainingDataException.class,
                () -> TrainingSet.read(settings(write("noiso.xyz", GOOD, inSmallBox), "")),
                "a 3 Å cell puts images within the 5 Å cutoff");
        assertMentions(none, "noiso.xyz", "e0", "no isolated-atom frame for Si, C", "e0={Si:E0:C:E0}",
                "e0_method=average", "5.0 Å");
        assertMentions(assertThrows(TrainingDataException.class,
                () -> TrainingSet.read(settings(write("twice.xyz", GOOD, isolated, isolated), ""))),
                "twice.xyz", "frame 3 (index 2)", "e0", "second isolated Si");
    }

    @Test
    void perFrameSigmasMaskAndVoigtStress() throws IOException {
        String header = CELL + "Properties=species:S:1:pos:R:3:force:R:3:force_atom_sigma:R:1:"
                + "force_component_sigma:R:3:force_mask:L:1 ";
        String[] atoms = {"Si 0 0 0 0.1 0.2 0.3 0.5 0.11 0.12 0.13 F", "Si 1.3575 1.3575 1.3575 -0.1 -0.2 -0.3 0.6 "
            + "0.21 0.22 0.23 T", "Si 2.715 2.715 0 0 0 0 0.7 0.31 0.32 0.33 F"};
        String withAll = frame(header + "energy=-1 energy_sigma=0.5 force_sigma=0.9 virial_sigma=0.3 "
                + "stress=\"1 2 3 4 5 6\"", atoms);
        String atomOnly = frame(CELL + "Properties=species:S:1:pos:R:3:force:R:3:force_atom_sigma:R:1 energy=-1 "
                + "force_sigma=0.9 virial=\"1 2 3 4 5 6 7 8 9\" virial_component_sigma=\"1 2 3 4 5 6 7 8 9\"",
                "Si 0 0 0 1 1 1 0.4", "Si 1.3575 1.3575 1.3575 -1 -1 -1 0.8");
        String frameSigma = frame(CELL + PROPS + "energy=-1 force_sigma=0.9 stress=\"1 6 5 6 2 4 5 4 3\"", PAIR_ATOMS);
        TrainingSet set = TrainingSet.read(settings(write("sig.xyz", withAll, atomOnly, frameSigma), "e0=0"));

        TrainingFrame a = set.frames().get(0);
        assertEquals(0.5, a.energySigma(), "energy_sigma is absolute");
        double inf = Double.POSITIVE_INFINITY;
        assertArrayEquals(new double[] {0.11, 0.12, 0.13, inf, inf, inf, 0.31, 0.32, 0.33}, a.forceSigma(),
                "force_component_sigma wins; force_mask T gives σ = ∞");
        assertEquals(6, a.fittedForceComponents());
        double v = 5.43 * 5.43 * 5.43;
        assertArrayEquals(new double[] {-v, -6 * v, -5 * v, -6 * v, -2 * v, -4 * v, -5 * v, -4 * v, -3 * v},
                a.virial(), 1e-12, "Voigt xx yy zz yz xz xy");
        assertArrayEquals(set.frames().get(2).virial(), a.virial(), 1e-12, "Voigt and 3×3 stress agree");
        double[] point3 = new double[9];
        Arrays.fill(point3, 0.3);
        assertArrayEquals(point3, a.virialSigma());

        TrainingFrame b = set.frames().get(1);
        assertEquals(0.01 * Math.sqrt(2), b.energySigma(), 1e-17);
        assertArrayEquals(new double[] {0.4, 0.4, 0.4, 0.8, 0.8, 0.8}, b.forceSigma(), "force_atom_sigma wins");
        assertArrayEquals(new double[] {1, 3, 5, 3, 5, 7, 5, 7, 9}, b.virial(), "symmetrised as gap_fit");
        assertArrayEquals(new double[] {1, 3, 5, 3, 5, 7, 5, 7, 9}, b.virialSigma(), "symmetrised as gap_fit");

        TrainingFrame c = set.frames().get(2);
        assertArrayEquals(new double[] {0.9, 0.9, 0.9, 0.9, 0.9, 0.9}, c.forceSigma(), "force_sigma per frame");
        assertEquals(0.01 * Math.sqrt(2), c.virialSigma()[0], 1e-17);
        assertTrue(set.notes().stream().anyMatch(n -> n.startsWith("1 frame(s) have both force_atom_sigma")),
                set.notes().toString());
        assertTrue(set.notes().stream().anyMatch(n -> n.startsWith("1 virial(s) not symmetric")),
                set.notes().toString());
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
    }

    private TrainingDataException bad(String name, String extra, String... frames) throws IOException {
        Path file = write(name, frames);
        return assertThrows(TrainingDataException.class, () -> TrainingSet.read(settings(file, extra)));
    }

    @Test
    void badFramesNameFileLineFrameAndField() throws IOException {
        TrainingDataException nan = bad("nan-force.xyz", "e0=0", GOOD, frame(CELL + PROPS + "energy=-1",
                "Si 0 0 0 0.1 nan 0.3", "Si 1 1 1 0 0 0"));
        assertMentions(nan, "nan-force.xyz:7: frame 2 (index 1), 'force': atom 1 component y is NaN");
        assertEquals(1, nan.index());
        assertEquals(7, nan.line(), "the atom's own line");

        assertMentions(bad("columns.xyz", "e0=0", GOOD, frame(CELL + "Properties=species:S:1:pos:R:3:force:R:2 "
                + "energy=-1", "Si 0 0 0 1 2", "Si 1 1 1 3 4")), "columns.xyz:6: frame 2 (index 1), 'force'",
                "3 real columns", "2 column(s)");
        assertMentions(bad("integer.xyz", "e0=0", frame(CELL + "Properties=species:S:1:pos:R:3:force:I:3 "
                + "energy=-1", "Si 0 0 0 1 2 3")), "integer.xyz:2: frame 1 (index 0), 'force'", "type I");
        assertMentions(bad("species.xyz", "e0={Si:-0.79}", GOOD, frame(CELL + PROPS + "energy=-1",
                "Si 0 0 0 0 0 0", "C 1 1 1 0 0 0")), "species.xyz", "e0", "no value for C (first in frame index 1)",
                "e0={Si:E0:C:E0}");
        assertMentions(bad("noiso.xyz", "", GOOD), "noiso.xyz", "e0", "no isolated-atom frame for Si");
        assertMentions(bad("nan-energy.xyz", "e0=0", GOOD, GOOD.replace("-10.5", "nan")),
                "nan-energy.xyz:6: frame 2 (index 1), 'energy'", "NaN");
        assertMentions(bad("text-energy.xyz", "e0=0", GOOD.replace("-10.5", "high")),
                "text-energy.xyz:2: frame 1 (index 0), 'energy'", "'high' is not a number");
        Path zero = write("zero.xyz", GOOD);
        assertMentions(assertThrows(TrainingDataException.class,
                () -> TrainingSet.read(settings(zero, "{0 0.05 0.01 0}", "e0=0"))),
                "zero.xyz:2: frame 1 (index 0)", "default_sigma (energy)", "energy sigma 0.0", "too small");
        assertMentions(bad("negative.xyz", "e0=0", GOOD.replace("energy=-10.5", "energy=-10.5 energy_sigma=-1")),
                "negative.xyz:2", "'energy_sigma'", "-1.0");
        assertMentions(bad("zero-force.xyz", "e0=0", frame(CELL + "Properties=species:S:1:pos:R:3:force:R:3:"
                + "force_atom_sigma:R:1", "Si 0 0 0 1 1 1 0.1", "Si 1 1 1 1 1 1 0")),
                "zero-force.xyz:4: frame 1 (index 0), 'force_atom_sigma': atom 2 component x", "too small force_sigma");
        assertMentions(bad("nocell.xyz", "e0=0", frame("Properties=species:S:1:pos:R:3 stress=\"1 2 3 4 5 6\"",
                "Si 0 0 0")), "nocell.xyz:2: frame 1 (index 0), 'stress'", "no cell");
        assertMentions(bad("stress5.xyz", "e0=0", GOOD.replace("energy", "stress=\"1 2 3 4 5\" energy")),
                "stress5.xyz:2", "'stress'", "5 values");
        assertMentions(bad("virial8.xyz", "e0=0", GOOD.replace("energy", "virial=\"1 2 3 4 5 6 7 8\" energy")),
                "virial8.xyz:2", "'virial'", "8 values");
        assertMentions(bad("nothing.xyz", "e0=0", GOOD, frame(CELL + "Properties=species:S:1:pos:R:3:forces:R:3",
                "Si 0 0 0 1 1 1")), "nothing.xyz:6: frame 2 (index 1)", "nothing to fit",
                "set force_parameter_name=forces");
        assertMentions(bad("masked.xyz", "e0=0", frame(CELL + "Properties=species:S:1:pos:R:3:force:R:3:"
                + "force_mask:L:1", "Si 0 0 0 1 1 1 T")), "masked.xyz:2", "nothing to fit");
        assertMentions(bad("mask-type.xyz", "e0=0", frame(CELL + "Properties=species:S:1:pos:R:3:force:R:3:"
                + "force_mask:R:1", "Si 0 0 0 1 1 1 1")), "mask-type.xyz:2", "'force_mask'", "logical");
        assertMentions(bad("pos.xyz", "e0=0", GOOD, GOOD.replace("1.3575 1.3575 1.3575", "1.3575 inf 1.3575")),
                "pos.xyz:8: frame 2 (index 1), 'pos': atom 2 component y is Infinity");
        assertMentions(bad("hessian.xyz", "e0=0", GOOD.replace("energy", "n_hessian=1 energy")), "hessian.xyz:2",
                "Hessian");
        assertMentions(bad("empty.xyz", "e0=0", "\n\n"), "empty.xyz", "no frames");
        TrainingDataException gone = assertThrows(TrainingDataException.class,
                () -> TrainingSet.read(settings(dir.resolve("missing.xyz"), "e0=0")));
        assertMentions(gone, "missing.xyz", "no such file");
    }

    @Test
    void keysAreMatchedCaseInsensitivelyAsQuip() throws IOException {
        TrainingSet set = TrainingSet.read(settings(write("case.xyz", GOOD.replace("energy=", "Energy=")
                .replace("force:R:3", "Force:R:3")), "e0=0"));
        assertEquals(-10.5, set.frames().get(0).energy());
        assertNotNull(set.frames().get(0).forces());
    }
}
