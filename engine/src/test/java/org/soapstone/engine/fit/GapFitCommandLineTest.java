package org.soapstone.engine.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.descriptor.Distance2bParameters;
import org.soapstone.engine.descriptor.SoapParameters;
import org.soapstone.engine.descriptor.SparseMethod;
import org.soapstone.engine.testing.ShellWords;
import org.soapstone.engine.testing.SharedData;

/** gap_fit's command line: the two real ones, defaults, every alias, notes, config_file and every error path. */
class GapFitCommandLineTest {
    private static final String MINIMAL = "at_file=train.xyz gap={soap cutoff=5.0 n_max=4 l_max=4 atom_sigma=0.5 "
            + "zeta=2 delta=1.0 covariance_type=dot_product n_sparse=10} default_sigma={0.01 0.05 0.01 1}";

    @TempDir
    Path dir;

    /** The {@code <command_line>} of a gap_fit reference model, split at whitespace as a shell does. */
    private static List<String> commandLine(String model) throws IOException {
        Path xml = SharedData.gapFit(model).resolve("gp.xml");
        Matcher m = Pattern.compile("<command_line><!\\[CDATA\\[(.*?)]]></command_line>", Pattern.DOTALL)
                .matcher(Files.readString(xml));
        assertTrue(m.find(), "no <command_line> in " + xml);
        return shell(m.group(1));
    }

    private static List<String> shell(String line) {
        return ShellWords.split(line);
    }

    private FitSettings parse(String line) {
        return GapFitCommandLine.parse(shell(line), dir);
    }

    private FitSettingsException error(String line) {
        return assertThrows(FitSettingsException.class, () -> parse(line));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
    }

    @Test
    void siSoapCommandLineOfTheReferenceModel() throws IOException {
        List<String> args = commandLine("si-soap");
        assertTrue(args.size() > 15, "the shell splits the gap string into many tokens: " + args);
        GapFitCommandLine read = GapFitCommandLine.read(args, dir);
        FitSettings s = read.settings();
        assertEquals(dir.resolve("../si-train-small.xyz"), s.atFile());
        assertEquals(1, s.descriptors().size());
        SoapParameters soap = (SoapParameters) s.descriptors().get(0).descriptor();
        assertEquals(5.0, soap.cutoff());
        assertEquals(8, soap.basis().nMax());
        assertEquals(8, soap.basis().lMax());
        assertEquals(0.5, soap.density().atomSigma());
        assertEquals(0.5, soap.cutoffFunction().transitionWidth());
        assertEquals(200, s.descriptors().get(0).fit().nSparse());
        assertEquals(SparseMethod.CUR_POINTS, s.descriptors().get(0).fit().sparseMethod());
        assertEquals(4.0, s.descriptors().get(0).fit().zeta().orElseThrow());
        assertEquals(new Sigmas(0.01, 0.05, 0.01, 1), s.defaultSigma());
        assertEquals(1e-8, s.sparseJitter());
        assertEquals(new E0Settings.PerSpecies(Map.of(14, -0.79)), s.e0());
        assertEquals("energy", s.energyParameterName());
        assertEquals("forces", s.forceParameterName());
        assertEquals("NO_virial", s.virialParameterName());
        assertEquals("NO_stress", s.stressParameterName());
        assertEquals(1, s.rndSeed());
        assertEquals(dir.resolve("gp.xml"), s.gapFile());
        assertTrue(s.sigmaPerAtom());
        assertTrue(s.configTypeSigma().isEmpty());
        assertEquals(args, s.arguments());
        assertFalse(s.copyAtFile(), "do_copy_atoms_file=F");
        assertTrue(read.notes().isEmpty(), read.notes().toString());
    }

