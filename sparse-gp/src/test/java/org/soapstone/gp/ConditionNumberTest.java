package org.soapstone.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** κ(R) against ‖R‖·‖R⁻¹‖ computed from R's explicit inverse (EJML). */
class ConditionNumberTest {

    @Test
    void diagonalIsExact() {
        double[] r = {2, 0, 0, 0, 0.5, 0, 0, 0, 8e-3}; // column-major diag(2, 0.5, 0.008)
        assertEquals(Math.log10(2 / 8e-3), ConditionNumber.log10(r, 3, true), 1e-12);
        assertEquals(Math.log10(2 / 8e-3), ConditionNumber.log10(r, 3, false), 1e-12);
    }

    @Test
    void estimateIsALowerBoundWithinAFactorOfThree() {
        Random random = new Random(5);
        int m = 40;
        for (int trial = 0; trial < 5; trial++) {
            double[] colMajor = new double[m * m];
            DMatrixRMaj r = new DMatrixRMaj(m, m);
            for (int j = 0; j < m; j++) {
                for (int i = 0; i <= j; i++) {
                    double v = i == j ? Math.exp(4 * random.nextGaussian()) : random.nextGaussian();
                    colMajor[i + j * m] = v;
                    r.set(i, j, v);
                }
            }
            DMatrixRMaj inverse = new DMatrixRMaj(m, m);
            assertTrue(CommonOps_DDRM.invert(r, inverse));
            for (boolean infinity : new boolean[] {true, false}) {
                double exact = Math.log10(norm(r, infinity) * norm(inverse, infinity));
                double estimate = ConditionNumber.log10(colMajor, m, infinity);
                assertTrue(estimate <= exact + 1e-9 && estimate >= exact - Math.log10(3),
                        "estimate " + estimate + " vs exact " + exact + (infinity ? " (∞-norm)" : " (1-norm)"));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ConditionNumber.log10(new double[3], 2, true));
    }

    /** The ∞-norm (largest absolute row sum) or the 1-norm (largest absolute column sum). */
    private static double norm(DMatrixRMaj a, boolean infinity) {
        double max = 0;
        for (int i = 0; i < a.numRows; i++) {
            double s = 0;
            for (int j = 0; j < a.numCols; j++) {
                s += Math.abs(infinity ? a.get(i, j) : a.get(j, i));
            }
            max = Math.max(max, s);
        }
        return max;
    }
}
