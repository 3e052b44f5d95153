package org.soapstone.engine.descriptor;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.Bits;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.engine.testing.SharedData;

/**
 * SOAP with gradients evaluated many times in one JVM — interpreted at first, then compiled by C1 and C2, whose
 * Vector-API intrinsics take over from the Java fallback — gives the first evaluation's bits every time: gap_fit's
 * one-species Si SOAP (n_max = l_max = 8) and its two-species SiC SOAP on 63- and 64-atom frames.
 */
class SoapRepeatabilityTest {
    private static final int EVALUATIONS = 80;

    @ParameterizedTest
    @ValueSource(strings = {"si-soap", "sic-2b-soap"})
    void valuesAndGradientsAreTheFirstEvaluationsBitsEveryTime(String name) throws Exception {
        Path dir = SharedData.gapFit(name);
        Descriptor d = GapModel.readQuip(dir.resolve("gp.xml")).terms().stream()
                .filter(t -> t.descriptor().text().startsWith("soap")).findFirst().orElseThrow().descriptor().create();
        Structure s = FiniteDifferences.rattled(ExtXyz.read(dir.resolve("quip-predictions.xyz")).getFirst(), 0.05, 9);
        NeighbourList nl = NeighbourList.build(s, d.cutoff(), true);
        DescriptorOutput out = d.newOutput();
        double[] values = null;
        double[] gradients = null;
        for (int k = 0; k < EVALUATIONS; k++) {
            d.compute(s, nl, 0, s.size(), true, out);
            double[] v = Arrays.copyOf(out.values(), out.count() * out.dimension());
            double[] g = Arrays.copyOf(out.gradients(), 3 * out.gradientEntries() * out.dimension());
            if (k == 0) {
                values = v;
                gradients = g;
            } else {
                Bits.assertSameBits(values, v, name + ", evaluation " + k + ": values");
                Bits.assertSameBits(gradients, g, name + ", evaluation " + k + ": gradients");
            }
        }
    }
}