    @Test
    void sicCommandLineWithTwoDescriptors() throws IOException {
        FitSettings s = GapFitCommandLine.parse(commandLine("sic-2b-soap"), dir);
        assertEquals(2, s.descriptors().size());
        Distance2bParameters pair = (Distance2bParameters) s.descriptors().get(0).descriptor();
        assertEquals(4.0, pair.cutoff());
        assertEquals(CovarianceType.ARD_SE, s.descriptors().get(0).fit().covarianceType().orElseThrow());
        assertEquals(1.0, s.descriptors().get(0).fit().thetaUniform().orElseThrow());
        assertEquals(15, s.descriptors().get(0).fit().nSparse());
        SoapParameters soap = (SoapParameters) s.descriptors().get(1).descriptor();
        assertEquals(4.5, soap.cutoff());
        assertEquals(6, soap.basis().nMax());
        assertEquals(4, soap.basis().lMax());
        assertEquals(0.2, s.descriptors().get(1).fit().delta().orElseThrow());
        assertEquals(4.5, s.maxCutoff());
        assertEquals(new Sigmas(0.005, 0.1, 0.05, 0), s.defaultSigma());
        assertEquals(new E0Settings.PerSpecies(Map.of(14, -1.5, 6, -2.5)), s.e0());
        assertEquals(2, s.rndSeed());
        assertEquals(dir.resolve("../sic-train.xyz"), s.atFile());
    }

    @Test
    void gapFitDefaults() {
        FitSettings s = parse(MINIMAL);
        assertEquals(1e-10, s.sparseJitter());
        assertEquals("energy", s.energyParameterName());
        assertEquals("force", s.forceParameterName());
        assertEquals("virial", s.virialParameterName());
        assertEquals("stress", s.stressParameterName());
        assertEquals("config_type", s.configTypeParameterName());
        assertEquals("sigma", s.sigmaParameterName());
        assertEquals("force_mask", s.forceMaskParameterName());
        assertEquals(dir.resolve("gap_new.xml"), s.gapFile());
        assertEquals(-1, s.rndSeed());
        assertTrue(s.sigmaPerAtom());
        assertInstanceOf(E0Settings.Isolated.class, s.e0());
        assertEquals(0.0, s.e0Offset());
        assertEquals(new Sigmas(0.01, 0.05, 0.01, 1), s.sigmasFor("anything"));
    }

    @ParameterizedTest
    @CsvSource({
        "atoms_filename, at_file",
        "default_kernel_regularisation, default_sigma",
        "config_type_kernel_regularisation, config_type_sigma",
        "kernel_regularisation_is_per_atom, sigma_per_atom",
        "kernel_regularisation_parameter_name, sigma_parameter_name",
        "gap_file, gp_file",
        "do_copy_atoms_file, do_copy_at_file",
    })
    void bothSpellingsOfEveryImplementedAlias(String key, String altKey) {
        String base = "gap={soap cutoff=5.0 n_max=4 l_max=4 atom_sigma=0.5 delta=1.0 covariance_type=dot_product}";
        String value = switch (key) {
            case "atoms_filename" -> "other.xyz";
            case "default_kernel_regularisation" -> "{0.002 0.03 0.04 0.5}";
            case "config_type_kernel_regularisation" -> "{bulk:0.1:0.2:0.3:0.4}";
            case "kernel_regularisation_is_per_atom" -> "F";
            case "kernel_regularisation_parameter_name" -> "my_sigma";
            case "gap_file" -> "model.xml";
            case "do_copy_atoms_file" -> "F";
            default -> throw new IllegalArgumentException(key);
        };
        String rest = (key.equals("atoms_filename") ? "" : " at_file=train.xyz")
                + (key.equals("default_kernel_regularisation") ? "" : " default_sigma={0.01 0.05 0.01 1}");
        for (String spelling : new String[] {key, altKey, altKey.toUpperCase()}) {
            GapFitCommandLine read = GapFitCommandLine.read(shell(base + rest + " " + spelling + "=" + value), dir);
            FitSettings s = read.settings();
            switch (key) {
                case "atoms_filename" -> assertEquals(dir.resolve("other.xyz"), s.atFile(), spelling);
                case "default_kernel_regularisation" ->
                        assertEquals(new Sigmas(0.002, 0.03, 0.04, 0.5), s.defaultSigma(), spelling);
                case "config_type_kernel_regularisation" ->
                        assertEquals(Map.of("bulk", new Sigmas(0.1, 0.2, 0.3, 0.4)), s.configTypeSigma(), spelling);
                case "kernel_regularisation_is_per_atom" -> assertFalse(s.sigmaPerAtom(), spelling);
                case "kernel_regularisation_parameter_name" ->
                        assertEquals("my_sigma", s.sigmaParameterName(), spelling);
                case "gap_file" -> assertEquals(dir.resolve("model.xml"), s.gapFile(), spelling);
                case "do_copy_atoms_file" -> assertFalse(s.copyAtFile(), spelling);
                default -> throw new IllegalArgumentException(key);
            }
        }
        FitSettingsException twice = error(base + rest + " " + key + "=" + value + " " + altKey + "=" + value);
        assertMentions(twice, "given twice", key + "=", altKey + "=");
    }

