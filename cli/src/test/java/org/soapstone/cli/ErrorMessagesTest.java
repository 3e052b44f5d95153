package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Crystal;

/**
 * Each bad input's message names the real problem — not a symptom further down — in one line on standard error, with
 * exit code 1, and leaves existing files alone.
 */
class ErrorMessagesTest {
    private static final String SOAP = "soap cutoff=3 n_max=4 l_max=4 atom_sigma=0.5 zeta=2 delta=1 "
            + "covariance_type=dot_product n_sparse=4 sparse_method=random";

    @TempDir
    Path dir;

    private static String sw() {
        return "sw:" + CliTesting.testData("Si.sw");
    }

    private Path si() throws Exception {
        Path file = dir.resolve("si.xyz");
        if (!Files.exists(file)) {
            var s = Crystal.diamond(14, 5.431, 1);
            s.info().put("energy", -34.7);
            ExtXyz.write(file, List.of(s));
        }
        return file;
    }

    /** Exit 1, exactly one line on standard error, holding every expected piece and none of the forbidden. */
    private static void assertError(CliTesting.Run r, List<String> expected, String... forbidden) {
        assertEquals(1, r.exitCode(), r.err());
        List<String> lines = r.err().lines().filter(l -> l.startsWith("soapstone")).toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        List<String> other = r.err().lines().filter(l -> !l.startsWith("soapstone") && !l.startsWith("WARNING")
                && !l.contains(" frames, ") && !l.contains(" steps ")).toList();
        assertTrue(other.isEmpty(), "nothing else on standard error: " + other);
        for (String e : expected) {
            assertTrue(lines.getFirst().contains(e), "'" + e + "' in: " + lines.getFirst());
        }
        for (String f : forbidden) {
            assertFalse(lines.getFirst().contains(f), "not '" + f + "' in: " + lines.getFirst());
        }
    }

    @Test
    void aTextFileGivenAsAModelIsSaidNotToBeAModelFile() throws Exception {
        Path notModel = Files.copy(si(), dir.resolve("notes.gap"));
        Path out = Files.writeString(dir.resolve("out.xyz"), "precious");
        assertError(CliTesting.run("eval", "--model", notModel.toString(), si().toString(), "-o", out.toString()),
                List.of("notes.gap: not a model file", "starts with '8'", "extended-XYZ"), "prolog");
        assertEquals("precious", Files.readString(out));
    }

    @Test
    void tooLargeANMaxIsNamedAsSuch() throws Exception {
        Path out = dir.resolve("described.xyz");
        assertError(CliTesting.run("describe", "--descriptor", "soap cutoff=5 n_max=1000 l_max=2 atom_sigma=0.5",
                si().toString(), "-o", out.toString()), List.of("n_max=1000 is too many radial functions",
                "use a smaller n_max"));
        assertFalse(Files.exists(out));
    }

