package org.soapstone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soapstone.engine.gap.ReferenceGapCalculator;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;

/**
 * The gap_fit keys that write something besides the model, on the small Si/C frames of
 * {@code test-data/gap_fit-sparse}: {@code export_covariance=T} and {@code condition_number_norm=I} with an XML
 * output, {@code sparsify_only_no_fit=T} with {@code mark_sparse_atoms}, {@code print_sparse_index} appending, and
 * bad {@code index_file} input.
 */
class FitOutputKeysTest {
    private static final String GAP = "gap={{distance_2b cutoff=4.0 covariance_type=ard_se delta=1.0 theta_uniform=0.5 "
            + "n_sparse=15 sparse_method=uniform print_sparse_index=%1$s}:{soap cutoff=3.5 n_max=4 l_max=3 "
            + "atom_sigma=0.5 covariance_type=dot_product zeta=2 delta=1.0 n_sparse=12 sparse_method=cur_points "
            + "print_sparse_index=%1$s%2$s}}";

    @TempDir
    Path dir;

    private Path frames() throws Exception {
        Path copy = dir.resolve("frames.xyz");
        Files.copy(CliTesting.testData("gap_fit-sparse/frames.xyz"), copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    private CliTesting.Run fit(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("fit", "at_file=" + frames(), "default_sigma={0.01 0.1 0.1 0}",
                "e0=0.0", "rnd_seed=7", "sparse_jitter=1e-6", "--threads", "2"));
        args.addAll(List.of(extra));
        return CliTesting.run(args.toArray(String[]::new));
    }

    /**
     * The exported R gives, read back with the XML, the same posterior as the fit's own model file; QUIP's committee
     * tools read it as R = loadtxt(file).reshape(M, M).T, and NumPy's condition number of that R bounds the one
     * printed (LAPACK's estimate is a lower bound within a factor of 3).
     */
    @Test
    void exportedCovarianceAndConditionNumber() throws Exception {
        Path xml = dir.resolve("gp.xml");
        String gap = String.format(GAP, dir.resolve("idx.out"), "");
        CliTesting.Run run = fit(gap, "gp_file=" + xml, "export_covariance=T", "condition_number_norm=I");
        assertEquals(0, run.exitCode(), run.err() + run.out());
        Matcher printed = Pattern.compile("condition number \\(log10\\).*\\(norm I, .*\\): (\\S+)").matcher(run.out());
        assertTrue(printed.find(), run.out());
        double log10 = Double.parseDouble(printed.group(1));

        GapModel read = GapModel.readQuip(xml);
        assertTrue(read.hasPosterior(), "the XML's exported R gives the posterior back");
        Path gapFile = dir.resolve("gp.gap");
        assertEquals(0, fit(gap, "gp_file=" + gapFile).exitCode());
        GapModel own = GapModel.read(gapFile);
        ReferenceGapCalculator a = new ReferenceGapCalculator(read);
        ReferenceGapCalculator b = new ReferenceGapCalculator(own);
        for (Structure s : ExtXyz.read(dir.resolve("frames.xyz")).subList(0, 3)) {
            double[] va = a.localVariance(s);
            double[] vb = b.localVariance(s);
            for (int i = 0; i < va.length; i++) {
                assertEquals(vb[i], va[i], 1e-8 * Math.abs(vb[i]) + 1e-14, "local variance of atom " + i);
            }
        }
        String text = Files.readString(xml);
        assertTrue(text.contains("<command_line><![CDATA[at_file=" + dir.resolve("frames.xyz")), "command line");
        long copied = text.lines().filter(l -> l.startsWith("<![CDATA[")).count();
        assertEquals(Files.readAllLines(dir.resolve("frames.xyz")).size(), copied,
                "do_copy_at_file=T (gap_fit's default) copies every line of the training file into <XYZ_data>");

        String script = String.join("\n",
                "import glob, numpy as np",
                "f = glob.glob('gp.xml.R.*')[0]",
                "v = np.loadtxt(f)",
                "m = int(round(len(v) ** 0.5))",
                "R = v.reshape((m, m)).T",
                "assert np.all(np.tril(R, -1) == 0), 'R is upper triangular'",
                "print(np.log10(np.linalg.cond(R, np.inf)))",
                "");
        CliTesting.Run p = CliTesting.python(dir, script);
        String out = p.out().strip();
        assertEquals(0, p.exitCode(), out);
        double exact = Double.parseDouble(out);
        assertTrue(log10 <= exact + 1e-6 && log10 >= exact - Math.log10(3), "printed " + log10 + ", NumPy " + exact);
    }

    /**
     * Sparsify only: the model file holds the sparse points and no fit; mark_sparse_atoms marks the centre atoms of
     * the SOAP points, which for SOAP (one instance per atom, in atom order) are the atoms print_sparse_index names;
     * print_sparse_index appends one line per term to what the file held.
     */
    @Test
    void sparsifyOnlyMarksTheSparseAtomsAndAppendsTheIndices() throws Exception {
        Path index = dir.resolve("idx.out");
        Files.writeString(index, "earlier line\n");
        Path model = dir.resolve("m.gap");
        CliTesting.Run run = fit(String.format(GAP, index, " mark_sparse_atoms"), "gp_file=" + model,
                "sparsify_only_no_fit=T");
        assertEquals(0, run.exitCode(), run.err() + run.out());
        GapModel read = GapModel.read(model);
        assertFalse(read.hasPosterior());
        for (GapTerm t : read.terms()) {
            for (double alpha : t.alpha()) {
                assertEquals(0.0, alpha);
            }
        }
        List<String> lines = Files.readAllLines(index);
        assertEquals(1 + read.terms().size(), lines.size(), "appended: " + lines);
        assertEquals("earlier line", lines.get(0));
        // SOAP terms are 4 (Si) and 5 (C): instance k of the Si term is the k-th Si atom of the training set
        List<Structure> marked = ExtXyz.read(dir.resolve("m.gap.sparse_atoms.xyz"));
        List<Integer> si = new ArrayList<>();
        List<Integer> c = new ArrayList<>();
        int siCount = 0;
        int cCount = 0;
        for (Structure s : marked) {
            boolean[] sparse = (boolean[]) s.properties().get("sparse").data();
            for (int i = 0; i < s.size(); i++) {
                if (s.numbers()[i] == 14) {
                    siCount++;
                    if (sparse[i]) {
                        si.add(siCount);
                    }
                } else {
                    cCount++;
                    if (sparse[i]) {
                        c.add(cCount);
                    }
                }
            }
        }
        assertEquals(lines.get(4), String.join(" ", si.stream().map(String::valueOf).toList()));
        assertEquals(lines.get(5), String.join(" ", c.stream().map(String::valueOf).toList()));
    }

    @Test
    void badIndexFilesAreNamed() throws Exception {
        String pair = "gap={distance_2b cutoff=4.0 covariance_type=ard_se delta=1.0 theta_uniform=0.5 "
                + "sparse_method=index_file sparse_file=" + dir.resolve("idx.in");
        Files.writeString(dir.resolve("idx.in"), "3\n7\n");
        CliTesting.Run mismatch = fit(pair + " n_sparse=5}", "gp_file=" + dir.resolve("a.xml"));
        assertEquals(1, mismatch.exitCode());
        assertTrue(mismatch.err().contains("n_sparse=5") && mismatch.err().contains("gives 2"), mismatch.err());
        Files.writeString(dir.resolve("idx.in"), "3\n100000\n");
        CliTesting.Run range = fit(pair + "}", "gp_file=" + dir.resolve("a.xml"));
        assertEquals(1, range.exitCode());
        assertTrue(range.err().contains("idx.in:2") && range.err().contains("100000"), range.err());
        assertFalse(Files.exists(dir.resolve("a.xml")), "nothing written");
    }
}
