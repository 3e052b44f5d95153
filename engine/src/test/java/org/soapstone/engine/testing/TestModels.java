package org.soapstone.engine.testing;

import java.util.Random;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.gp.DesignBlock;
import org.soapstone.gp.QrAccumulator;
import org.soapstone.gp.SparseGpPosterior;
import org.soapstone.gp.TriangularFactor;

/** GAP models for tests of model files: a gap_fit model given a random, well-conditioned sparse-GP posterior. */
public final class TestModels {
    private TestModels() {}

    /**
     * @return {@code model} with a posterior over all its sparse points: see {@link #randomPosterior}
     */
    public static GapModel withRandomPosterior(GapModel model, long seed) {
        int m = model.terms().stream().mapToInt(GapTerm::sparseCount).sum();
        return new GapModel(model.label(), model.gapVersion(), model.e0(), model.terms(), randomPosterior(m, seed));
    }

    /**
     * @return a posterior with U upper triangular with a dominant positive diagonal (well conditioned) folded in
     *     with one random block of 2M whitened observations (kernel rows and targets N(0, 1), σ in [0.5, 1.5))
     */
    public static SparseGpPosterior randomPosterior(int m, long seed) {
        Random random = new Random(seed);
        double[] u = new double[m * m];
        for (int j = 0; j < m; j++) {
            u[j + j * m] = 1 + random.nextDouble();
            for (int i = 0; i < j; i++) {
                u[i + j * m] = 0.3 * random.nextGaussian() / Math.sqrt(m);
            }
        }
        TriangularFactor factor = TriangularFactor.upper(u, m);
        QrAccumulator acc = QrAccumulator.prior(factor);
        int rows = 2 * m;
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
        acc.add(DesignBlock.assemble(k, m, y, sigma));
        return new SparseGpPosterior(factor, acc);
    }
}
