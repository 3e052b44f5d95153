package org.soapstone.engine.gap;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soapstone.engine.io.ExtXyz;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

/**
 * ReferenceGapCalculator forces and stress against central finite differences of its energy, on rattled small periodic
 * reference frames (the 2-atom primitive cells, which see many periodic images): SOAP with dot_product, and
 * distance_2b with ard_se and its cutoff weight.
 */
class GapGradientTest {
    /** Displacement step (Å): large enough that the cancellation in Σ α_s k_s (|α| up to 2e5) stays below 1e-7 eV/Å. */
    private static final double H = 1e-4;
    /** Strain step. */
    private static final double STRAIN = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"si-soap", "sic-2b-soap"})
    void forcesAndStressMatchFiniteDifferences(String model) throws Exception {
        GapModel gap = GapModel.readQuip(QuipAgreementTest.dir(model).resolve("gp.xml"));
        List<Structure> frames = ExtXyz.read(QuipAgreementTest.dir(model).resolve("quip-predictions.xyz"));
        Structure primitive = frames.stream().filter(s -> s.size() == 2).findFirst().orElseThrow();
        Structure s = FiniteDifferences.rattled(primitive, 0.15, 7);
        try (WorkerPool pool = new WorkerPool(2)) {
            ReferenceGapCalculator calc = new ReferenceGapCalculator(gap, pool);
            FiniteDifferences.assertForcesMatch(calc, s, H, 1e-6);
            FiniteDifferences.assertStressMatches(calc, s, STRAIN, 1e-6);
        }
    }
}
