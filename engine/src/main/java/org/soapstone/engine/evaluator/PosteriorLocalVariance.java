package org.soapstone.engine.evaluator;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.gap.GapKernelRows;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.VarianceProjection;

/**
 * The posterior variance of each atom's local energy for a model fitted here (DTC, Deringer et al., Chem. Rev.
 * 121, 10073 (2021), sec. 3): the atom's kernel row k is its instances' rows f_i k(x_i, ·) summed over all terms
 * (the columns are every term's sparse points in order), its prior k** = Σ f_i f_j k(x_i, x_j) over pairs of its
 * instances of each term, and σ² = k** − kᵀPk through the {@link VarianceProjection} of the posterior.
 */
final class PosteriorLocalVariance implements LocalVariance {
    private final VarianceProjection projection;
    private final GapKernelRows rows;

    PosteriorLocalVariance(GapModel model, int rank) {
        this.rows = new GapKernelRows(model.terms());
        int m = rows.columns();
        this.projection = VarianceProjection.ofPosterior(model.posterior(), rank == 0 ? m : Math.min(rank, m));
    }

    /** @return the projection (for its {@link VarianceProjection#meanOverestimate()}) */
    VarianceProjection projection() {
        return projection;
    }

    @Override
    public Worker worker() {
        return new Worker() {
            private final int columns = rows.columns();
            private final double[] sums = new double[FastGapCalculator.SUB_BLOCK * columns];
            private final double[] priors = new double[FastGapCalculator.SUB_BLOCK];
            private final VarianceBatch batch = new VarianceBatch(projection);
            private int first;

            @Override
            public void begin(int a0, int a1) {
                first = a0;
                Arrays.fill(sums, 0, (a1 - a0) * columns, 0);
                Arrays.fill(priors, 0);
            }

            @Override
            public void add(int t, DescriptorOutput out, double[] k, MemorySegment variance) {
                int m = rows.term(t).sparseCount();
                int column = rows.column(t);
                for (int i = 0; i < out.count(); i++) {
                    double fc = out.cutoffWeight(i);
                    int row = (out.centre(i) - first) * columns + column;
                    for (int s = 0; s < m; s++) {
                        sums[row + s] += fc * k[i * m + s];
                    }
                }
                rows.addLocalPriorVariance(t, out, priors, first);
            }

            @Override
            public void end(int a0, int a1, MemorySegment variance) {
                for (int a = a0; a < a1; a++) {
                    batch.add(sums, (a - a0) * columns, a, priors[a - a0], 1, variance);
                }
            }

            @Override
            public void flush(MemorySegment variance) {
                batch.flush(variance);
            }

            /** Nothing: here every instance counts towards its centre's local energy, which the worker owns. */
            @Override
            public void addShared(double[] variance) {
            }
        };
    }
}
