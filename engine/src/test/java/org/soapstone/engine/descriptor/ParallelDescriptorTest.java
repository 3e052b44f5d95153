package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

/** {@link ParallelDescriptor}: 1, 2 and 3 workers give the single-threaded instances, in atom order, bit for bit. */
class ParallelDescriptorTest {
    private static final String[] DESCRIPTORS = {
        "soap cutoff=3.5 n_max=4 l_max=3 atom_sigma=0.5",
        "distance_2b cutoff=3.5",
    };

    @Test
    void partsConcatenateToTheSerialResultForAnyThreadCount() {
        Structure s = FiniteDifferences.rattled(Crystal.diamond(14, 5.43, 1), 0.1, 3);
        for (String text : DESCRIPTORS) {
            Descriptor d = DescriptorString.parse(text).create();
            NeighbourList nl = NeighbourList.build(s, d.cutoff(), true);
            DescriptorOutput serial = d.newOutput();
            d.compute(s, nl, true, serial);
            assertTrue(serial.count() >= s.size(), "test set-up: instances for " + text);
            for (int threads = 1; threads <= 3; threads++) {
                try (WorkerPool pool = new WorkerPool(threads)) {
                    ParallelDescriptor par = new ParallelDescriptor(d, pool);
                    par.compute(s, nl, true);
                    par.compute(s, nl, true);
                    assertEquals(serial.count(), par.count(), text + ", " + threads + " threads: instances");
                    assertConcatenationEquals(serial, par, d.dimension(), text + ", " + threads + " threads");
                }
            }
        }
    }

    private static void assertConcatenationEquals(DescriptorOutput serial, ParallelDescriptor par, int dim,
            String what) {
        int i = 0;
        int e = 0;
        for (int w = 0; w < par.parts(); w++) {
            DescriptorOutput p = par.part(w);
            assertTrue(p.hasGradients(), what);
            for (int k = 0; k < p.count(); k++, i++) {
                assertEquals(serial.centre(i), p.centre(k), what + ": centre of instance " + i);
                assertEquals(serial.cutoffWeight(i), p.cutoffWeight(k), what + ": weight of instance " + i);
                assertArrayEquals(Arrays.copyOfRange(serial.values(), i * dim, (i + 1) * dim),
                        Arrays.copyOfRange(p.values(), k * dim, (k + 1) * dim), what + ": instance " + i);
                int n = serial.gradientEnd(i) - serial.gradientStart(i);
                assertEquals(n, p.gradientEnd(k) - p.gradientStart(k), what + ": entries of instance " + i);
                for (int q = 0; q < n; q++, e++) {
                    int pe = p.gradientStart(k) + q;
                    assertEquals(serial.gradientAtom(e), p.gradientAtom(pe), what + ": atom of entry " + e);
                    assertArrayEquals(Arrays.copyOfRange(serial.gradients(), 3 * e * dim, 3 * (e + 1) * dim),
                            Arrays.copyOfRange(p.gradients(), 3 * pe * dim, 3 * (pe + 1) * dim),
                            what + ": gradient entry " + e);
                    assertArrayEquals(Arrays.copyOfRange(serial.gradientOffsets(), 3 * e, 3 * e + 3),
                            Arrays.copyOfRange(p.gradientOffsets(), 3 * pe, 3 * pe + 3), what + ": offset " + e);
                }
            }
        }
        assertEquals(serial.count(), i, what + ": instances");
    }
}