    @ParameterizedTest
    @CsvSource({
        "hessian_displacement, hessian_delta, 0.01, Hessians",
        "baseline_param_filename, core_param_file, quip.xml, baseline",
        "baseline_ip_args, core_ip_args, {IP SW}, baseline",
        "default_kernel_regularisation_local_property, default_local_property_sigma, 0.1, local properties",
    })
    void bothSpellingsOfEveryUnsupportedAliasAreRefusedByName(String key, String altKey, String value, String why) {
        for (String spelling : new String[] {key, altKey}) {
            assertMentions(error(MINIMAL + " " + spelling + "=" + value), spelling + "=", "not supported", why);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "local_property0=1.0 | local properties",
        "local_property_parameter_name=lp | local properties",
        "local_property_mask_parameter_name=lpm | local properties",
        "hessian_parameter_name=h | Hessians",
        "template_file=t.xyz | template",
        "dryrun=T | dry run",
        "dryrun | dry run",
        "linear_system_dump_file=dump | linear system",
        "sparse_separate_file=F | separate",
        "sparse_use_actual_gpcov=T | actual GP covariance",
    })
    void unsupportedFeaturesAreRefusedNamingKeyAndWhy(String field, String why) {
        assertMentions(error(MINIMAL + " " + field), field.split("=")[0], "not supported", why);
    }

    @Test
    void unsupportedKeysAtGapFitsDefaultChangeNothingAndAreAccepted() {
        FitSettings s = parse(MINIMAL + " dryrun=F sparsify_only_no_fit=F sparse_use_actual_gpcov=false "
                + "linear_system_dump_file='' condition_number_norm=' '");
        assertEquals(parse(MINIMAL).defaultSigma(), s.defaultSigma());
    }

    @Test
    void harmlessKeysAreAcceptedWithANote() {
        String[] fields = {"verbosity=NERD", "openmp_chunk_size=4", "do_ip_timing=T", "mpi_print_all=F",
            "mpi_blocksize_rows=0", "mpi_blocksize_cols=100", "sparse_separate_file=T"};
        GapFitCommandLine read = GapFitCommandLine.read(shell(MINIMAL + " " + String.join(" ", fields)), dir);
        for (String f : fields) {
            assertTrue(read.notes().stream().anyMatch(n -> n.startsWith(f + ": accepted")),
                    f + " not noted: " + read.notes());
        }
        assertEquals(fields.length, read.notes().size(), read.notes().toString());
    }

