package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.SharedData;

/**
 * The decisive convention test: gap_fit (QUIP caff1548, GAP 6c3375f6) stored, in each model's
 * {@code gp.xml.sparseX.*} files, the descriptor vectors of the sparse points it chose among the instances of its
 * training set. The XML stores no index, so every stored vector must equal one of the vectors Soapstone computes
 * for the training frames, from the descriptor string in the same XML, component for component (to 1e-8). The
 * model is read with {@link GapModel#readQuip}.
 */
class GapFitSparseXTest {
    private static final double TOL = 1e-8;

    private static Path dir(String model) {
        return SharedData.gapFit(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"si-soap", "sic-2b-soap"})
    void everySparsePointIsADescriptorOfATrainingAtom(String model) throws Exception {
        Path dir = dir(model);
        List<Structure> frames = ExtXyz.read(dir.resolve("train.xyz"));
        GapModel gap = GapModel.readQuip(dir.resolve("gp.xml"));
        for (GapTerm term : gap.terms()) {
            String text = term.descriptor().text();
            Descriptor descriptor = term.descriptor().create();
            int dim = term.dimension();
            assertEquals(dim, descriptor.dimension(), "dimension of '" + text.strip() + "'");
            int nSparse = term.sparseCount();
            double[] sparse = term.sparseX();

            List<double[]> ours = new ArrayList<>();
            DescriptorOutput out = descriptor.newOutput();
            for (Structure s : frames) {
                descriptor.compute(s, NeighbourList.build(s, descriptor.cutoff(), true), false, out);
                for (int i = 0; i < out.count(); i++) {
                    double[] v = new double[dim];
                    System.arraycopy(out.values(), i * dim, v, 0, dim);
                    ours.add(v);
                }
            }
            assertTrue(ours.size() >= nSparse, "fewer instances than sparse points for '" + text.strip() + "'");
            for (int p = 0; p < nSparse; p++) {
                double best = Double.MAX_VALUE;
                for (double[] v : ours) {
                    double worst = 0;
                    for (int k = 0; k < dim && worst < best; k++) {
                        worst = Math.max(worst, Math.abs(v[k] - sparse[p * dim + k]));
                    }
                    best = Math.min(best, worst);
                }
                assertTrue(best < TOL, model + " '" + text.strip() + "': sparse point " + (p + 1)
                        + " is " + best + " (max abs) from every Soapstone descriptor of the training atoms");
            }
        }
    }
}
