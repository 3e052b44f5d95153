package org.soapstone.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** The sparse GP against dense Gaussian-process computations done with EJML. */
class StreamedQrFitTest {

    private static final int D = 5;
    private static final Kernel SOAP = new DotProductKernel(1.3, 2);

    /** Noise covariance Λ of the concatenated blocks. */
    private static DMatrixRMaj noise(ObservationBlock... blocks) {
        int n = Problems.targets(blocks).numRows;
        DMatrixRMaj lambda = new DMatrixRMaj(n, n);
        int i = 0;
        for (ObservationBlock b : blocks) {
            for (double s : b.sigma()) {
                lambda.set(i, i, s * s);
                i++;
            }
        }
        return lambda;
    }

    private static double quadratic(DMatrixRMaj a, DMatrixRMaj inv, DMatrixRMaj b) {
        DMatrixRMaj t = new DMatrixRMaj(inv.numRows, b.numCols);
        CommonOps_DDRM.mult(inv, b, t);
        DMatrixRMaj r = new DMatrixRMaj(a.numCols, b.numCols);
        CommonOps_DDRM.multTransA(a, t, r);
        return r.get(0, 0);
    }

    @Test
    void withEverySparsePointATrainingEnvironmentItEqualsTheDenseGp() {
        // total energies of groups of environments; sparse points = all environments (M = number of environments).
        // ζ = 4 in d = 5 has a 70-dimensional feature space, so the 24 environments give a non-singular K_MM.
        Random random = new Random(21);
        Kernel soap4 = new DotProductKernel(1.3, 4);
        ObservationBlock obs = Problems.structures(random, 12, 2, 0, D);
        SparsePoints all = new SparsePoints(D, obs.descriptors());
        SparseGpModel model = StreamedQrFit.fit(soap4, all, 0.0, List.of(obs));

        DMatrixRMaj c = Problems.covariance(soap4, obs, obs);
        CommonOps_DDRM.addEquals(c, noise(obs));
        DMatrixRMaj cInv = c.copy();
        CommonOps_DDRM.invert(cInv);
        DMatrixRMaj y = Problems.targets(obs);

        double[] probes = Problems.unitDescriptors(random, 6, D);
        // also probe at training environments
        double[] atTraining = java.util.Arrays.copyOf(obs.descriptors(), 3 * D);
        for (double[] xs : new double[][] {probes, atTraining}) {
            for (int p = 0; p < xs.length / D; p++) {
                ObservationBlock probe = Problems.localEnergies(java.util.Arrays.copyOfRange(xs, p * D, p * D + D), D, new double[1], 1);
                DMatrixRMaj kStar = Problems.covariance(soap4, obs, probe);
                double mean = quadratic(kStar, cInv, y);
                double var = soap4.value(xs, p * D, xs, p * D, D) - quadratic(kStar, cInv, kStar);
                assertEquals(mean, model.localEnergy(xs, p * D), 1e-8 * (1 + Math.abs(mean)), "mean at probe " + p);
                assertEquals(var, model.localEnergyVariance(xs, p * D), 1e-8 * soap4.value(xs, p * D, xs, p * D, D), "variance at probe " + p);
            }
        }
    }