    @Test
    void outputKeysOfGapFit() {
        FitSettings plain = parse(MINIMAL);
        assertFalse(plain.sparsifyOnly());
        assertFalse(plain.exportCovariance());
        assertEquals(ConditionNumberNorm.NONE, plain.conditionNumberNorm());
        assertTrue(plain.copyAtFile(), "gap_fit copies the training file into its XML by default");
        assertEquals(1, plain.mpiProcesses());
        assertEquals(dir, plain.directory());
        FitSettings s = parse(MINIMAL + " sparsify_only_no_fit export_covariance=T condition_number_norm=I "
                + "do_copy_at_file=F");
        assertTrue(s.sparsifyOnly(), "a bare logical key is T");
        assertTrue(s.exportCovariance());
        assertEquals(ConditionNumberNorm.INFINITY, s.conditionNumberNorm());
        assertFalse(s.copyAtFile());
        for (String one : new String[] {"O", "o", "1", "ONE"}) {
            assertEquals(ConditionNumberNorm.ONE, parse(MINIMAL + " condition_number_norm=" + one)
                    .conditionNumberNorm(), one);
        }
        assertEquals(ConditionNumberNorm.NONE, parse(MINIMAL + " condition_number_norm=' '").conditionNumberNorm());
        assertMentions(error(MINIMAL + " condition_number_norm=F"), "condition_number_norm=F", "O or 1", "I");
        assertEquals(3, s.withMpiProcesses(3).mpiProcesses());
        assertEquals(s.descriptors(), s.withMpiProcesses(3).descriptors());
        assertEquals(dir.resolve("idx.txt"), s.resolve("idx.txt"));
    }

    @Test
    void outputKeysThatOnlyAGapFitXmlCarriesAreNotedForOtherOutputs() {
        GapFitCommandLine read = GapFitCommandLine.read(shell(MINIMAL + " gp_file=m.gap export_covariance=T "
                + "do_copy_at_file=T"), dir);
        assertTrue(read.notes().stream().anyMatch(n -> n.startsWith("export_covariance=T: accepted")
                && n.contains("always keeps the posterior")), read.notes().toString());
        assertTrue(read.notes().stream().anyMatch(n -> n.startsWith("do_copy_at_file=T: accepted")
                && n.contains("SHA-256")), read.notes().toString());
        assertTrue(GapFitCommandLine.read(shell(MINIMAL + " gp_file=m.xml export_covariance=T do_copy_at_file=T"),
                dir).notes().isEmpty());
    }

    @Test
    void seedsLibAtomsGeneratorCannotTakeAreRefused() {
        assertEquals(FitSettings.MAX_SEED, parse(MINIMAL + " rnd_seed=2147483646").rndSeed());
        assertMentions(error(MINIMAL + " rnd_seed=0"), "rnd_seed=0", "1..2147483646", "fails for 0");
        assertMentions(error(MINIMAL + " rnd_seed=2147483647"), "rnd_seed=2147483647", "1..2147483646");
        assertEquals(-1, parse(MINIMAL + " rnd_seed=-1").rndSeed());
    }

    @Test
    void valuesOfTheSupportedKeys() {
        FitSettings s = parse(MINIMAL + " sparse_jitter=1d-8 e0_offset=0.25 rnd_seed=42 energy_parameter_name=dft_e "
                + "force_parameter_name=dft_f virial_parameter_name=dft_v stress_parameter_name=dft_s "
                + "config_type_parameter_name=kind sigma_parameter_name=err force_mask_parameter_name=skip "
                + "sigma_per_atom=.false. gap_file=/abs/model.xml");
        assertEquals(1e-8, s.sparseJitter());
        assertEquals(0.25, s.e0Offset());
        assertEquals(42, s.rndSeed());
        assertEquals(List.of("dft_e", "dft_f", "dft_v", "dft_s", "kind", "err", "skip"),
                List.of(s.energyParameterName(), s.forceParameterName(), s.virialParameterName(),
                        s.stressParameterName(), s.configTypeParameterName(), s.sigmaParameterName(),
                        s.forceMaskParameterName()));
        assertFalse(s.sigmaPerAtom());
        assertEquals(Path.of("/abs/model.xml"), s.gapFile());
        assertTrue(parse(MINIMAL + " sigma_per_atom").sigmaPerAtom(), "a bare logical key is T");
    }

    @Test
    void parameterNamePrefixIsPrependedToEveryName() {
        FitSettings s = parse(MINIMAL + " parameter_name_prefix=dft_ force_parameter_name=forces");
        assertEquals(List.of("dft_energy", "dft_forces", "dft_virial", "dft_stress", "dft_config_type", "dft_sigma",
                "dft_force_mask"), List.of(s.energyParameterName(), s.forceParameterName(), s.virialParameterName(),
                s.stressParameterName(), s.configTypeParameterName(), s.sigmaParameterName(),
                s.forceMaskParameterName()));
    }

