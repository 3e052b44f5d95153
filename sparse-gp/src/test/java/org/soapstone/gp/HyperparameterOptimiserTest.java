package org.soapstone.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.junit.jupiter.api.Test;

class HyperparameterOptimiserTest {

    private static final int D = 4;

    /** Dense DTC ln p(y) = ln N(y; 0, Q_NN + Λ) with K ∝ δ², noise σ·factor. */
    private static double denseLogLikelihood(DMatrixRMaj knm1, DMatrixRMaj kmm1, double jitter, double[] sigma,
                                             DMatrixRMaj y, double delta, double factor) {
        double d2 = delta * delta;
        DMatrixRMaj kmm = kmm1.copy();
        CommonOps_DDRM.scale(d2, kmm);
        for (int i = 0; i < kmm.numRows; i++) {
            kmm.add(i, i, jitter);
        }
        CommonOps_DDRM.invert(kmm);
        DMatrixRMaj knm = knm1.copy();
        CommonOps_DDRM.scale(d2, knm);
        DMatrixRMaj t = new DMatrixRMaj(knm.numRows, kmm.numCols);
        CommonOps_DDRM.mult(knm, kmm, t);
        DMatrixRMaj c = new DMatrixRMaj(knm.numRows, knm.numRows);
        CommonOps_DDRM.multTransB(t, knm, c);
        for (int i = 0; i < sigma.length; i++) {
            c.add(i, i, Math.pow(sigma[i] * factor, 2));
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(c.numRows, true);
        if (!chol.decompose(c)) {
            return Double.NEGATIVE_INFINITY;
        }
        DMatrixRMaj l = chol.getT(null);
        double logDet = 0;
        for (int i = 0; i < l.numRows; i++) {
            logDet += 2 * Math.log(l.get(i, i));
        }
        DMatrixRMaj z = y.copy();
        // forward substitution L z = y
        for (int i = 0; i < z.numRows; i++) {
            double s = z.get(i, 0);
            for (int j = 0; j < i; j++) {
                s -= l.get(i, j) * z.get(j, 0);
            }
            z.set(i, 0, s / l.get(i, i));
        }
        return -0.5 * CommonOps_DDRM.dot(z, z) - 0.5 * logDet - 0.5 * y.numRows * Math.log(2 * Math.PI);
    }

    @Test
    void findsTheMaximumOfTheDenseLikelihoodSurface() {
        Random random = new Random(31);
        Kernel kernel = new DotProductKernel(0.3, 2);
        int n = 60;
        double[] x = Problems.unitDescriptors(random, n, D);
        // a target the sparse model can represent exactly (a combination of kernels centred on the 8 sparse points)
        // plus noise of standard deviation 0.05
        double[] y = new double[n];
        double[] c = new double[8];
        for (int j = 0; j < 8; j++) {
            c[j] = random.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 8; j++) {
                y[i] += c[j] * kernel.withDelta(1.0).value(x, i * D, x, j * D, D);
            }
            y[i] += 0.05 * random.nextGaussian();
        }
        ObservationBlock obs = Problems.localEnergies(x, D, y, 0.5);
        // 8 points: below the 10-dimensional ζ = 2 feature space of d = 4, so K_MM is well conditioned
        SparsePoints sparse = new SparsePoints(D, java.util.Arrays.copyOf(x, 8 * D));
        double jitter = 1e-8;
        int m = sparse.size();
        double[] kmm = new double[m * m];
        kernel.matrix(sparse.points(), m, sparse.points(), m, D, kmm);
        QrAccumulator energies = StreamedQrFit.accumulate(kernel, sparse, List.of(obs));
        HyperparameterOptimiser optimiser = new HyperparameterOptimiser(kmm, new int[] {0, m}, new double[] {0.3},
                jitter, new QrAccumulator[] {energies});
        HyperparameterOptimiser.Optimum best = optimiser.optimise(400);

        Kernel unit = kernel.withDelta(1.0);
        ObservationBlock points = Problems.pointsAsFunctionals(sparse);
        DMatrixRMaj knm1 = Problems.covariance(unit, obs, points);
        DMatrixRMaj kmm1 = Problems.covariance(unit, points, points);
        DMatrixRMaj target = Problems.targets(obs);
        double gridBest = Double.NEGATIVE_INFINITY;
        for (int a = 0; a <= 40; a++) {
            for (int b = 0; b <= 40; b++) {
                double delta = 0.3 * Math.pow(100, a / 40.0 - 0.25);
                double factor = Math.pow(1000, -b / 40.0);
                gridBest = Math.max(gridBest, denseLogLikelihood(knm1, kmm1, jitter, obs.sigma(), target, delta, factor));
            }
        }
        double atOptimum = denseLogLikelihood(knm1, kmm1, jitter, obs.sigma(), target, best.delta()[0],
                best.sigmaFactor()[0]);
        assertEquals(atOptimum, best.logMarginalLikelihood(), 1e-6 * Math.abs(atOptimum));
        assertTrue(best.logMarginalLikelihood() >= gridBest - 1e-6,
                "optimum " + best.logMarginalLikelihood() + " below the grid maximum " + gridBest);
        assertTrue(best.logMarginalLikelihood()
                > optimiser.posterior(new double[] {0.3}, new double[] {1}).logMarginalLikelihood() + 1.0);
        // the noise it finds is of the order of the true 0.05 (starting from σ = 0.5)
        double sigma = 0.5 * best.sigmaFactor()[0];
        assertTrue(sigma > 0.02 && sigma < 0.1, "sigma " + sigma);
    }