    @Test
    void logMarginalLikelihoodEqualsDenseDtcComputation() {
        Random random = new Random(22);
        ObservationBlock a = Problems.structures(random, 6, 4, 3, D);
        ObservationBlock b = Problems.structures(random, 4, 2, 2, D);
        SparsePoints sparse = new SparsePoints(D, Problems.unitDescriptors(random, 9, D));
        double jitter = 1e-6;
        SparseGpModel model = StreamedQrFit.fit(SOAP, sparse, jitter, List.of(a, b));

        // Q_NN + Λ with Q_NN = K_NM (K_MM + jitter)⁻¹ K_MN, formed densely
        ObservationBlock points = Problems.pointsAsFunctionals(sparse);
        DMatrixRMaj knm = CommonOps_DDRM.concatRowsMulti(Problems.covariance(SOAP, a, points), Problems.covariance(SOAP, b, points));
        DMatrixRMaj kmm = Problems.covariance(SOAP, points, points);
        for (int i = 0; i < kmm.numRows; i++) {
            kmm.add(i, i, jitter);
        }
        CommonOps_DDRM.invert(kmm);
        DMatrixRMaj t = new DMatrixRMaj(knm.numRows, kmm.numCols);
        CommonOps_DDRM.mult(knm, kmm, t);
        DMatrixRMaj cov = new DMatrixRMaj(knm.numRows, knm.numRows);
        CommonOps_DDRM.multTransB(t, knm, cov);
        CommonOps_DDRM.addEquals(cov, noise(a, b));
        DMatrixRMaj y = Problems.targets(a, b);
        int n = y.numRows;
        double logDet = Math.log(CommonOps_DDRM.det(cov));
        DMatrixRMaj covInv = cov.copy();
        CommonOps_DDRM.invert(covInv);
        double dense = -0.5 * quadratic(y, covInv, y) - 0.5 * logDet - 0.5 * n * Math.log(2 * Math.PI);
        assertEquals(dense, model.posterior().logMarginalLikelihood(), 1e-7 * Math.abs(dense));
    }

    @Test
    void varianceOfFunctionalsEqualsDenseDtcFormula() {
        Random random = new Random(23);
        ObservationBlock train = Problems.structures(random, 8, 3, 2, D);
        SparsePoints sparse = new SparsePoints(D, Problems.unitDescriptors(random, 10, D));
        double jitter = 1e-8;
        SparseGpModel model = StreamedQrFit.fit(SOAP, sparse, jitter, List.of(train));
        ObservationBlock test = Problems.structures(random, 3, 4, 3, D);
        double[] var = model.predictVariance(test);
        double[] mean = model.predict(test);

        ObservationBlock points = Problems.pointsAsFunctionals(sparse);
        DMatrixRMaj kmm = Problems.covariance(SOAP, points, points);
        for (int i = 0; i < kmm.numRows; i++) {
            kmm.add(i, i, jitter);
        }
        DMatrixRMaj knm = Problems.covariance(SOAP, train, points);
        DMatrixRMaj lambdaInv = noise(train);
        for (int i = 0; i < lambdaInv.numRows; i++) {
            lambdaInv.set(i, i, 1 / lambdaInv.get(i, i));
        }
        // Σ = (K_MM + K_MN Λ⁻¹ K_NM)⁻¹
        DMatrixRMaj t = new DMatrixRMaj(knm.numCols, knm.numRows);
        CommonOps_DDRM.multTransA(knm, lambdaInv, t);
        DMatrixRMaj sigmaInv = new DMatrixRMaj(kmm.numRows, kmm.numCols);
        CommonOps_DDRM.mult(t, knm, sigmaInv);
        CommonOps_DDRM.addEquals(sigmaInv, kmm);
        DMatrixRMaj sigma = sigmaInv.copy();
        CommonOps_DDRM.invert(sigma);
        DMatrixRMaj kmmInv = kmm.copy();
        CommonOps_DDRM.invert(kmmInv);
        DMatrixRMaj ty = new DMatrixRMaj(t.numRows, 1);
        CommonOps_DDRM.mult(t, Problems.targets(train), ty);
        DMatrixRMaj alpha = new DMatrixRMaj(sigma.numRows, 1);
        CommonOps_DDRM.mult(sigma, ty, alpha);

        DMatrixRMaj kStar = Problems.covariance(SOAP, test, points);
        for (int r = 0; r < test.rows(); r++) {
            DMatrixRMaj k = CommonOps_DDRM.extractRow(kStar, r, null);
            CommonOps_DDRM.transpose(k);
            double expected = Problems.covariance(SOAP, test, r, test, r) - quadratic(k, kmmInv, k) + quadratic(k, sigma, k);
            assertEquals(expected, var[r], 1e-7 * Math.abs(expected) + 1e-12, "variance of row " + r);
            double expectedMean = CommonOps_DDRM.dot(k, alpha);
            assertEquals(expectedMean, mean[r], 1e-7 * (1 + Math.abs(expectedMean)), "mean of row " + r);
        }
    }