    @Test
    void e0Forms() {
        assertEquals(new E0Settings.Uniform(-0.79), parse(MINIMAL + " e0=-0.79").e0());
        assertEquals(new E0Settings.PerSpecies(Map.of(14, -0.79, 6, -2.5)), parse(MINIMAL + " e0={Si:-0.79:C:-2.5}").e0());
        assertEquals(new E0Settings.PerSpecies(Map.of(14, -0.79)), parse(MINIMAL + " e0={si:-0.79}").e0());
        assertInstanceOf(E0Settings.Average.class, parse(MINIMAL + " e0_method=average").e0());
        assertInstanceOf(E0Settings.Isolated.class, parse(MINIMAL + " e0_method=ISOLATED").e0());
        GapFitCommandLine both = GapFitCommandLine.read(shell(MINIMAL + " e0=-1 e0_method=average e0_offset=1"), dir);
        assertEquals(new E0Settings.Uniform(-1), both.settings().e0());
        assertTrue(both.notes().stream().anyMatch(n -> n.contains("e0_method=average: ignored")), both.notes().toString());
        assertTrue(both.notes().stream().anyMatch(n -> n.contains("e0 + e0_offset")), both.notes().toString());
    }

    @Test
    void configTypeSigmaWithAndWithoutDefault() {
        FitSettings s = parse(MINIMAL + " config_type_sigma={Vacancy:0.02:0.1:0.05:0:Surface:0.03:0.2:0.06:0}");
        assertEquals(List.of("Vacancy", "Surface"), List.copyOf(s.configTypeSigma().keySet()));
        assertEquals(new Sigmas(0.02, 0.1, 0.05, 0), s.sigmasFor("Vacancy"));
        assertEquals(new Sigmas(0.03, 0.2, 0.06, 0), s.sigmasFor("Surface"));
        assertEquals(new Sigmas(0.01, 0.05, 0.01, 1), s.sigmasFor("Liquid"));
        FitSettings d = parse(MINIMAL + " config_type_sigma={default:0.5:0.6:0.7:0.8 bulk:0.1:0.2:0.3:0.4}");
        assertEquals(new Sigmas(0.5, 0.6, 0.7, 0.8), d.sigmasFor("Liquid"), "a default entry wins over default_sigma");
        assertEquals(new Sigmas(0.1, 0.2, 0.3, 0.4), d.sigmasFor("bulk"));
    }

    @Test
    void tokensTheUserQuotedAreRegroupedAsQuipDoes() {
        List<String> tokens = List.of("at_file=my train.xyz",
                "gap=soap cutoff=5.0 n_max=4 l_max=4 atom_sigma=0.5 delta=1.0 covariance_type=dot_product",
                "default_sigma=0.01 0.05 0.01 1", "e0={Si:-0.79}");
        FitSettings s = GapFitCommandLine.parse(tokens, dir);
        assertEquals(dir.resolve("my train.xyz"), s.atFile());
        assertEquals(5.0, s.descriptors().get(0).descriptor().cutoff());
        assertEquals(new Sigmas(0.01, 0.05, 0.01, 1), s.defaultSigma());
        assertEquals(tokens, s.arguments());
    }

    @Test
    void nestedBracesAndSemicolonSeparatedDescriptors() {
        FitSettings s = parse("at_file=t.xyz default_sigma={0.01,0.05,0.01,1} gap={distance_2b cutoff=4.0 "
                + "covariance_type=ard_se delta=0.5 theta_uniform=1.0 ; soap cutoff=4.5 n_max=4 l_max=4 "
                + "atom_sigma=0.5 n_species=2 species_Z={14 6} Z=14 delta=0.2 covariance_type=dot_product}");
        assertEquals(2, s.descriptors().size());
        assertEquals(14, ((SoapParameters) s.descriptors().get(1).descriptor()).species().centres()[0]);
        assertEquals(new Sigmas(0.01, 0.05, 0.01, 1), s.defaultSigma(), "commas separate values too");
    }

