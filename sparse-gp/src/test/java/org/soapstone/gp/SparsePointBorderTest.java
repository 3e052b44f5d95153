package org.soapstone.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bordered update for new sparse points against a full refit with the same points and data. */
class SparsePointBorderTest {

    private static final int D = 6;
    private static final double JITTER = 1e-8;

    private static SparsePoints points(double[] x, int from, int to) {
        return new SparsePoints(D, Arrays.copyOfRange(x, from * D, to * D));
    }

    /** K(a, b) column-major |a| × |b| (row-major |b| × |a|). */
    private static double[] covariance(Kernel k, SparsePoints a, SparsePoints b) {
        double[] out = new double[a.size() * b.size()];
        k.matrix(b.raw(), b.size(), a.raw(), a.size(), D, out);
        return out;
    }

    /** Fits on {@code old} points, borders with {@code added}, then adds {@code later} observations. */
    private static SparseGpPosterior bordered(Kernel k, SparsePoints old, SparsePoints added,
            List<ObservationBlock> data, List<ObservationBlock> later) {
        SparseGpModel first = StreamedQrFit.fit(k, old, JITTER, data, 1);
        SparsePoints all = concat(old, added);
        SparsePointBorder.Bordered result = border(k, old, added, data, first, JITTER);
        QrAccumulator acc = result.accumulator();
        for (ObservationBlock b : later) {
            acc.add(DesignBlock.assemble(k, all, b));
        }
        return new SparseGpPosterior(result.upperCholesky(), acc);
    }

    /** Both passes of the border over the old observations. */
    private static SparsePointBorder.Bordered border(Kernel k, SparsePoints old, SparsePoints added,
            List<ObservationBlock> data, SparseGpModel first, double jitter) {
        SparsePoints all = concat(old, added);
        SparsePointBorder border = new SparsePointBorder(old.size(), added.size());
        for (ObservationBlock b : data) {
            border.add(DesignBlock.assemble(k, all, b));
        }
        border.project(first.posterior().sparseCholesky(), first.posterior().accumulator(), covariance(k, old, added),
                covariance(k, added, added), jitter);
        for (ObservationBlock b : data) {
            border.addResidual(DesignBlock.assemble(k, all, b));
        }
        return border.finish();
    }

    private static SparsePoints concat(SparsePoints a, SparsePoints b) {
        double[] p = Arrays.copyOf(a.raw(), a.raw().length + b.raw().length);
        System.arraycopy(b.raw(), 0, p, a.raw().length, b.raw().length);
        return new SparsePoints(D, p);
    }

    @Test
    void borderedUpdateMatchesRefitOnStructures() {
        Random random = new Random(7);
        Kernel k = new DotProductKernel(1.3, 2.0);
        List<ObservationBlock> data = List.of(Problems.structures(random, 6, 5, 4, D),
                Problems.structures(random, 5, 4, 3, D));
        List<ObservationBlock> later = List.of(Problems.structures(random, 2, 5, 4, D));
        double[] x = Problems.unitDescriptors(random, 14, D);
        check(k, x, 9, data, later, random);
    }

    @Test
    void borderedUpdateMatchesRefitForSquaredExponential() {
        Random random = new Random(11);
        double[] theta = new double[D];
        Arrays.fill(theta, 0.4);
        Kernel k = new SquaredExponentialKernel(0.8, theta);
        List<ObservationBlock> data = List.of(Problems.structures(random, 8, 4, 3, D));
        double[] x = Problems.unitDescriptors(random, 12, D);
        check(k, x, 4, data, List.of(), random);
    }

    private static void check(Kernel k, double[] x, int oldCount, List<ObservationBlock> data,
            List<ObservationBlock> later, Random random) {
        int total = x.length / D;
        SparsePoints old = points(x, 0, oldCount);
        SparsePoints added = points(x, oldCount, total);
        SparsePoints all = points(x, 0, total);
        List<ObservationBlock> everything = new java.util.ArrayList<>(data);
        everything.addAll(later);
        SparseGpModel refit = StreamedQrFit.fit(k, all, JITTER, everything, 1);
        SparseGpPosterior expected = refit.posterior();
        SparseGpPosterior actual = bordered(k, old, added, data, later);
        double[] ea = expected.alpha();
        double[] aa = actual.alpha();
        double scale = Arrays.stream(ea).map(Math::abs).max().orElseThrow();
        for (int i = 0; i < ea.length; i++) {
            assertEquals(ea[i], aa[i], 1e-8 * scale, "alpha " + i);
        }
        assertEquals(expected.logMarginalLikelihood(), actual.logMarginalLikelihood(),
                1e-8 * Math.abs(expected.logMarginalLikelihood()), "log marginal likelihood");
        double[] probes = Problems.unitDescriptors(random, 20, D);
        double[] rows = new double[20 * total];
        k.matrix(probes, 20, all.raw(), total, D, rows);
        double[] prior = new double[20];
        for (int p = 0; p < 20; p++) {
            prior[p] = k.value(probes, p * D, probes, p * D, D);
        }
        double[] ev = expected.variances(rows, prior);
        double[] av = actual.variances(rows, prior);
        for (int p = 0; p < 20; p++) {
            assertTrue(ev[p] > 1e-6 * prior[p], "probe " + p + " must test a non-trivial variance: " + ev[p]);
            assertEquals(ev[p], av[p], 1e-8 * ev[p], "variance of probe " + p);
        }
        // the bordered model differs from the one before the border (the test can fail)
        SparseGpModel before = StreamedQrFit.fit(k, old, JITTER, everything, 1);
        assertTrue(Math.abs(before.posterior().logMarginalLikelihood() - expected.logMarginalLikelihood())
                > 1e-6 * Math.abs(expected.logMarginalLikelihood()));
    }

    @Test
    void duplicatePointIsRejected() {
        Random random = new Random(3);
        Kernel k = new DotProductKernel(1.0, 2.0);
        List<ObservationBlock> data = List.of(Problems.structures(random, 4, 4, 2, D));
        double[] x = Problems.unitDescriptors(random, 5, D);
        SparsePoints old = points(x, 0, 5);
        SparsePoints dup = points(x, 2, 3);
        SparseGpModel first = StreamedQrFit.fit(k, old, 0.0, data, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> border(k, old, dup, data, first, 0.0));
        assertTrue(e.getMessage().contains("not positive definite") || e.getMessage().contains("dependent"),
                e.getMessage());
    }

    @Test
    void missingRowsAreRejected() {
        Random random = new Random(5);
        Kernel k = new DotProductKernel(1.0, 2.0);
        List<ObservationBlock> data = List.of(Problems.structures(random, 4, 4, 2, D));
        double[] x = Problems.unitDescriptors(random, 6, D);
        SparsePoints old = points(x, 0, 5);
        SparsePoints added = points(x, 5, 6);
        SparseGpModel first = StreamedQrFit.fit(k, old, JITTER, data, 1);
        SparsePointBorder border = new SparsePointBorder(5, 1);
        assertThrows(IllegalArgumentException.class, () -> border.project(first.posterior().sparseCholesky(),
                first.posterior().accumulator(), covariance(k, old, added), covariance(k, added, added), JITTER));
    }
}
