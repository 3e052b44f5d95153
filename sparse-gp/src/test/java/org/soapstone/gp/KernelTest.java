package org.soapstone.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KernelTest {

    private static final int D = 6;

    static Stream<Kernel> kernels() {
        return Stream.of(new DotProductKernel(1.7, 1), new DotProductKernel(0.8, 2), new DotProductKernel(1.3, 4),
                new DotProductKernel(0.9, 2.5),
                new SquaredExponentialKernel(1.2, new double[] {0.5, 0.9, 1.3, 0.7, 2.0, 0.4}));
    }

    /** Central difference of f along direction u at step h. */
    private static double directional(java.util.function.Function<double[], Double> f, double[] at, double[] u, double h) {
        double[] plus = at.clone();
        double[] minus = at.clone();
        for (int c = 0; c < at.length; c++) {
            plus[c] += h * u[c];
            minus[c] -= h * u[c];
        }
        return (f.apply(plus) - f.apply(minus)) / (2 * h);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void gradientMatchesFiniteDifferences(Kernel k) {
        Random random = new Random(3);
        double[] x = Problems.unitDescriptors(random, 1, D);
        double[] z = Problems.unitDescriptors(random, 1, D);
        double[] grad = new double[D];
        k.gradient(x, 0, z, 0, D, grad, 0);
        for (int c = 0; c < D; c++) {
            double[] e = new double[D];
            e[c] = 1.0;
            double fd = directional(p -> k.value(p, 0, z, 0, D), x, e, 1e-5);
            assertEquals(fd, grad[c], 1e-8 * Math.max(1.0, Math.abs(fd)), "component " + c);
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void mixedSecondMatchesFiniteDifferencesOfGradient(Kernel k) {
        Random random = new Random(5);
        double[] x = Problems.unitDescriptors(random, 1, D);
        double[] z = Problems.unitDescriptors(random, 1, D);
        double[] g = Problems.unitDescriptors(random, 1, D);
        double[] h = Problems.unitDescriptors(random, 1, D);
        g[0] = -g[0];
        double[] grad = new double[D];
        // d/dz along h of (g . dk/dx)
        double fd = directional(zz -> {
            k.gradient(x, 0, zz, 0, D, grad, 0);
            return DotProductKernel.dot(g, 0, grad, 0, D);
        }, z, h, 1e-5);
        assertEquals(fd, k.mixedSecond(x, 0, g, 0, z, 0, h, 0, D), 1e-8 * Math.max(1.0, Math.abs(fd)));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void batchMatricesMatchScalarMethods(Kernel k) {
        Random random = new Random(7);
        int n = 9;
        int m = 5;
        int terms = 13;
        double[] x = Problems.unitDescriptors(random, n, D);
        double[] z = Problems.unitDescriptors(random, m, D);
        double[] kxz = new double[n * m];
        k.matrix(x, n, z, m, D, kxz);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                assertEquals(k.value(x, i * D, z, j * D, D), kxz[i * m + j], 1e-13);
            }
        }
        int[] env = new int[terms];
        double[] g = new double[terms * D];
        for (int t = 0; t < terms; t++) {
            env[t] = random.nextInt(n);
            for (int c = 0; c < D; c++) {
                g[t * D + c] = random.nextGaussian();
            }
        }
        double[] out = new double[terms * m];
        double[] factors = new double[n * m];
        k.gradientFactors(x, n, z, m, D, kxz, factors);
        k.gradientMatrix(x, env, g, 0, terms, z, m, D, factors, out);
        double[] grad = new double[D];
        for (int t = 0; t < terms; t++) {
            for (int j = 0; j < m; j++) {
                k.gradient(x, env[t] * D, z, j * D, D, grad, 0);
                assertEquals(DotProductKernel.dot(g, t * D, grad, 0, D), out[t * m + j], 1e-12);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void functionalRowsMatchPairwiseCovariances(Kernel k) {
        Random random = new Random(11);
        ObservationBlock obs = Problems.structures(random, 3, 4, 3, D);
        SparsePoints sparse = new SparsePoints(D, Problems.unitDescriptors(random, 7, D));
        double[] rows = Covariance.functionalRows(k, sparse, obs);
        ObservationBlock points = Problems.pointsAsFunctionals(sparse);
        for (int r = 0; r < obs.rows(); r++) {
            for (int j = 0; j < sparse.size(); j++) {
                assertEquals(Problems.covariance(k, obs, r, points, j), rows[r * 7 + j], 1e-12);
            }
            assertEquals(Problems.covariance(k, obs, r, obs, r), Covariance.priorVariance(k, obs, r), 1e-12);
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void gradientTermsAreContractedInChunksWithoutChangingTheRows(Kernel k) {
        Random random = new Random(13);
        double[] x = Problems.unitDescriptors(random, 50, D);
        ObservationBlock.Builder b = new ObservationBlock.Builder(D);
        for (int e = 0; e < 50; e++) {
            b.environment(x, e * D);
        }
        double[] g = new double[D];
        int[] termsPerRow = new int[1500];
        java.util.Arrays.fill(termsPerRow, 3);
        termsPerRow[700] = Covariance.CHUNK_TERMS + 10; // one row larger than a chunk
        for (int r = 0; r < termsPerRow.length; r++) {
            b.row(0.0, 1.0, ObservationKind.FORCE);
            for (int t = 0; t < termsPerRow[r]; t++) {
                for (int c = 0; c < D; c++) {
                    g[c] = random.nextGaussian();
                }
                b.gradient(random.nextInt(50), g, 0);
            }
        }
        ObservationBlock obs = b.build();
        SparsePoints sparse = new SparsePoints(D, Problems.unitDescriptors(random, 3, D));
        ObservationBlock points = Problems.pointsAsFunctionals(sparse);
        double[] rows = Covariance.functionalRows(k, sparse, obs);
        for (int r = 0; r < obs.rows(); r++) {
            for (int j = 0; j < 3; j++) {
                double expected = Problems.covariance(k, obs, r, points, j);
                assertEquals(expected, rows[r * 3 + j], 1e-11 * (1 + Math.abs(expected)), "row " + r);
            }
        }
    }
}
