package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.gap.FitProvenance;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.gap.StoredModel;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;
import org.soapstone.engine.testing.TestModels;

/** {@code soapstone convert} both ways, {@code eval --model} on both kinds of file, and failures that write nothing. */
class ConvertCommandTest {
    @TempDir
    Path dir;

    private static Path sic() {
        return SharedData.gapFit("sic-2b-soap");
    }

    private List<Structure> eval(Path model) throws Exception {
        Path out = dir.resolve("eval-" + model.getFileName() + ".xyz");
        CliTesting.Run r = CliTesting.run("eval", "--model", model.toString(), "--threads", "1",
                sic().resolve("quip-predictions.xyz").toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        return ExtXyz.read(out);
    }

    /** Energies, forces and local energies of two evaluations agree to {@code tol} (eV, eV/Å). */
    private static void assertSameResults(List<Structure> a, List<Structure> b, String energyKey, String forceKey,
            String localKey, double tol) {
        assertEquals(a.size(), b.size());
        for (int f = 0; f < a.size(); f++) {
            Structure x = a.get(f);
            Structure y = b.get(f);
            int n = x.size();
            assertEquals(x.infoReal(energyKey) / n, y.infoReal("energy") / n, tol, "frame " + f);
            assertArrayEquals(x.properties().get(forceKey).reals(), y.properties().get("forces").reals(), tol);
            assertArrayEquals(x.properties().get(localKey).reals(), y.properties().get("energies").reals(), tol);
        }
    }

    @Test
    void gapFitXmlToModelFileAndBackPredictsAsQuip() throws Exception {
        Path gap = dir.resolve("sic.gap");
        CliTesting.Run toNative = CliTesting.run("convert", "--to", "soapstone", sic().resolve("gp.xml").toString(),
                gap.toString());
        assertEquals(0, toNative.exitCode(), toNative.err());
        assertTrue(toNative.out().contains("5 terms, 245 sparse points") && toNative.out().contains("no posterior"),
                toNative.out());
        StoredModel stored = GapModelFile.read(gap);
        FitProvenance p = stored.provenance();
        assertNotNull(p, "a converted model records the conversion");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(sic().resolve("gp.xml"))));
        assertEquals(sha, p.summary().get("converted_from_sha256"));
        assertEquals(List.of("soapstone", "convert", "--to", "soapstone", sic().resolve("gp.xml").toString(),
                gap.toString()), p.commandLine());

        Path xml = dir.resolve("back.xml");
        CliTesting.Run toQuip = CliTesting.run("convert", "--to", "quip", gap.toString(), xml.toString());
        assertEquals(0, toQuip.exitCode(), toQuip.err());
        assertTrue(toQuip.out().contains("dropped") && toQuip.out().contains("provenance")
                && !toQuip.out().contains("posterior"), toQuip.out());
        assertTrue(GapModel.readQuip(xml).terms().size() == 5);

        List<Structure> quip = ExtXyz.read(sic().resolve("quip-predictions.xyz"));
        List<Structure> fromGap = eval(gap);
        List<Structure> fromXml = eval(xml);
        assertSameResults(quip, fromGap, "energy", "force", "local_energy", 1e-6);
        assertSameResults(fromGap, fromXml, "energy", "forces", "energies", 1e-12);
    }

    @Test
    void modelWithPosteriorToQuipSaysThePosteriorIsDropped() throws Exception {
        GapModel model = TestModels.withRandomPosterior(GapModel.readQuip(sic().resolve("gp.xml")), 9);
        Path gap = dir.resolve("fitted.gap");
        GapModelFile.write(gap, model, null);
        Path copy = dir.resolve("copy.gap");
        CliTesting.Run keep = CliTesting.run("convert", "--to", "soapstone", gap.toString(), copy.toString());
        assertEquals(0, keep.exitCode(), keep.err());
        assertTrue(keep.out().contains("with its posterior"), keep.out());
        assertArrayEquals(model.posterior().sparseCholesky().data(), GapModelFile.read(copy).model().posterior()
                .sparseCholesky().data());
        CliTesting.Run r = CliTesting.run("convert", "--to", "quip", gap.toString(), dir.resolve("q.xml").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("dropped") && r.out().contains("posterior"), r.out());
    }

    @Test
    void badInputFailsInOneLineAndLeavesTheExistingOutputUntouched() throws Exception {
        Path broken = dir.resolve("gp.xml");
        Files.copy(sic().resolve("gp.xml"), broken);
        Path out = dir.resolve("out.gap");
        Files.writeString(out, "precious");
        CliTesting.Run r = CliTesting.run("convert", "--to", "soapstone", broken.toString(), out.toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(broken.toString()) && r.err().contains("sparseX"), r.err());
        assertEquals("precious", Files.readString(out));

        Path cut = dir.resolve("cut.gap");
        GapModelFile.write(cut, GapModel.readQuip(sic().resolve("gp.xml")), null);
        byte[] bytes = Files.readAllBytes(cut);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        Path xml = dir.resolve("out.xml");
        Files.writeString(xml, "precious");
        CliTesting.Run q = CliTesting.run("convert", "--to", "quip", cut.toString(), xml.toString());
        assertEquals(1, q.exitCode());
        assertTrue(q.err().contains(cut.toString()) && q.err().contains("not a zip archive"), q.err());
        assertEquals("precious", Files.readString(xml));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("cut.gap", "gp.xml", "out.gap", "out.xml"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary or partial files");
        }

        CliTesting.Run e = CliTesting.run("eval", "--model", cut.toString(), sic().resolve("quip-predictions.xyz")
                .toString(), "-o", dir.resolve("e.xyz").toString());
        assertEquals(1, e.exitCode());
        assertTrue(e.err().contains(cut.toString()) && e.err().contains("not a zip archive"), e.err());
        assertFalse(Files.exists(dir.resolve("e.xyz")));
    }

    @Test
    void missingOutputDirectoryOrUnknownFormatIsAnError() {
        Path out = dir.resolve("no-such-dir").resolve("m.gap");
        CliTesting.Run r = CliTesting.run("convert", "--to", "soapstone", sic().resolve("gp.xml").toString(),
                out.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("no-such-dir") && r.err().contains("does not exist"), r.err());
        CliTesting.Run bad = CliTesting.run("convert", "--to", "lammps", sic().resolve("gp.xml").toString(),
                dir.resolve("x").toString());
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.err().contains("quip") && bad.err().contains("soapstone"), bad.err());
    }
}
