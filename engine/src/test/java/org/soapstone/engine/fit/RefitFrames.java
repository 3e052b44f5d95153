package org.soapstone.engine.fit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.structure.Structure;

/**
 * Training frames as gap_fit reads them with {@code default_sigma={E F 0 0}}, {@code sigma_per_atom=T}, energies
 * under {@code energy}, forces under {@code forces}, no virial: for tests that refit known data.
 */
public final class RefitFrames {
    private RefitFrames() {
    }

    /** Every frame of an extended-XYZ file, σ_E = E·√N (eV), σ_F = F (eV/Å). */
    public static List<TrainingFrame> read(Path file, double sigmaE, double sigmaF) throws Exception {
        List<TrainingFrame> frames = new ArrayList<>();
        List<Structure> structures = ExtXyz.read(file);
        for (int i = 0; i < structures.size(); i++) {
            frames.add(frame(i, structures.get(i), sigmaE, sigmaF));
        }
        return frames;
    }

    /** One frame with its energy and forces. */
    public static TrainingFrame frame(int index, Structure s, double sigmaE, double sigmaF) {
        int n = s.size();
        double[] fs = new double[3 * n];
        Arrays.fill(fs, sigmaF);
        return new TrainingFrame(index, 0, s, "default", s.infoReal("energy"), sigmaE * Math.sqrt(n),
                s.properties().get("forces").reals(), fs, null, null);
    }
}