    private static ObservationBlock scaledSigma(ObservationBlock o, double t) {
        double[] sigma = o.sigma().clone();
        for (int r = 0; r < sigma.length; r++) {
            sigma[r] *= t;
        }
        return new ObservationBlock(o.dimension(), o.descriptors(), o.target(), sigma, o.kind(), o.valueStart(),
                o.valueEnv(), o.valueWeight(), o.gradientStart(), o.gradientEnv(), o.gradientVector());
    }

    @Test
    void rescaledFactorsGiveTheFitAtTheNewHyperparameters() {
        Random random = new Random(41);
        Kernel kernel = new DotProductKernel(0.4, 2);
        ObservationBlock totals = Problems.structures(random, 6, 3, 2, D);
        double[] x = Problems.unitDescriptors(random, 20, D);
        double[] y = new double[20];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextGaussian();
        }
        ObservationBlock locals = Problems.localEnergies(x, D, y, 0.1);
        SparsePoints sparse = new SparsePoints(D, java.util.Arrays.copyOf(x, 7 * D));
        int m = sparse.size();
        double jitter = 1e-9;
        double[] kmm = new double[m * m];
        kernel.matrix(sparse.points(), m, sparse.points(), m, D, kmm);
        HyperparameterOptimiser optimiser = new HyperparameterOptimiser(kmm, new int[] {0, m}, new double[] {0.4},
                jitter, new QrAccumulator[] {StreamedQrFit.accumulate(kernel, sparse, List.of(totals)),
                    StreamedQrFit.accumulate(kernel, sparse, List.of(locals))});
        double delta = 1.3;
        double[] t = {0.6, 2.5};
        SparseGpPosterior scaled = optimiser.posterior(new double[] {delta}, t);
        SparseGpModel direct = StreamedQrFit.fit(kernel.withDelta(delta), sparse, jitter,
                List.of(scaledSigma(totals, t[0]), scaledSigma(locals, t[1])), 1);
        assertEquals(direct.posterior().logMarginalLikelihood(), scaled.logMarginalLikelihood(),
                1e-9 * Math.abs(direct.posterior().logMarginalLikelihood()));
        assertArrayEquals(direct.posterior().alpha(), scaled.alpha(),
                1e-8 * java.util.Arrays.stream(direct.posterior().alpha()).map(Math::abs).max().orElseThrow());
    }
}
