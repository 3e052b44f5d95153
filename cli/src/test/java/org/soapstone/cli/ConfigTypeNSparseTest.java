package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.soapstone.engine.io.Json;
import org.soapstone.engine.testing.SharedData;
import org.soapstone.engine.testing.ShellWords;

/**
 * gap_fit's {@code config_type_n_sparse}: each case's command line, as gap_fit ran it on QUIP's own test frames
 * ({@code ../shared/peer-tests/quip/Si.np1.xyz}), run through {@code soapstone fit}; the indices its
 * {@code print_sparse_index} writes must be gap_fit's exactly ({@code test-data/gap_fit-sparse/
 * gap_fit-config-type-n-sparse.json}, made with gap_fit, provenance inside): the points chosen type by type in
 * gap_fit's list of config types, the random streams shared in that order.
 */
class ConfigTypeNSparseTest {
    private static final Path REFERENCE = CliTesting.testData("gap_fit-sparse/gap_fit-config-type-n-sparse.json");

    @SuppressWarnings("unchecked")
    static Stream<Arguments> cases() throws IOException {
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(REFERENCE));
        return ((List<Object>) doc.get("cases")).stream().map(c -> (Map<String, Object>) c)
                .map(c -> Arguments.of(c.get("name"), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choosesGapFitsPointsTypeByType(String name, Map<String, Object> c, @TempDir Path dir) throws Exception {
        Files.copy(SharedData.require("peer-tests/quip/Si.np1.xyz"), dir.resolve("Si.np1.xyz"));
        String line = ((String) c.get("command_line"))
                .replace("at_file=Si.np1.xyz", "at_file=" + dir.resolve("Si.np1.xyz"))
                .replace("gp_file=gp.xml", "gp_file=" + dir.resolve("gp.xml"))
                .replace("print_sparse_index=idx.out", "print_sparse_index=" + dir.resolve("idx.out"));
        List<String> args = new ArrayList<>(List.of("fit", "--calibration", "none", "--threads", "2"));
        args.addAll(ShellWords.split(line));
        CliTesting.Run run = CliTesting.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        List<Long> written = Stream.of(Files.readString(dir.resolve("idx.out")).strip().split("\\s+"))
                .map(Long::valueOf).toList();
        List<Long> expected = ((List<?>) c.get("index")).stream().map(n -> ((Number) n).longValue()).toList();
        assertEquals(expected, written, name + ": gap_fit's sparse points");
    }

    /** {@code soapstone fit} of QUIP's test frames with one SOAP term that ends with {@code extra}. */
    private static CliTesting.Run fitWithSoap(Path dir, String extra) throws IOException {
        Files.copy(SharedData.require("peer-tests/quip/Si.np1.xyz"), dir.resolve("Si.np1.xyz"));
        return CliTesting.run("fit", "--calibration", "none", "at_file=" + dir.resolve("Si.np1.xyz"),
                "config_type_parameter_name=config_type", "energy_parameter_name=dft_energy",
                "force_parameter_name=dft_force", "default_sigma={0.01 1.0 0.5 0.0}",
                "gap={soap cutoff=4.0 n_max=4 l_max=4 atom_sigma=0.5 zeta=4 delta=3 covariance_type=dot_product "
                        + extra + "}", "gp_file=" + dir.resolve("gp.xml"));
    }

    @Test
    void nSparseAndConfigTypeNSparseTogetherAreRefusedAsByGapFit(@TempDir Path dir) throws Exception {
        CliTesting.Run run = fitWithSoap(dir, "n_sparse=10 config_type_n_sparse={dia:5}");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("config_type_n_sparse") && run.err().contains("not both"), run.err());
    }

    @Test
    void aCountThatIsNoNumberIsNamed(@TempDir Path dir) throws Exception {
        CliTesting.Run run = fitWithSoap(dir, "sparse_method=random config_type_n_sparse={dia:five}");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("'five' for config type dia is not a whole number"), run.err());
    }
}
