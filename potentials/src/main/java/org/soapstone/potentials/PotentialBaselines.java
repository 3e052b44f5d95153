package org.soapstone.potentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.soapstone.engine.baseline.Baseline;
import org.soapstone.engine.baseline.BaselineProvider;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.potentials.quip.QuipPotentials;

/**
 * The baseline potentials of GAP models ({@link Baseline}), provided to the engine as a service: gap_fit's QUIP core
 * potentials ({@link QuipPotentials}) and Soapstone's potential specs ({@link PotentialSpec}) with their files
 * carried in the model. {@link #embed} makes the latter from a spec and the files it names.
 */
public final class PotentialBaselines implements BaselineProvider {

    @Override
    public Calculator create(Baseline baseline, WorkerPool pool) throws IOException {
        return switch (baseline) {
            case Baseline.QuipCore c -> QuipPotentials.create(c.initArgs(), c.parameters(), "the core_param_file of "
                    + "the model", pool);
            case Baseline.Potential p -> fromFiles(p);
        };
    }

    /**
     * @param spec a potential spec as {@code --potential} takes it (e.g. {@code sw:test-data/Si.sw} or
     *     {@code zbl:inner=1.0,outer=2.0})
     * @return the baseline, with the text of every file the spec names and the spec naming them by file name
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if the spec is malformed (it is parsed once to check)
     */
    public static Baseline.Potential embed(String spec) throws IOException {
        PotentialSpec.parse(spec);
        int colon = spec.indexOf(':');
        Map<String, String> files = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        for (String part : spec.substring(colon + 1).split(",")) {
            if (part.isBlank() || part.contains("=")) {
                parts.add(part);
                continue;
            }
            Path file = Path.of(part.strip());
            String name = file.getFileName().toString();
            String text = Files.readString(file);
            String before = files.put(name, text);
            if (before != null && !before.equals(text)) {
                throw new IllegalArgumentException("potential '" + spec + "' names two different files called "
                        + name);
            }
            parts.add(name);
        }
        return new Baseline.Potential(spec.substring(0, colon + 1) + String.join(",", parts), files);
    }

    /** Writes the baseline's files to a temporary directory, parses the spec naming them there, and cleans up. */
    private static Calculator fromFiles(Baseline.Potential p) throws IOException {
        Path dir = Files.createTempDirectory("soapstone-baseline-");
        try {
            String spec = p.spec();
            int colon = spec.indexOf(':');
            List<String> parts = new ArrayList<>();
            for (String part : spec.substring(colon + 1).split(",")) {
                String name = part.strip();
                if (!part.isBlank() && !part.contains("=")) {
                    String text = p.files().get(name);
                    if (text == null) {
                        throw new IllegalArgumentException(p.describe() + " names the file " + name
                                + ", which the model does not carry");
                    }
                    Path file = dir.resolve(Path.of(name).getFileName());
                    Files.writeString(file, text);
                    parts.add(file.toString());
                } else {
                    parts.add(part);
                }
            }
            return PotentialSpec.parse(spec.substring(0, colon + 1) + String.join(",", parts));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