    @Test
    void varianceIsNonNegativeAndShrinksAtTrainingPoints() {
        Random random = new Random(24);
        double[] x = Problems.unitDescriptors(random, 30, D);
        double[] y = new double[30];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextGaussian();
        }
        ObservationBlock obs = Problems.localEnergies(x, D, y, 0.01);
        SparsePoints sparse = new SparsePoints(D, java.util.Arrays.copyOf(x, 20 * D));
        SparseGpModel model = StreamedQrFit.fit(SOAP, sparse, 1e-8, List.of(obs));
        for (int i = 0; i < 30; i++) {
            double prior = SOAP.value(x, i * D, x, i * D, D);
            double v = model.localEnergyVariance(x, i * D);
            assertTrue(v >= -1e-12 * prior, "variance " + v);
            assertTrue(v < 0.05 * prior, "variance " + v + " not shrunk below prior " + prior + " at training point " + i);
        }
        double[] probes = Problems.unitDescriptors(random, 200, D);
        for (int p = 0; p < 200; p++) {
            double prior = SOAP.value(probes, p * D, probes, p * D, D);
            double v = model.localEnergyVariance(probes, p * D);
            assertTrue(v >= -1e-12 * prior && v <= prior * (1 + 1e-12), "variance " + v + ", prior " + prior);
        }
        ObservationBlock functionals = Problems.structures(random, 20, 4, 3, D);
        double[] var = model.predictVariance(functionals);
        for (int r = 0; r < var.length; r++) {
            double prior = Problems.covariance(SOAP, functionals, r, functionals, r);
            assertTrue(var[r] >= -1e-12 * prior && var[r] <= prior * (1 + 1e-12), "variance " + var[r] + ", prior " + prior);
        }
    }

    @Test
    void duplicateSparsePointsNeedJitterAndThenChangeNothing() {
        Random random = new Random(25);
        ObservationBlock obs = Problems.structures(random, 10, 3, 2, D);
        double[] z = Problems.unitDescriptors(random, 8, D);
        double[] doubled = new double[16 * D];
        System.arraycopy(z, 0, doubled, 0, 8 * D);
        System.arraycopy(z, 0, doubled, 8 * D, 8 * D);
        SparsePoints unique = new SparsePoints(D, z);
        SparsePoints duplicated = new SparsePoints(D, doubled);
        assertThrows(IllegalArgumentException.class, () -> StreamedQrFit.fit(SOAP, duplicated, 0.0, List.of(obs)));
        double jitter = 1e-9;
        SparseGpModel a = StreamedQrFit.fit(SOAP, unique, jitter, List.of(obs));
        SparseGpModel b = StreamedQrFit.fit(SOAP, duplicated, jitter, List.of(obs));
        double[] probes = Problems.unitDescriptors(random, 10, D);
        for (int p = 0; p < 10; p++) {
            double ea = a.localEnergy(probes, p * D);
            assertEquals(ea, b.localEnergy(probes, p * D), 1e-6 * (1 + Math.abs(ea)));
            double va = a.localEnergyVariance(probes, p * D);
            assertEquals(va, b.localEnergyVariance(probes, p * D), 1e-6 * (1 + va));
        }
    }

    @Test
    void distributedReductionGivesTheSameModel() {
        Random random = new Random(26);
        ObservationBlock a = Problems.structures(random, 5, 3, 2, D);
        ObservationBlock b = Problems.structures(random, 7, 2, 3, D);
        SparsePoints sparse = new SparsePoints(D, Problems.unitDescriptors(random, 12, D));
        SparseGpModel direct = StreamedQrFit.fit(SOAP, sparse, 1e-8, List.of(a, b));
        QrAccumulator left = StreamedQrFit.accumulate(SOAP, sparse, List.of(b));
        left.merge(StreamedQrFit.accumulate(SOAP, sparse, List.of(a)));
        SparseGpModel reduced = StreamedQrFit.fit(SOAP, sparse, 1e-8, left);
        double[] x = Problems.unitDescriptors(random, 1, D);
        assertEquals(direct.localEnergy(x, 0), reduced.localEnergy(x, 0), 1e-10 * (1 + Math.abs(direct.localEnergy(x, 0))));
        double lml = direct.posterior().logMarginalLikelihood();
        assertEquals(lml, reduced.posterior().logMarginalLikelihood(), 1e-10 * Math.abs(lml));
    }

    @Test
    void parallelFitIsReproducibleAndIndependentOfTheNumberOfWorkers() {
        Random random = new Random(27);
        List<ObservationBlock> blocks = new java.util.ArrayList<>();
        for (int b = 0; b < 7; b++) {
            blocks.add(Problems.structures(random, 4, 3, 3, D));
        }
        SparsePoints sparse = new SparsePoints(D, Problems.unitDescriptors(random, 15, D));
        double[] one = StreamedQrFit.fit(SOAP, sparse, 1e-8, blocks, 1).posterior().alpha();
        double scale = java.util.Arrays.stream(one).map(Math::abs).max().orElseThrow();
        for (int threads : new int[] {2, 3, 8}) {
            SparseGpModel a = StreamedQrFit.fit(SOAP, sparse, 1e-8, blocks, threads);
            SparseGpModel b = StreamedQrFit.fit(SOAP, sparse, 1e-8, blocks, threads);
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.posterior().alpha(), b.posterior().alpha(),
                    "not reproducible with " + threads);
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.posterior().rFactor().data(),
                    b.posterior().rFactor().data());
            for (int j = 0; j < one.length; j++) {
                assertEquals(one[j], a.posterior().alpha()[j], 1e-10 * scale, threads + " threads, alpha[" + j + "]");
            }
        }
    }

    @Test
    void aFailingBlockFailsTheFit() {
        Random random = new Random(28);
        List<ObservationBlock> blocks = List.of(Problems.structures(random, 2, 2, 1, D), Problems.structures(random, 2, 2, 1, 3));
        SparsePoints sparse = new SparsePoints(D, Problems.unitDescriptors(random, 4, D));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamedQrFit.fit(SOAP, sparse, 1e-8, blocks, 2));
        assertTrue(e.getMessage().contains("dimension"), e.getMessage());
    }

    @Test
    void addingRowsToAFittedModelEqualsFittingEverything() {
        Random random = new Random(29);
        ObservationBlock a = Problems.structures(random, 5, 3, 2, D);
        ObservationBlock b = Problems.structures(random, 4, 2, 3, D);
        SparsePoints sparse = new SparsePoints(D, Problems.unitDescriptors(random, 10, D));
        SparseGpModel first = StreamedQrFit.fit(SOAP, sparse, 1e-8, List.of(a), 1);
        QrAccumulator more = first.posterior().accumulator();
        more.add(DesignBlock.assemble(SOAP, sparse, b));
        SparseGpModel updated = new SparseGpModel(SOAP, sparse, 1e-8, first.posterior().sparseCholesky(), more);
        SparseGpModel all = StreamedQrFit.fit(SOAP, sparse, 1e-8, List.of(a, b), 1);
        double scale = java.util.Arrays.stream(all.posterior().alpha()).map(Math::abs).max().orElseThrow();
        for (int j = 0; j < 10; j++) {
            assertEquals(all.posterior().alpha()[j], updated.posterior().alpha()[j], 1e-10 * scale);
        }
        double lml = all.posterior().logMarginalLikelihood();
        assertEquals(lml, updated.posterior().logMarginalLikelihood(), 1e-10 * Math.abs(lml));
        assertEquals(a.rows() + b.rows(), updated.posterior().observations());
    }
}
