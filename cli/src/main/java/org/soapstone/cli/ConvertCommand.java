package org.soapstone.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.soapstone.engine.gap.FitProvenance;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapModelFile;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.StoredModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code soapstone convert}: rewrites a GAP model as gap_fit XML (for QUIP and LAMMPS {@code pair_style quip}) or
 * as Soapstone's own model file ({@link GapModelFile}). The input may be either kind. Nothing is written unless the
 * whole input reads cleanly, and each output file is written to a temporary file and renamed.
 */
@Command(name = "convert",
        header = "Convert a GAP model between gap_fit's XML and Soapstone's model file.",
        mixinStandardHelpOptions = true,
        description = {"Convert a GAP model between gap_fit's XML and Soapstone's model file; MODEL may be either.",
            "",
            "--to quip writes OUT (gap_fit XML) and one OUT.sparseX.<label> file per term beside it, for quip and "
                    + "LAMMPS pair_style quip. The XML cannot hold the sparse-GP posterior (predictive variances) or "
                    + "the provenance of a Soapstone fit: both are dropped, and the command says so.",
            "",
            "--to soapstone writes OUT as Soapstone's model file (a zip of model.json and NumPy arrays). From gap_fit "
                    + "XML it has no posterior, and its provenance records the conversion: Soapstone version, time, "
                    + "command line and the SHA-256 of the source XML (which records the md5 sum of each sparseX "
                    + "file). From a Soapstone model file, posterior and provenance are kept.",
            "",
            "Nothing is written unless MODEL reads cleanly; each file is written to a temporary file and renamed."})
final class ConvertCommand implements Callable<Integer> {
    /** The output format. */
    enum Target { quip, soapstone }

    @Option(names = "--to", required = true, paramLabel = "FORMAT",
            description = "Output format: quip (gap_fit XML + sparseX files) or soapstone (Soapstone's model file).")
    Target target;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "Input model: Soapstone's model file or a gap_fit XML with its sparseX files beside it.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output file (replaced only once fully written).")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean fromNative = GapModelFile.isNative(input);
        StoredModel in = fromNative ? GapModelFile.read(input) : new StoredModel(GapModel.readQuip(input), null);
        Path dir = output.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("output directory " + dir + " does not exist");
        }
        GapModel model = in.model();
        int sparse = model.terms().stream().mapToInt(GapTerm::sparseCount).sum();
        String summary = model.terms().size() + " terms, " + sparse + " sparse points";
        switch (target) {
            case quip -> {
                model.writeQuip(output);
                System.out.printf("wrote %s (gap_fit XML, %s) and %d sparseX files %s.sparseX.<label>%n", output,
                        summary, model.terms().size(), output.getFileName());
                List<String> dropped = new ArrayList<>();
                if (model.hasPosterior()) {
                    dropped.add("the sparse-GP posterior (predictive variances beyond QUIP's local variance)");
                }
                if (in.provenance() != null) {
                    dropped.add("the provenance (" + in.provenance().commandLine().size() + "-word command line, "
                            + in.provenance().trainingFiles().size() + " training-file checksums)");
                }
                System.out.println(dropped.isEmpty() ? "nothing dropped: the input has no posterior or provenance"
                        : "dropped, as gap_fit XML cannot hold them: " + String.join("; ", dropped));
            }
            case soapstone -> {
                FitProvenance provenance = fromNative ? in.provenance() : conversion(input);
                GapModelFile.write(output, model, provenance);
                System.out.printf("wrote %s (Soapstone model file, %s, %s)%n", output, summary,
                        model.hasPosterior() ? "with its posterior" : "no posterior");
            }
        }
        return 0;
    }

    /** @return the provenance of a model converted from gap_fit XML: this command and the XML's SHA-256 */
    private FitProvenance conversion(Path xml) throws IOException {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("converted_from", xml.toString());
        summary.put("converted_from_sha256", sha256(xml));
        List<String> args = new ArrayList<>(List.of("soapstone"));
        args.addAll(spec.commandLine().getParseResult().originalArgs());
        return new FitProvenance(Version.number(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), args,
                Map.of(), summary);
    }

    /** @return the SHA-256 of the file's bytes, lowercase hex */
    private static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
