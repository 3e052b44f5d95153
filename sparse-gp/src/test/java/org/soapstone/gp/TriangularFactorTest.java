package org.soapstone.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

/**
 * The triangular factor against EJML (factor, determinant, A⁻¹b) and against the plain definitions: TᵀT = A + jitter·I
 * and each solve multiplied back gives its right-hand side, to backward-stable accuracy (a small multiple of n·ε times
 * the norms: Golub &amp; Van Loan, secs. 3.1.2 and 4.2.6), also for matrices too ill-conditioned to factorise without
 * jitter.
 */
class TriangularFactorTest {
    private static final double EPS = Math.ulp(1.0);

    /** A = GᵀG + shift·I, G (n + 5) × n Gaussian: symmetric positive definite, column-major (= row-major). */
    private static double[] randomSpd(Random random, int n, double shift) {
        double[] g = new double[(n + 5) * n];
        for (int i = 0; i < g.length; i++) {
            g[i] = random.nextGaussian();
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? shift : 0;
                for (int r = 0; r < n + 5; r++) {
                    s += g[r * n + i] * g[r * n + j];
                }
                a[i + j * n] = s;
            }
        }
        return a;
    }

    /** K_ij = exp(−(x_i − x_j)²/(2ℓ²)) for n points evenly in [0, 1]: numerically singular for small spacing/ℓ. */
    private static double[] gaussianKernel(int n, double lengthScale) {
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = (i - j) / (n - 1.0);
                k[i + j * n] = Math.exp(-0.5 * d * d / (lengthScale * lengthScale));
            }
        }
        return k;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** (TᵀT)_ij from the factor's entries, by definition. */
    private static double[] gram(double[] t, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k <= Math.min(i, j); k++) {
                    s += t[k + i * n] * t[k + j * n];
                }
                a[i + j * n] = s;
            }
        }
        return a;
    }

    /** T x (transposed: Tᵀ x) from the entries, by definition. */
    private static double[] multiply(double[] t, int n, double[] x, boolean transposed) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                y[i] += (transposed ? t[j + i * n] : t[i + j * n]) * x[j];
            }
        }
        return y;
    }

    /** Checks TᵀT = a + jitter·I to c·n·ε·max|a|, and that T is upper triangular. */
    private static void assertFactorOf(TriangularFactor f, double[] a, double jitter, String what) {
        int n = f.size();
        double[] t = f.data();
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                assertEquals(0.0, t[i + j * n], what + ": below the diagonal at (" + i + ", " + j + ")");
            }
        }
        double[] g = gram(t, n);
        double tol = 4 * n * EPS * (maxAbs(a) + jitter);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double expected = a[i + j * n] + (i == j ? jitter : 0);
                assertEquals(expected, g[i + j * n], tol, what + ": (TᵀT)(" + i + ", " + j + ")");
            }
        }
    }

    /** Checks that each solve, multiplied back, gives its right-hand side to c·n·ε·max|T|·max|x|. */
    private static void assertSolvesMultiplyBack(TriangularFactor f, Random random, String what) {
        int n = f.size();
        double[] t = f.data();
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = random.nextGaussian();
        }
        for (boolean transposed : new boolean[] {false, true}) {
            double[] x = new double[n];
            if (transposed) {
                f.solveTransposed(b, x);
            } else {
                f.solve(b, x);
            }
            double[] back = multiply(t, n, x, transposed);
            double tol = 4 * n * EPS * maxAbs(t) * maxAbs(x);
            for (int i = 0; i < n; i++) {
                assertEquals(b[i], back[i], tol, what + (transposed ? ": Tᵀx = b" : ": Tx = b") + " at " + i);
            }
        }
    }

    @Test
    void choleskyAgreesWithEjml() {
        Random random = new Random(11);
        for (int n : new int[] {1, 2, 7, 33, 200}) {
            double[] a = randomSpd(random, n, 0);
            CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, false);
            assertTrue(chol.decompose(DMatrixRMaj.wrap(n, n, a.clone())));
            DMatrixRMaj u = chol.getT(null);
            double[] t = TriangularFactor.cholesky(a.clone(), n, 0).data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(u.get(i, j), t[i + j * n], 1e-9 * Math.sqrt(a[j + j * n]),
                            "n=" + n + " (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void logDetIsHalfTheLogDeterminantOfTheMatrix() {
        Random random = new Random(12);
        for (int n : new int[] {1, 5, 40}) {
            double[] a = randomSpd(random, n, 0.5);
            double det = CommonOps_DDRM.det(DMatrixRMaj.wrap(n, n, a.clone()));
            assertEquals(Math.log(det), 2 * TriangularFactor.cholesky(a.clone(), n, 0).logDet(),
                    1e-10 * Math.abs(Math.log(det)) + 1e-12, "n=" + n);
        }
        // R of a QR may have negative diagonal entries: ln |det R|
        double[] r = {-2, 0, 3, 0.5};
        assertEquals(Math.log(1.0), TriangularFactor.upper(r, 2).logDet(), 1e-15);
    }

    @Test
    void solvesGiveTheInverseTimesAVectorAsEjmlDoes() {
        Random random = new Random(13);
        for (int n : new int[] {1, 6, 61}) {
            double[] a = randomSpd(random, n, 0.1);
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = random.nextGaussian();
            }
            LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(n);
            assertTrue(solver.setA(DMatrixRMaj.wrap(n, n, a.clone())));
            DMatrixRMaj expected = new DMatrixRMaj(n, 1);
            solver.solve(DMatrixRMaj.wrap(n, 1, b.clone()), expected);
            TriangularFactor f = TriangularFactor.cholesky(a.clone(), n, 0);
            double[] x = b.clone();
            f.solveTransposed(x, x);
            f.solve(x, x);
            double scale = maxAbs(expected.data);
            for (int i = 0; i < n; i++) {
                assertEquals(expected.get(i, 0), x[i], 1e-10 * scale, "n=" + n + ", x[" + i + "]");
            }
        }
    }

    @Test
    void factorAndSolvesMeetTheirDefinitions() {
        Random random = new Random(14);
        for (int n : new int[] {1, 3, 17, 120}) {
            for (double jitter : new double[] {0, 1e-3}) {
                double[] a = randomSpd(random, n, 0);
                TriangularFactor f = TriangularFactor.cholesky(a.clone(), n, jitter);
                String what = "n=" + n + ", jitter " + jitter;
                assertEquals(n, f.size());
                assertFactorOf(f, a, jitter, what);
                assertSolvesMultiplyBack(f, random, what);
            }
        }
    }

    /**
     * A Gaussian-kernel matrix on closely spaced points (condition number far beyond 1/ε) is not positive definite
     * in floating point; jitter makes it so, and the factor and its solves are then backward stable even though
     * the solutions themselves carry the conditioning.
     */
    @Test
    void illConditionedMatricesNeedJitterAndThenStayBackwardStable() {
        Random random = new Random(15);
        int n = 40;
        double[] k = gaussianKernel(n, 0.5);
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> TriangularFactor.cholesky(k.clone(), n, 0));
        assertTrue(e.leadingMinor() >= 2 && e.leadingMinor() <= n, e.getMessage());
        assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
        for (double jitter : new double[] {1e-10, 1e-6}) {
            TriangularFactor f = TriangularFactor.cholesky(k.clone(), n, jitter);
            String what = "Gaussian kernel, jitter " + jitter;
            assertFactorOf(f, k, jitter, what);
            assertSolvesMultiplyBack(f, random, what);
            // A x = b through both solves: residual to backward-stable accuracy, ‖b − A x‖ ≲ n ε ‖A‖ ‖x‖
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = random.nextGaussian();
            }
            double[] x = new double[n];
            f.solveTransposed(b, x);
            f.solve(x, x);
            double[] ax = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    ax[i] += (k[i + j * n] + (i == j ? jitter : 0)) * x[j];
                }
            }
            double tol = 8 * n * EPS * maxAbs(k) * maxAbs(x);
            for (int i = 0; i < n; i++) {
                assertEquals(b[i], ax[i], tol, what + ": (A x)[" + i + "]");
            }
        }
    }

    /** Point 5 a duplicate of point 2 (orthogonal points otherwise): exact arithmetic, so the zero pivot is exact. */
    @Test
    void duplicatePointsAreSingularUntilJittered() {
        int n = 9;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i + i * n] = 4;
        }
        a[2 + 5 * n] = 4;
        a[5 + 2 * n] = 4;
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> TriangularFactor.cholesky(a.clone(), n, 0));
        assertEquals(6, e.leadingMinor(), e.getMessage());
        TriangularFactor f = TriangularFactor.cholesky(a.clone(), n, 1e-8);
        assertFactorOf(f, a, 1e-8, "duplicate, jittered");
        assertSolvesMultiplyBack(f, new Random(16), "duplicate, jittered");
        assertThrows(IllegalArgumentException.class, () -> TriangularFactor.cholesky(a.clone(), n, -1e-8));
        assertThrows(IllegalArgumentException.class, () -> TriangularFactor.cholesky(a.clone(), n, Double.NaN));
    }

    @Test
    void batchedSolvesAgreeWithSingleOnes() {
        Random random = new Random(17);
        int n = 50;
        int rows = 7;
        TriangularFactor f = TriangularFactor.cholesky(randomSpd(random, n, 0.1), n, 0);
        double[] b = new double[rows * n];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextGaussian();
        }
        for (boolean transposed : new boolean[] {false, true}) {
            double[] batch = b.clone();
            if (transposed) {
                f.solveTransposedRows(batch, rows);
            } else {
                f.solveRows(batch, rows);
            }
            for (int r = 0; r < rows; r++) {
                double[] one = java.util.Arrays.copyOfRange(b, r * n, (r + 1) * n);
                if (transposed) {
                    f.solveTransposed(one, one);
                } else {
                    f.solve(one, one);
                }
                double scale = maxAbs(one);
                for (int i = 0; i < n; i++) {
                    assertEquals(one[i], batch[r * n + i], 1e-12 * scale, "row " + r + (transposed ? " (Tᵀ)" : ""));
                }
            }
        }
    }

    @Test
    void theDataReadRowMajorIsTheLowerFactor() {
        Random random = new Random(18);
        int n = 12;
        double[] a = randomSpd(random, n, 0);
        double[] l = TriangularFactor.cholesky(a.clone(), n, 0).data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += l[i * n + k] * l[j * n + k];
                }
                assertEquals(a[i * n + j], s, 4 * n * EPS * maxAbs(a), "(L Lᵀ)(" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void aLeadingBlockViewSolvesAsItsCopy() {
        Random random = new Random(19);
        int n = 10;
        int ld = n + 1;
        double[] big = TriangularFactor.cholesky(randomSpd(random, ld, 0), ld, 0).data();
        TriangularFactor view = TriangularFactor.leadingBlock(big, ld, n);
        double[] compact = view.data();
        assertEquals(n * n, compact.length);
        TriangularFactor copy = TriangularFactor.upper(compact, n);
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = random.nextGaussian();
            for (int j = 0; j < n; j++) {
                assertEquals(big[i + j * ld], compact[i + j * n]);
            }
        }
        double[] x = new double[n];
        double[] y = new double[n];
        view.solve(b, x);
        copy.solve(b, y);
        assertArrayEquals(y, x);
        view.solveTransposed(b, x);
        copy.solveTransposed(b, y);
        assertArrayEquals(y, x);
        assertEquals(copy.logDet(), view.logDet());
    }

    @Test
    void givenEntriesAreValidatedAndCopied() {
        double[] t = {2, 0, 1, 3};
        TriangularFactor f = TriangularFactor.upper(t, 2);
        t[2] = 100;
        assertArrayEquals(new double[] {2, 0, 1, 3}, f.data(), "the factor keeps its own copy");
        double[] data = f.data();
        data[0] = 7;
        assertArrayEquals(new double[] {2, 0, 1, 3}, f.data(), "data() is a copy");
        IllegalArgumentException below = assertThrows(IllegalArgumentException.class,
                () -> TriangularFactor.upper(new double[] {2, 1, 1, 3}, 2));
        assertTrue(below.getMessage().contains("[1, 0]"), below.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TriangularFactor.upper(new double[] {2, 0, 1, 0}, 2));
        assertThrows(IllegalArgumentException.class, () -> TriangularFactor.upper(new double[] {2, 0, Double.NaN, 3},
                2));
        assertThrows(IllegalArgumentException.class, () -> TriangularFactor.upper(new double[] {2, 0, 1}, 2));
        double[] shortVector = new double[1];
        assertThrows(IllegalArgumentException.class, () -> f.solve(shortVector, shortVector));
        assertThrows(IllegalArgumentException.class, () -> f.solveRows(new double[3], 2));
    }
}
