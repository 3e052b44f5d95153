package org.soapstone.engine.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.testing.SharedData;

/**
 * QUIP's test data hold the same frames twice: {@code *.np1.xyz} in the order gap_fit sees them on one process and
 * {@code *.np2.xyz} ordered so that gap_fit on two MPI processes gathers them in the {@code np1} order. The frames of
 * {@code np2}, gathered as gap_fit's two processes gather them, must therefore come out in the {@code np1} order.
 */
class MpiFrameOrderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"Si, 20", "SiC, 60"})
    void twoProcessesGatherTheFramesOfNp2InTheOrderOfNp1(String system, int sparsePoints) throws Exception {
        List<TrainingFrame> np1 = frames(system + ".np1.xyz");
        List<TrainingFrame> np2 = frames(system + ".np2.xyz");
        List<TrainingFrame> gathered = MpiFrameOrder.order(np2, 2, sparsePoints);
        assertEquals(np1.size(), gathered.size());
        for (int f = 0; f < np1.size(); f++) {
            assertArrayEquals(np1.get(f).structure().positions(), gathered.get(f).structure().positions(),
                    system + ": frame " + f + " of np1");
        }
        assertSame(np2, MpiFrameOrder.order(np2, 1, sparsePoints), "one process keeps the file order");
        assertThrows(IllegalArgumentException.class, () -> MpiFrameOrder.order(np2, 0, sparsePoints));
    }

    /** libAtoms' insertion sort: an element that moves goes before the equal ones it passes. */
    @Test
    void insertionSortAsLibAtoms() {
        int[] a = {5, 3, 3};
        int[] data = {0, 1, 2};
        MpiFrameOrder.insertionSort(a, data);
        assertArrayEquals(new int[] {3, 3, 5}, a);
        assertArrayEquals(new int[] {2, 1, 0}, data, "traced by hand on the Fortran");
        int[] b = {3, 3, 1};
        int[] bd = {0, 1, 2};
        MpiFrameOrder.insertionSort(b, bd);
        assertArrayEquals(new int[] {2, 0, 1}, bd, "equal neighbours that do not move keep their order");
    }

    private List<TrainingFrame> frames(String file) throws Exception {
        Path copy = dir.resolve(file);
        Files.copy(SharedData.require("peer-tests/quip/" + file), copy);
        FitSettings s = GapFitCommandLine.parse(List.of("at_file=" + file, "default_sigma={0.01 1.0 0.5 0.0}",
                "e0_offset=2.0", "energy_parameter_name=dft_energy", "force_parameter_name=dft_force",
                "virial_parameter_name=dft_virial", "gap={distance_2b cutoff=6.0 covariance_type=ard_se delta=1.0 "
                + "theta_uniform=0.1 n_sparse=20 sparse_method=uniform}"), dir);
        return TrainingSet.read(s).frames();
    }
}
