package org.soapstone.engine;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.testing.Bits;
import org.soapstone.engine.testing.ChildJvm;
import org.soapstone.engine.testing.DeterminismProbe;

/**
 * The same inputs give the same bits whether the code runs interpreted, C1-compiled or fully C2-compiled (Vector API
 * intrinsics, auto-vectorised loops): every result of {@link DeterminismProbe} computed in this JVM after warm-up
 * against the same in a child JVM run with {@code -XX:TieredStopAtLevel=1} (C1 only: the Vector API runs its Java
 * fallback; the full set — SOAP with gradients, eval, the evaluator with σ, NVE and Bussi MD, fit and learn, at 1
 * and 2 threads — on an 8-atom cell) and with {@code -Xint} (SOAP, eval, σ and Bussi MD on a 2-atom cell).
 */
class CompilationIndependenceTest {
    /** Passes of this JVM before its results count as compiled (C2 has compiled the hot loops by the third). */
    private static final int PASSES = 4;

    /** This JVM's results, which must be the same in each of {@code passes} passes (the first may run cold). */
    private static Map<String, double[]> warm(int passes, int frame, int threads, int mdSteps, boolean full)
            throws Exception {
        Map<String, double[]> first = DeterminismProbe.run(frame, threads, mdSteps, full);
        for (int pass = 1; pass < passes; pass++) {
            Bits.assertSameBits(first, DeterminismProbe.run(frame, threads, mdSteps, full), "pass " + pass);
        }
        return first;
    }

    @Test
    void c1OnlyChildJvmGivesTheCompiledBits() throws Exception {
        Map<String, double[]> compiled = warm(PASSES, 26, 2, 5, true);
        String child = ChildJvm.run(List.of("-XX:TieredStopAtLevel=1"), DeterminismProbe.class, 600, "26", "2", "5",
                "full");
        Bits.assertSameBits(compiled, DeterminismProbe.parse(child), "C1-only child JVM");
    }

    @Test
    void interpretedChildJvmGivesTheCompiledBits() throws Exception {
        Map<String, double[]> compiled = warm(PASSES, 25, 1, 2, false);
        String child = ChildJvm.run(List.of("-Xint"), DeterminismProbe.class, 600, "25", "1", "2");
        Bits.assertSameBits(compiled, DeterminismProbe.parse(child), "interpreted child JVM");
    }
}