    /** Every nesting gap_fit's split_string accepts, as QUIP's own tests and published command lines write it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gap={{PAIR}:{SOAP}}",
        "gap={PAIR : SOAP}",
        "gap={{PAIR}:SOAP}",
        "gap={PAIR;{SOAP}}",
        "gap={ {PAIR} ; {SOAP} }",
        "gap=\"{PAIR}:{SOAP}\"",
    })
    void eachDescriptorInItsOwnBraces(String gap) {
        String pair = "distance_2b cutoff=4.0 covariance_type=ard_se delta=0.5 theta_uniform=1.0";
        String soap = "soap cutoff=4.5 n_max=4 l_max=4 atom_sigma=0.5 n_species=2 species_Z={14 6} Z=14 delta=0.2 "
                + "covariance_type=dot_product zeta=4";
        FitSettings s = parse("at_file=t.xyz default_sigma={0.01 0.05 0.01 1} "
                + gap.replace("PAIR", pair).replace("SOAP", soap));
        assertEquals(2, s.descriptors().size(), gap);
        assertEquals(pair, s.descriptors().get(0).text());
        assertEquals(soap, s.descriptors().get(1).text());
        assertEquals(4.5, s.descriptors().get(1).descriptor().cutoff());
        assertArrayEquals(new int[] {14, 6},
                ((SoapParameters) s.descriptors().get(1).descriptor()).species().channels());
        for (String one : new String[] {"gap={{" + soap + "}}", "gap={" + soap + "}"}) {
            assertEquals(soap, parse("at_file=t.xyz default_sigma={0.01 0.05 0.01 1} " + one).descriptors().get(0)
                    .text(), one);
        }
        assertMentions(error("at_file=t.xyz default_sigma={0.01 0.05 0.01 1} gap={{" + pair + "} x}"),
                "gap", "must start with the descriptor type");
    }

    @Test
    void configFileHoldsTheArguments() throws IOException {
        Files.writeString(dir.resolve("args.txt"), "at_file=train.xyz\ngap={soap cutoff=5.0 n_max=4 l_max=4\n"
                + "  atom_sigma=0.5 delta=1.0 covariance_type=dot_product}\r\ndefault_sigma={0.001 0.1 0.02 0}\n"
                + "gp_file=out.xml\n");
        FitSettings s = GapFitCommandLine.parse(List.of("config_file=args.txt"), dir);
        assertEquals(dir.resolve("train.xyz"), s.atFile());
        assertEquals(0.5, ((SoapParameters) s.descriptors().get(0).descriptor()).density().atomSigma());
        assertEquals(new Sigmas(0.001, 0.1, 0.02, 0), s.defaultSigma());
        assertEquals(dir.resolve("out.xml"), s.gapFile());
        assertEquals(List.of("config_file=args.txt"), s.arguments());

        assertMentions(assertThrows(FitSettingsException.class,
                () -> GapFitCommandLine.parse(List.of("config_file=args.txt", "rnd_seed=3"), dir)),
                "config_file", "rnd_seed", "ignore");
        assertMentions(assertThrows(FitSettingsException.class,
                () -> GapFitCommandLine.parse(List.of("config_file=nowhere.txt"), dir)), "config_file", "nowhere.txt");
        Files.writeString(dir.resolve("loop.txt"), MINIMAL + " config_file=args.txt");
        assertMentions(assertThrows(FitSettingsException.class,
                () -> GapFitCommandLine.parse(List.of("config_file=loop.txt"), dir)), "another config_file");
        Files.writeString(dir.resolve("bad.txt"), MINIMAL + " sparse_jiter=1e-8");
        assertMentions(assertThrows(FitSettingsException.class,
                () -> GapFitCommandLine.parse(List.of("config_file=bad.txt"), dir)),
                "sparse_jiter", "bad.txt", "did you mean 'sparse_jitter'");
    }

    @ParameterizedTest
    @CsvSource({
        "defualt_sigma={0.01 0.05 0.01 1}, default_sigma",
        "gp_fle=x.xml, gp_file",
        "sparse_jiter=1e-8, sparse_jitter",
        "e0_metod=average, e0_method",
        "sigma_per_aton=F, sigma_per_atom",
        "force_parameter=forces, force_parameter_name",
        "train.xyz, at_file",
    })
    void unknownKeysNameTheClosestKnownKey(String field, String closest) {
        assertMentions(error(MINIMAL + " " + field), "unknown key '" + field.split("=")[0] + "'",
                "did you mean '" + closest + "'");
    }

    @Test
    void missingMandatoryKeysAreAllNamed() {
        assertMentions(error("rnd_seed=1"), "atoms_filename (at_file)", "gap", "default_kernel_regularisation "
                + "(default_sigma)");
        FitSettingsException noSigma = error("at_file=a.xyz gap={soap cutoff=5 n_max=4 l_max=4 atom_sigma=0.5 "
                + "delta=1 covariance_type=dot_product}");
        assertMentions(noSigma, "missing mandatory key: default_kernel_regularisation (default_sigma)");
        assertFalse(noSigma.getMessage().contains("atoms_filename"), noSigma.getMessage());
    }

    @Test
    void keysGivenTwiceAreRefused() {
        assertMentions(error(MINIMAL + " rnd_seed=1 RND_SEED=2"), "rnd_seed", "given twice", "rnd_seed=1", "RND_SEED=2");
        assertMentions(error(MINIMAL + " atoms_filename=b.xyz"), "given twice", "at_file=train.xyz",
                "atoms_filename=b.xyz");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sparse_jitter=abc | sparse_jitter=abc | not a number",
        "sparse_jitter=-1e-8 | sparse_jitter=-1.0E-8 | ≥ 0",
        "e0_offset=1.0.0 | e0_offset=1.0.0 | not a number",
        "rnd_seed=1.5 | rnd_seed=1.5 | integer",
        "openmp_chunk_size=many | openmp_chunk_size=many | integer",
        "sigma_per_atom=maybe | sigma_per_atom=maybe | T or F",
        "e0={Si:abc} | e0=Si:abc | 'abc' is not a number",
        "e0={Si:-0.79:C} | e0=Si:-0.79:C | pairs of species",
        "e0={Xx:-0.79} | e0=Xx:-0.79 | 'Xx' is not a chemical symbol",
        "e0={Si:-0.79:Si:-0.8} | e0=Si:-0.79:Si:-0.8 | Si is given twice",
        "e0=NaN | e0=NaN | not a number",
        "e0_method=median | e0_method=median | isolated or average",
        "verbosity=LOUD | verbosity=LOUD | NORMAL, VERBOSE, NERD or ANALYSIS",
        "config_type_sigma={bulk:0.1:0.2} | config_type_sigma=bulk:0.1:0.2 | groups of 5",
        "config_type_sigma={bulk:0.1:0.2:0.3:x} | config_type_sigma | 'x' is not a number",
        "config_type_sigma={b:1:1:1:1:b:1:1:1:1} | config_type_sigma | 'b' is given twice",
        "config_type_sigma={b:1:-1:1:1} | config_type_sigma | force sigma -1.0",
        "gap_file | gap_file | needs a value",
        "energy_parameter_name='my energy' | energy_parameter_name | without spaces",
    })
    void badValuesNameTheKeyAndTheValue(String field, String key, String detail) {
        assertMentions(error(MINIMAL + " " + field), key, detail);
    }

    @Test
    void badDefaultSigmaAndGapStrings() {
        String gap = " gap={soap cutoff=5.0 n_max=4 l_max=4 atom_sigma=0.5 delta=1.0 covariance_type=dot_product}";
        assertMentions(error("at_file=a.xyz default_sigma={0.01 0.05 0.01}" + gap), "default_sigma", "4 numbers");
        assertMentions(error("at_file=a.xyz default_sigma={0.01 -0.05 0.01 0}" + gap), "default_sigma",
                "force sigma -0.05", "≥ 0");
        assertMentions(error("at_file=a.xyz default_sigma={0.01 inf 0.01 0}" + gap), "default_sigma", "'inf'");
        String sigma = "at_file=a.xyz default_sigma={0.01 0.05 0.01 0}";
        assertMentions(error(sigma + " gap={soap cutoff=5.0 n_max=4 l_max=4 atom_sigma=0.5 covariance_type=dot_product}"),
                "gap", "energy_scale (or delta) is missing");
        assertMentions(error(sigma + " gap={soap cutoff=5.0 n_max=4 l_max=4 atom_sigma=0.5 delta=1}"),
                "gap", "covariance_type is missing");
        assertMentions(error(sigma + gap.replace("}", " : soap cutoff=4 n_max=2 l_max=2 atom_sigma=0.5 "
                + "delta=1 covariance_type=dot_product nmax=3}")), "gap: descriptor 2 of 2", "unknown key 'nmax'");
        assertMentions(error(sigma + " gap={turbo_soap cutoff=5}"), "gap", "turbo_soap");
        assertMentions(error(sigma + " gap=" + gap.substring(5, gap.length() - 1)), "gap", "'{'");
        assertMentions(error(sigma + " gap=}" + gap), "unbalanced '}'");
        assertMentions(assertThrows(FitSettingsException.class, () -> GapFitCommandLine.parse(
                List.of("at_file=a.xyz", "default_sigma={0.01", "0.05", "0.01", "0}", "gap=\"soap", "cutoff=5"), dir)),
                "unbalanced quote");
        assertMentions(error(sigma + " =5" + gap), "malformed field '=5'");
    }

    @Test
    void everyKeyOfGapFitIsRecognised() {
        // the param_register keys of gap_fit_parse_command_line (GAP's gap_fit_module.f95), main and altkey
        String[] gapFitKeys = ("config_file atoms_filename at_file gap e0 local_property0 e0_offset e0_method "
                + "default_kernel_regularisation default_sigma default_kernel_regularisation_local_property "
                + "default_local_property_sigma sparse_jitter hessian_displacement hessian_delta "
                + "baseline_param_filename core_param_file baseline_ip_args core_ip_args energy_parameter_name "
                + "local_property_parameter_name force_parameter_name virial_parameter_name stress_parameter_name "
                + "hessian_parameter_name config_type_parameter_name kernel_regularisation_parameter_name "
                + "sigma_parameter_name force_mask_parameter_name local_property_mask_parameter_name "
                + "parameter_name_prefix config_type_kernel_regularisation config_type_sigma "
                + "kernel_regularisation_is_per_atom sigma_per_atom do_copy_atoms_file do_copy_at_file "
                + "sparse_separate_file sparse_use_actual_gpcov gap_file gp_file verbosity rnd_seed "
                + "openmp_chunk_size do_ip_timing template_file sparsify_only_no_fit dryrun condition_number_norm "
                + "linear_system_dump_file mpi_blocksize_rows mpi_blocksize_cols mpi_print_all export_covariance")
                .split(" ");
        assertEquals(54, gapFitKeys.length);
        java.util.Set<String> ours = new java.util.TreeSet<>();
        for (GapFitKey k : GapFitKey.values()) {
            ours.add(k.key());
            if (k.altKey() != null) {
                ours.add(k.altKey());
            }
        }
        assertEquals(new java.util.TreeSet<>(List.of(gapFitKeys)), ours, "exactly gap_fit's keys");
        for (String key : gapFitKeys) {
            try {
                parse(MINIMAL.replace("at_file=train.xyz", "") + " at_file=train.xyz " + key + "=1");
            } catch (FitSettingsException e) {
                assertFalse(e.getMessage().contains("unknown key"), key + ": " + e.getMessage());
            }
        }
        assertEquals(Arrays.stream(gapFitKeys).distinct().count(), gapFitKeys.length);
    }
}
