package org.soapstone.engine.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;

/**
 * SOAP values and gradients are the same bits in a cold JVM (interpreted and C1 code) as after warm-up (C2):
 * checked in a fresh child JVM, since this test's own JVM is warm. A retried fit task runs in a warm executor, the
 * first attempt perhaps in a cold one; both must give the same R factor.
 */
class SoapWarmUpTest {

    @Test
    void theFirstCallGivesTheBitsOfTheThreeHundredth() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), SoapWarmUpTest.class.getName()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(5, TimeUnit.MINUTES);
        List<String> hashes = out.lines().filter(l -> l.startsWith("hash ")).toList();
        assertEquals(2, hashes.size(), out);
        assertEquals(hashes.get(0), hashes.get(1), "cold and warm SOAP differ: " + out);
    }

    /** The child: the hash of one frame's values and gradients, first cold, then after three hundred calls. */
    public static void main(String[] args) {
        Structure s = Crystal.diamond(14, 5.43, 2);
        int[] z = s.numbers();
        for (int a = 0; a < z.length; a += 2) {
            z[a] = 6;
        }
        double[] r = s.positions();
        Random random = new Random(5);
        for (int k = 0; k < r.length; k++) {
            r[k] += 0.1 * random.nextGaussian();
        }
        Structure frame = new Structure(z, r, s.cell());
        Descriptor soap = DescriptorString.parse("soap cutoff=4.0 n_max=4 l_max=3 atom_sigma=0.5 "
                + "cutoff_transition_width=0.5 n_species=2 species_Z={6 14} Z=14").create();
        DescriptorOutput out = soap.newOutput();
        NeighbourList nl = NeighbourList.build(frame, soap.cutoff(), true);
        for (int call = 0; call < 300; call++) {
            soap.compute(frame, nl, true, out);
            if (call == 0 || call == 299) {
                long h = 17;
                for (int i = 0; i < out.count() * out.dimension(); i++) {
                    h = 31 * h + Double.doubleToLongBits(out.values()[i]);
                }
                for (int i = 0; i < out.gradientEntries() * 3 * out.dimension(); i++) {
                    h = 31 * h + Double.doubleToLongBits(out.gradients()[i]);
                }
                System.out.println("hash " + Long.toHexString(h));
            }
        }
    }
}
