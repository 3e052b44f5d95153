package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.descriptor.Descriptor;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.descriptor.DescriptorString;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.AseScript;
import org.soapstone.engine.testing.FiniteDifferences;
import picocli.CommandLine;

/**
 * {@code soapstone describe} end to end: the written descriptors equal the library's, and the gradient files,
 * read by NumPy through the documented layout, match central differences of the written descriptors.
 */
class DescribeCommandTest {
    private static final String SOAP = "soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5";
    private static final double H = 1e-4;
    /** (atom, direction) displaced for the finite differences. */
    private static final int[][] MOVES = {{0, 0}, {3, 2}, {6, 1}};

    @TempDir
    Path dir;

    private record Run(int exit, String err) {}

    private static Run run(String... args) {
        CommandLine cl = SoapstoneCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, err.toString());
    }

    /** Frame 0 the structure, then for each move the structure displaced by +H and by −H. */
    private Path framesWithDisplacements(Structure base) throws IOException {
        List<Structure> frames = new ArrayList<>();
        frames.add(base);
        for (int[] mv : MOVES) {
            for (double sign : new double[] {1, -1}) {
                Structure t = base.copy();
                t.positions()[3 * mv[0] + mv[1]] += sign * H;
                frames.add(t);
            }
        }
        Path in = dir.resolve("in.xyz");
        ExtXyz.write(in, frames);
        return in;
    }

    @Test
    void writesDescriptorsAndGradientsNumpyCanUse() throws IOException {
        Structure base = FiniteDifferences.rattled(Crystal.diamond(14, 5.43, 1), 0.1, 11);
        Path in = framesWithDisplacements(base);
        Path out = dir.resolve("out.xyz");
        Path grads = dir.resolve("grads.npy");
        Run r = run("describe", "--descriptor", SOAP, in.toString(), "-o", out.toString(), "--gradients",
                grads.toString(), "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(dir.resolve("grads-index.npy")), "index file");

        List<Structure> written = ExtXyz.read(out);
        List<Structure> frames = ExtXyz.read(in);
        assertEquals(frames.size(), written.size());
        Descriptor soap = DescriptorString.parse(SOAP).create();
        for (int f = 0; f < frames.size(); f++) {
            DescriptorOutput expected = soap.compute(frames.get(f), false);
            assertArrayEquals(Arrays.copyOf(expected.values(), expected.count() * soap.dimension()),
                    written.get(f).properties().get("descriptor").reals(), "frame " + f + " descriptors");
            assertArrayEquals(frames.get(f).positions(), written.get(f).positions(), "frame " + f + " positions");
        }

        StringBuilder moves = new StringBuilder("[");
        for (int[] mv : MOVES) {
            moves.append('(').append(mv[0]).append(',').append(mv[1]).append("),");
        }
        String report = AseScript.run("""
                import numpy as np, ase.io
                frames = ase.io.read(r'%s', ':')
                g = np.load(r'%s'); idx = np.load(r'%s')
                D = [f.arrays['descriptor'] for f in frames]
                n, d = D[0].shape
                assert g.dtype == np.float64 and idx.dtype == np.int64, (g.dtype, idx.dtype)
                assert g.shape == (idx.shape[0], 3, d) and idx.shape[1] == 3, (g.shape, idx.shape)
                assert sorted(set(idx[:, 0])) == list(range(len(frames)))
                sel = idx[:, 0] == 0
                J = np.zeros((n, n, 3, d))
                np.add.at(J, (idx[sel, 1], idx[sel, 2]), g[sel])
                worst = scale = 0.0
                for q, (a, k) in enumerate(%s):
                    fd = (D[1 + 2 * q] - D[2 + 2 * q]) / (2 * %s)
                    worst = max(worst, float(np.abs(fd - J[:, a, k, :]).max()))
                    scale = max(scale, float(np.abs(fd).max()))
                centre_rows = idx[sel][idx[sel, 1] == idx[sel, 2]]
                print(worst, scale, n, d, len(centre_rows))
                """.formatted(out, grads, dir.resolve("grads-index.npy"), moves.append(']'), H));
        String[] v = report.strip().split(" ");
        double worst = Double.parseDouble(v[0]), scale = Double.parseDouble(v[1]);
        assertEquals(base.size(), Integer.parseInt(v[2]));
        assertEquals(soap.dimension(), Integer.parseInt(v[3]));
        assertTrue(Integer.parseInt(v[4]) >= base.size(), "each centre has an entry for itself");
        assertTrue(scale > 1e-3, "test set-up: the displacements must change the descriptors, scale " + scale);
        assertTrue(worst < 1e-6 * scale, "gradient vs finite differences: error " + worst + ", scale " + scale);
    }

    @Test
    void badDescriptorStringIsAClearError() throws IOException {
        Path in = framesWithDisplacements(Crystal.diamond(14, 5.43, 1));
        Path out = dir.resolve("out.xyz");
        Run r = run("describe", "--descriptor", "soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 bogus_key=3",
                in.toString(), "-o", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("soapstone describe: error: "), r.err());
        assertTrue(r.err().contains("bogus_key"), r.err());
        assertFalse(Files.exists(out), "no output on error");
    }

    @Test
    void missingFileSpeciesAndPairDescriptorsAreClearErrors() throws IOException {
        Path in = framesWithDisplacements(Crystal.diamond(14, 5.43, 1));
        Path out = dir.resolve("out.xyz");
        Run missing = run("describe", "--descriptor", SOAP, dir.resolve("absent.xyz").toString(), "-o",
                out.toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no such file") && missing.err().contains("absent.xyz"), missing.err());

        Run species = run("describe", "--descriptor", "soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 "
                + "n_species=1 species_Z={6}", in.toString(), "-o", out.toString());
        assertEquals(1, species.exit());
        assertTrue(species.err().contains("in.xyz: frame 1") && species.err().contains("species_Z"),
                species.err());

        Run pairs = run("describe", "--descriptor", "distance_2b cutoff=4.0", in.toString(), "-o", out.toString());
        assertEquals(1, pairs.exit());
        assertTrue(pairs.err().contains("only per-atom descriptors"), pairs.err());

        Run badName = run("describe", "--descriptor", SOAP, in.toString(), "-o", out.toString(), "--gradients",
                dir.resolve("g.bin").toString());
        assertEquals(1, badName.exit());
        assertTrue(badName.err().contains("must end in .npy"), badName.err());
        assertFalse(Files.exists(out), "no output on error");
    }

    @Test
    void centreSubsetIsMaskedAndAverageIsOneVectorPerFrame() throws IOException {
        Structure si = FiniteDifferences.rattled(Crystal.diamond(14, 5.43, 1), 0.1, 5);
        int[] z = si.numbers().clone();
        for (int i = 0; i < z.length; i += 2) {
            z[i] = 6;
        }
        Structure sic = new Structure(z, si.positions().clone(), si.cell());
        Path in = dir.resolve("sic.xyz");
        ExtXyz.write(in, List.of(sic));
        String species = SOAP + " n_species=2 species_Z={14 6}";

        Path subset = dir.resolve("subset.xyz");
        Run r = run("describe", "--descriptor", species + " Z=6", in.toString(), "-o", subset.toString());
        assertEquals(0, r.exit(), r.err());
        Structure written = ExtXyz.read(subset).getFirst();
        Descriptor carbon = DescriptorString.parse(species + " Z=6").create();
        DescriptorOutput expected = carbon.compute(sic, false);
        double[] rows = written.properties().get("descriptor").reals();
        boolean[] mask = (boolean[]) written.properties().get("descriptor_mask").data();
        int d = carbon.dimension();
        for (int i = 0, k = 0; i < z.length; i++) {
            assertEquals(z[i] == 6, mask[i], "atom " + i + "'s mask");
            double[] row = Arrays.copyOfRange(rows, i * d, (i + 1) * d);
            assertArrayEquals(z[i] == 6 ? Arrays.copyOfRange(expected.values(), k * d, ++k * d) : new double[d], row,
                    "atom " + i);
        }

        Path averaged = dir.resolve("average.xyz");
        Run a = run("describe", "--descriptor", species + " average", in.toString(), "-o", averaged.toString(),
                "--gradients", dir.resolve("ga.npy").toString(), "--threads", "2");
        assertEquals(0, a.exit(), a.err());
        Structure frame = ExtXyz.read(averaged).getFirst();
        Descriptor average = DescriptorString.parseToDescribe(species + " average=T").create();
        DescriptorOutput one = average.compute(sic, false);
        assertEquals(1, one.count());
        assertArrayEquals(Arrays.copyOf(one.values(), average.dimension()), (double[]) frame.info().get("descriptor"));
        assertFalse(frame.properties().containsKey("descriptor"), "no per-atom rows for a per-frame descriptor");

        Run fit = run("fit", "--at-file", in.toString(), "--default-sigma", "0.01,0.1,0.1,0", "--gap",
                species + " average=T", "-o",
                dir.resolve("m").toString());
        assertEquals(1, fit.exit());
        assertTrue(fit.err().contains("average=T") && fit.err().contains("not supported in fits"), fit.err());
    }
}