    @Test
    void anUnwritableModelFileIsFoundBeforeTheFit() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc")), "needs Linux's /proc (no file can be created in it)");
        CliTesting.Run r = CliTesting.run("fit", "at_file=" + si(), "gap={" + SOAP + "}",
                "default_sigma={0.01 0.1 0.1 0}", "e0=0", "gp_file=/proc/k.gap");
        assertError(r, List.of("gp_file /proc/k.gap: cannot write it", "checked before the fit"), ".tmp");
        assertFalse(r.out().contains("read "), "the training file is not even read: " + r.out());
    }

    @Test
    void evalIntoAMissingDirectoryNamesTheDirectoryNotATemporaryFile() throws Exception {
        Path out = dir.resolve("missing").resolve("out.xyz");
        assertError(CliTesting.run("eval", "--potential", sw(), si().toString(), "-o", out.toString()),
                List.of(out + ": cannot write it: the directory " + out.getParent() + " does not exist"), ".tmp");
    }

    @Test
    void anOutputDirectoryThatIsAFileIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("one.xyz"), "precious");
        for (String command : new String[] {"md", "learn"}) {
            List<String> args = new ArrayList<>(List.of(command, "--steps", "2", "--temperature", "300", "--output",
                    file.toString(), si().toString()));
            args.addAll(command.equals("md") ? List.of("--potential", sw())
                    : List.of("--reference", sw(), "--descriptor", SOAP));
            assertError(CliTesting.run(args.toArray(String[]::new)),
                    List.of("--output " + file + " is an existing file, not a directory"));
            assertEquals("precious", Files.readString(file));
        }
        assertError(CliTesting.run("eval", "--potential", sw(), si().toString(), "-o", dir.toString()),
                List.of("-o " + dir + " is a directory"));
    }

    @Test
    void aNonFinitePositionInEvalNamesFileLineAndTheAtomFromOne() throws Exception {
        Path in = Files.writeString(dir.resolve("nan.xyz"), """
                2
                Lattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3 pbc="T T T"
                Si 0 0 0
                Si nan 1 1
                """);
        assertError(CliTesting.run("eval", "--potential", sw(), in.toString(), "-o", dir.resolve("o.xyz").toString()),
                List.of("nan.xyz:4: frame 1, 'pos': atom 2 has a non-finite position (NaN, 1.0, 1.0) Å"));
    }

    @Test
    void anUnterminatedQuoteNamesTheKeyWhoseQuoteIsOpen() throws Exception {
        String header = "Lattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3 config_type=\"bulk energy=1.0 "
                + "pbc=\"T T T\"";
        Path in = Files.writeString(dir.resolve("quote.xyz"), "1\n" + header + "\nSi 0 0 0\n");
        int quote = header.indexOf("config_type=") + "config_type=".length() + 1;
        assertError(CliTesting.run("eval", "--potential", sw(), in.toString(), "-o", dir.resolve("o.xyz").toString()),
                List.of("quote.xyz:2", "info 'config_type'", "opened at character " + quote, "energy=1.0"),
                "info 'T'");
    }

    @Test
    void aMisspelledKeySuggestsTheKeyItWasMeantToBe() throws Exception {
        String sigma = "default_sigma={0.01 0.1 0.1 0}";
        assertError(CliTesting.run("fit", "at_file=" + si(), "gap={" + SOAP + "}", sigma, "n_sprase=4"),
                List.of("unknown key 'n_sprase'", "did you mean 'n_sparse'?", "inside gap={"), "at_file");
        assertError(CliTesting.run("fit", "at_file=" + si(), "gap={" + SOAP.replace("n_sparse", "n_sprase") + "}",
                sigma), List.of("unknown key 'n_sprase'; did you mean 'n_sparse'?"), "allowed keys");
        assertError(CliTesting.run("fit", "at_fiel=" + si(), "gap={" + SOAP + "}", sigma),
                List.of("unknown key 'at_fiel' in the command line; did you mean 'at_file'?"));
    }

    /** Every command's line in `soapstone --help` is a whole sentence, ending with a full stop. */
    @Test
    void helpListsEveryCommandWithAWholeSentence() {
        CliTesting.Run r = CliTesting.run("--help");
        assertEquals(0, r.exitCode());
        String commands = r.out().substring(r.out().indexOf("Commands:"));
        List<String> entries = new ArrayList<>();
        for (String line : commands.lines().skip(1).toList()) {
            if (line.matches("  \\S.*")) {
                entries.add(line.strip());
            } else {
                entries.set(entries.size() - 1, entries.getLast() + " " + line.strip());
            }
        }
        assertEquals(9, entries.size(), commands);
        for (String e : entries) {
            assertTrue(e.endsWith(".") && !e.endsWith("e.g."), "a whole sentence: " + e);
        }
    }

    @Test
    void aBadCommandLineIsOneLineAndExit1() throws Exception {
        assertError(CliTesting.run("md", "--potential", sw(), si().toString(), "--steps"),
                List.of("soapstone md: error: Missing required parameter for option '--steps'", "--help"));
        assertError(CliTesting.run("md", "--potential", sw(), si().toString(), "--steps", "5", "--thremo-every", "5"),
                List.of("soapstone md: error: unknown option '--thremo-every'; did you mean --thermo-every?"));
        assertError(CliTesting.run("eval", "--potential", sw(), si().toString()),
                List.of("soapstone eval: error: Missing required option: '--output=OUT.xyz'"));
        assertError(CliTesting.run("mdd"), List.of("soapstone: error: unknown command 'mdd'; did you mean md?",
                "soapstone --help lists the commands"));
    }
}
