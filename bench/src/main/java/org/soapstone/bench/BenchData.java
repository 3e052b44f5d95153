package org.soapstone.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.soapstone.engine.fit.TrainingFrame;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;

/**
 * Where the benchmarks find data: the repository's own {@code test-data/}, and third-party data (the mlearn sets,
 * gap_fit's reference models) in the shared data directory beside the repository ({@code ../shared}, or the
 * {@code soapstone.shared} property); and training frames made from it.
 */
final class BenchData {
    private BenchData() {
    }

    /** The repository root: the {@code soapstone.root} property, else the working directory. */
    static Path root() {
        Path root = Path.of(System.getProperty("soapstone.root", "."));
        if (!Files.isDirectory(root.resolve("test-data"))) {
            throw new IllegalStateException("run from the repository root or set -Dsoapstone.root: no "
                    + root.resolve("test-data"));
        }
        return root;
    }

    /** @return {@code relative} below the shared data directory; an error naming it where it is absent */
    static Path shared(String relative) {
        Path dir = Path.of(System.getProperty("soapstone.shared", root().resolve("../shared").toString()));
        Path p = dir.resolve(relative).normalize();
        if (!Files.exists(p)) {
            throw new IllegalStateException("no " + p + ": third-party data is read from the shared directory beside "
                    + "the repository (../shared) or -Dsoapstone.shared=DIR");
        }
        return p;
    }

    /**
     * The frames of an extended-XYZ file with their {@code energy} and {@code forces}, σ as gap_fit's
     * {@code default_sigma={E F ...}} with sigma_per_atom (σ_E·√N), no virial.
     */
    static List<TrainingFrame> trainingFrames(Path file, double sigmaE, double sigmaF) throws Exception {
        List<TrainingFrame> frames = new ArrayList<>();
        List<Structure> structures = ExtXyz.read(file);
        for (int i = 0; i < structures.size(); i++) {
            Structure s = structures.get(i);
            double[] fs = new double[3 * s.size()];
            Arrays.fill(fs, sigmaF);
            frames.add(new TrainingFrame(i, 0, s, "default", s.infoReal("energy"), sigmaE * Math.sqrt(s.size()),
                    s.properties().get("forces").reals(), fs, null, null));
        }
        return frames;
    }
}
