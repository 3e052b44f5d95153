package org.soapstone.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.fraction.BigFraction;
import org.apache.commons.math3.fraction.BigFractionField;
import org.apache.commons.math3.linear.Array2DRowFieldMatrix;
import org.apache.commons.math3.linear.ArrayFieldVector;
import org.apache.commons.math3.linear.FieldLUDecomposition;
import org.apache.commons.math3.linear.FieldMatrix;
import org.apache.commons.math3.linear.FieldVector;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.junit.jupiter.api.Test;

/** The OpenBLAS factorisations and the streamed QR against EJML and exact rational arithmetic. */
class QrAccumulatorTest {

    private static DMatrixRMaj randomMatrix(Random random, int rows, int cols) {
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = random.nextGaussian();
        }
        return a;
    }

    /** A random design block of {@code rows} whitened rows for M columns plus target. */
    private static DesignBlock randomBlock(Random random, int rows, int m) {
        double[] k = new double[rows * m];
        double[] y = new double[rows];
        double[] sigma = new double[rows];
        for (int i = 0; i < k.length; i++) {
            k[i] = random.nextGaussian();
        }
        for (int r = 0; r < rows; r++) {
            y[r] = random.nextGaussian();
            sigma[r] = 0.5 + random.nextDouble();
        }
        return DesignBlock.assemble(k, m, y, sigma);
    }

    private static DesignBlock copy(DesignBlock b) {
        return new DesignBlock(b.rows(), b.sparseCount(), b.matrix().clone(), b.logSigmaSum());
    }

    /** Row-major dense copy of a column-major block. */
    private static DMatrixRMaj dense(DesignBlock b) {
        int n = b.sparseCount() + 1;
        DMatrixRMaj a = new DMatrixRMaj(b.rows(), n);
        for (int r = 0; r < b.rows(); r++) {
            for (int j = 0; j < n; j++) {
                a.set(r, j, b.matrix()[r + j * b.rows()]);
            }
        }
        return a;
    }

    private static double[] upperCholesky(Random random, int m) {
        DMatrixRMaj g = randomMatrix(random, m + 3, m);
        DMatrixRMaj k = new DMatrixRMaj(m, m);
        CommonOps_DDRM.multTransA(g, g, k);
        double[] colMajor = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                colMajor[i + j * m] = k.get(i, j);
            }
        }
        NativeLinearAlgebra.choleskyUpper(colMajor, m);
        return colMajor;
    }

    @Test
    void choleskyAgreesWithEjml() {
        Random random = new Random(1);
        for (int m : new int[] {1, 7, 70, 200}) {
            DMatrixRMaj g = randomMatrix(random, m + 5, m);
            DMatrixRMaj k = new DMatrixRMaj(m, m);
            CommonOps_DDRM.multTransA(g, g, k);
            double[] a = new double[m * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    a[i + j * m] = k.get(i, j);
                }
            }
            NativeLinearAlgebra.choleskyUpper(a, m);
            CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(m, false);
            chol.decompose(k.copy());
            DMatrixRMaj u = chol.getT(null);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    assertEquals(u.get(i, j), a[i + j * m], 1e-9 * Math.sqrt(k.get(j, j)), "m=" + m + " (" + i + "," + j + ")");
                }
            }
        }
    }

    @Test
    void choleskyRejectsIndefiniteMatrixClearly() {
        double[] a = {1, 2, 2, 1};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeLinearAlgebra.choleskyUpper(a, 2));
        assertEquals(true, e.getMessage().contains("not positive definite"));
    }

    @Test
    void stackedFactorAgreesWithEjmlQrOfTheWholeMatrix() {
        Random random = new Random(2);
        int m = 60;
        double[] u = upperCholesky(random, m);
        TriangularFactor factor = TriangularFactor.upper(u, m);
        QrAccumulator acc = QrAccumulator.prior(factor);
        List<DMatrixRMaj> parts = new ArrayList<>();
        DMatrixRMaj prior = new DMatrixRMaj(m, m + 1);
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                prior.set(i, j, u[i + j * m]);
            }
        }
        parts.add(prior);
        for (int rows : new int[] {17, 150, 1, 90}) {
            DesignBlock b = randomBlock(random, rows, m);
            parts.add(dense(b));
            acc.add(b);
        }
        DMatrixRMaj stacked = parts.get(0);
        for (int p = 1; p < parts.size(); p++) {
            stacked = CommonOps_DDRM.concatRowsMulti(stacked, parts.get(p));
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(stacked.numRows, stacked.numCols);
        qr.decompose(stacked.copy());
        DMatrixRMaj r = qr.getR(null, true);
        double[] ours = acc.augmentedFactor();
        int n = m + 1;
        // R is unique up to the sign of each row
        for (int i = 0; i < n; i++) {
            double sign = Math.signum(r.get(i, i)) * Math.signum(ours[i + i * n]);
            for (int j = 0; j < n; j++) {
                assertEquals(r.get(i, j), sign * ours[i + j * n], 1e-10 * (1 + Math.abs(r.get(i, j))), "(" + i + "," + j + ")");
            }
        }
    }

    @Test
    void weightsEqualExactNormalEquationsSolution() {
        Random random = new Random(3);
        int m = 6;
        double[] u = upperCholesky(random, m);
        TriangularFactor factor = TriangularFactor.upper(u, m);
        DesignBlock block = randomBlock(random, 25, m);
        DMatrixRMaj a = dense(block);
        QrAccumulator acc = QrAccumulator.prior(factor);
        acc.add(copy(block));
        SparsePoints dummy = new SparsePoints(1, new double[m]);
        double[] alpha = new SparseGpModel(new DotProductKernel(1, 1), dummy, 0, factor, acc).posterior().alpha();
        // exact: (AᵀA + UᵀU) α = Aᵀb in rational arithmetic
        FieldMatrix<BigFraction> lhs = new Array2DRowFieldMatrix<>(BigFractionField.getInstance(), m, m);
        FieldVector<BigFraction> rhs = new ArrayFieldVector<>(BigFractionField.getInstance(), m);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                BigFraction s = BigFraction.ZERO;
                for (int r = 0; r < a.numRows; r++) {
                    s = s.add(new BigFraction(a.get(r, i)).multiply(new BigFraction(a.get(r, j))));
                }
                for (int p = 0; p < m; p++) {
                    s = s.add(new BigFraction(u[p + i * m]).multiply(new BigFraction(u[p + j * m])));
                }
                lhs.setEntry(i, j, s);
            }
            BigFraction s = BigFraction.ZERO;
            for (int r = 0; r < a.numRows; r++) {
                s = s.add(new BigFraction(a.get(r, i)).multiply(new BigFraction(a.get(r, m))));
            }
            rhs.setEntry(i, s);
        }
        FieldVector<BigFraction> exact = new FieldLUDecomposition<>(lhs).getSolver().solve(rhs);
        for (int i = 0; i < m; i++) {
            double e = exact.getEntry(i).doubleValue();
            assertEquals(e, alpha[i], 1e-13 * Math.max(1, Math.abs(e)), "alpha[" + i + "]");
        }
    }

    @Test
    void blockSizesAndMergeOrderDoNotChangeTheFit() {
        Random random = new Random(4);
        int m = 40;
        double[] u = upperCholesky(random, m);
        TriangularFactor factor = TriangularFactor.upper(u, m);
        DesignBlock all = randomBlock(random, 600, m);
        SparsePoints dummy = new SparsePoints(1, new double[m]);
        Kernel kernel = new DotProductKernel(1, 1);

        QrAccumulator single = QrAccumulator.prior(factor);
        single.add(copy(all));
        double[] reference = new SparseGpModel(kernel, dummy, 0, factor, single).posterior().alpha();
        double lml = new SparseGpModel(kernel, dummy, 0, factor, single).posterior().logMarginalLikelihood();

        for (int blockRows : new int[] {1, 7, 64, 599}) {
            List<DesignBlock> blocks = split(all, blockRows);
            // sequential
            QrAccumulator seq = QrAccumulator.prior(factor);
            blocks.forEach(b -> seq.add(copy(b)));
            assertClose(reference, new SparseGpModel(kernel, dummy, 0, factor, seq).posterior().alpha());
            // one accumulator per block, merged in a shuffled order, prior merged last
            List<QrAccumulator> partial = new ArrayList<>();
            for (DesignBlock b : blocks) {
                QrAccumulator p = QrAccumulator.empty(m);
                p.add(copy(b));
                partial.add(p);
            }
            Collections.shuffle(partial, new Random(blockRows));
            while (partial.size() > 1) { // pairwise tree
                QrAccumulator a = partial.remove(partial.size() - 1);
                partial.get(random.nextInt(partial.size())).merge(a);
            }
            QrAccumulator tree = QrAccumulator.prior(factor);
            tree.merge(partial.get(0));
            SparseGpModel model = new SparseGpModel(kernel, dummy, 0, factor, tree);
            assertClose(reference, model.posterior().alpha());
            assertEquals(lml, model.posterior().logMarginalLikelihood(), 1e-10 * Math.abs(lml));
            assertEquals(600, model.posterior().observations());
        }
    }

    @Test
    void permutedColumnsGiveTheFitOfThePermutedProblem() {
        Random random = new Random(8);
        int m = 30;
        double[] u = upperCholesky(random, m);
        TriangularFactor factor = TriangularFactor.upper(u, m);
        DesignBlock block = randomBlock(random, 400, m);
        List<Integer> shuffled = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            shuffled.add(j);
        }
        Collections.shuffle(shuffled, random);
        int[] order = shuffled.stream().mapToInt(Integer::intValue).toArray();
        TriangularFactor kpFactor = selectedPrior(u, m, order);
        QrAccumulator direct = selectedFit(kpFactor, block, order);

        QrAccumulator fit = QrAccumulator.prior(factor);
        fit.add(copy(block));
        QrAccumulator renamed = fit.permuted(order);
        SparsePoints dummy = new SparsePoints(1, new double[m]);
        Kernel kernel = new DotProductKernel(1, 1);
        SparseGpModel original = new SparseGpModel(kernel, dummy, 0, factor, fit);
        SparseGpModel expected = new SparseGpModel(kernel, dummy, 0, kpFactor, direct);
        SparseGpModel actual = new SparseGpModel(kernel, dummy, 0, kpFactor, renamed);
        assertSameFit(expected, actual, renamed, random);
        for (int j = 0; j < m; j++) {
            double expectedAlpha = original.posterior().alpha()[order[j]];
            assertEquals(expectedAlpha, actual.posterior().alpha()[j], 1e-10 * Math.abs(expectedAlpha) + 1e-12,
                    "alpha of renamed column " + j);
        }
        assertThrows(IllegalArgumentException.class, () -> fit.permuted(new int[m]), "not a permutation");
    }

    @Test
    void selectedColumnsGiveTheFitOnThoseSparsePointsAlone() {
        Random random = new Random(9);
        int m = 30;
        double[] u = upperCholesky(random, m);
        TriangularFactor factor = TriangularFactor.upper(u, m);
        DesignBlock block = randomBlock(random, 400, m);
        int[] keep = {3, 0, 7, 8, 9, 21, 29, 14};
        TriangularFactor keptFactor = selectedPrior(u, m, keep);
        QrAccumulator direct = selectedFit(keptFactor, block, keep);
        QrAccumulator fit = QrAccumulator.prior(factor);
        fit.add(copy(block));
        QrAccumulator selected = fit.columns(keep);
        SparsePoints dummy = new SparsePoints(1, new double[keep.length]);
        Kernel kernel = new DotProductKernel(1, 1);
        SparseGpModel expected = new SparseGpModel(kernel, dummy, 0, keptFactor, direct);
        SparseGpModel actual = new SparseGpModel(kernel, dummy, 0, keptFactor, selected);
        assertSameFit(expected, actual, selected, random);
        assertThrows(IllegalArgumentException.class, () -> fit.columns(new int[] {1, 1}), "a repeated column");
        assertThrows(IllegalArgumentException.class, () -> fit.columns(new int[] {m}), "out of range");
    }

    /** The same α, weight-space variances of random rows, log marginal likelihood and row count (400). */
    private static void assertSameFit(SparseGpModel expected, SparseGpModel actual, QrAccumulator acc,
            Random random) {
        assertClose(expected.posterior().alpha(), actual.posterior().alpha());
        int m = acc.sparseCount();
        double[] rows = new double[5 * m];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.nextGaussian();
        }
        assertClose(expected.posterior().weightVariances(rows, 5), actual.posterior().weightVariances(rows, 5));
        assertEquals(expected.posterior().logMarginalLikelihood(), actual.posterior().logMarginalLikelihood(),
                1e-10 * Math.abs(expected.posterior().logMarginalLikelihood()));
        assertEquals(400, acc.rows());
    }

    /** U_S with U_Sᵀ U_S = K_SS, the prior of the sparse points {@code cols} of K_MM = UᵀU, by a fresh Cholesky. */
    private static TriangularFactor selectedPrior(double[] u, int m, int[] cols) {
        double[] k = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                for (int l = 0; l <= Math.min(i, j); l++) {
                    k[i + j * m] += u[l + i * m] * u[l + j * m];
                }
            }
        }
        int s = cols.length;
        double[] ks = new double[s * s];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                ks[i + j * s] = k[cols[i] + cols[j] * m];
            }
        }
        NativeLinearAlgebra.choleskyUpper(ks, s);
        return TriangularFactor.upper(ks, s);
    }

    /** The fit of the block's rows on its columns {@code cols} alone (and its target column), from scratch. */
    private static QrAccumulator selectedFit(TriangularFactor prior, DesignBlock block, int[] cols) {
        int s = cols.length;
        int rows = block.rows();
        int m = block.sparseCount();
        double[] a = new double[rows * (s + 1)];
        for (int j = 0; j < s; j++) {
            System.arraycopy(block.matrix(), cols[j] * rows, a, j * rows, rows);
        }
        System.arraycopy(block.matrix(), m * rows, a, s * rows, rows);
        QrAccumulator direct = QrAccumulator.prior(prior);
        direct.add(new DesignBlock(rows, s, a, block.logSigmaSum()));
        return direct;
    }

    @Test
    void resultsAreReproducibleBitForBit() {
        Random random = new Random(5);
        int m = 300;
        double[] u = upperCholesky(random, m);
        TriangularFactor factor = TriangularFactor.upper(u, m);
        DesignBlock block = randomBlock(random, 2000, m);
        QrAccumulator a = QrAccumulator.prior(factor);
        QrAccumulator b = QrAccumulator.prior(factor);
        a.add(copy(block));
        b.add(copy(block));
        assertArrayEquals(a.augmentedFactor(), b.augmentedFactor());
    }

    @Test
    void fitWithoutOrWithTwoPriorsIsRefused() {
        Random random = new Random(6);
        int m = 3;
        double[] u = upperCholesky(random, m);
        TriangularFactor factor = TriangularFactor.upper(u, m);
        SparsePoints dummy = new SparsePoints(1, new double[m]);
        QrAccumulator none = QrAccumulator.empty(m);
        assertThrows(IllegalArgumentException.class, () -> new SparseGpModel(new DotProductKernel(1, 1), dummy, 0, factor, none));
        QrAccumulator two = QrAccumulator.prior(factor);
        two.merge(QrAccumulator.prior(factor));
        assertThrows(IllegalArgumentException.class, () -> new SparseGpModel(new DotProductKernel(1, 1), dummy, 0, factor, two));
    }

    private static List<DesignBlock> split(DesignBlock all, int blockRows) {
        int n = all.sparseCount() + 1;
        List<DesignBlock> blocks = new ArrayList<>();
        for (int from = 0; from < all.rows(); from += blockRows) {
            int rows = Math.min(blockRows, all.rows() - from);
            double[] a = new double[rows * n];
            for (int j = 0; j < n; j++) {
                System.arraycopy(all.matrix(), from + j * all.rows(), a, j * rows, rows);
            }
            blocks.add(new DesignBlock(rows, all.sparseCount(), a, 0.0));
        }
        // carry the whole log σ sum on the first block so the likelihoods can be compared
        DesignBlock first = blocks.get(0);
        blocks.set(0, new DesignBlock(first.rows(), first.sparseCount(), first.matrix(), all.logSigmaSum()));
        return blocks;
    }

    private static void assertClose(double[] expected, double[] actual) {
        double scale = 0.0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-10 * scale, "alpha[" + i + "]");
        }
    }
}
