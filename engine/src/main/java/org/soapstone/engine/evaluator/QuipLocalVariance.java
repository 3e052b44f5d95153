package org.soapstone.engine.evaluator;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.QuipVariance;

/**
 * QUIP's {@code local_gap_variance} for an imported gap_fit model (no posterior): per atom, Σ over the instances it
 * owns of f_c² σ²(x) with σ²(x) = k** − kᵀ(K_MM + r²I)⁻¹k per term ({@link QuipVariance}), each instance's row
 * through its term's {@link VarianceProjection}.
 */
final class QuipLocalVariance implements LocalVariance {
    private final VarianceProjection[] projections;
    private final double[] priors;

    QuipLocalVariance(GapModel model, int rank) {
        List<GapTerm> terms = model.terms();
        projections = new VarianceProjection[terms.size()];
        priors = new double[terms.size()];
        for (int t = 0; t < projections.length; t++) {
            int m = terms.get(t).sparseCount();
            projections[t] = VarianceProjection.ofQuipTerm(terms.get(t), rank == 0 ? m : Math.min(rank, m));
            priors[t] = QuipVariance.priorVariance(terms.get(t));
        }
    }

    @Override
    public Worker worker() {
        VarianceBatch[] batches = new VarianceBatch[projections.length];
        for (int t = 0; t < batches.length; t++) {
            batches[t] = new VarianceBatch(projections[t]);
        }
        return new Worker() {
            @Override
            public void begin(int a0, int a1) {
            }

            @Override
            public void add(int t, DescriptorOutput out, double[] k, MemorySegment variance) {
                int m = projections[t].sparseCount();
                for (int i = 0; i < out.count(); i++) {
                    double fc = out.cutoffWeight(i);
                    batches[t].add(k, i * m, out.centre(i), priors[t], fc * fc, variance);
                }
            }

            @Override
            public void end(int a0, int a1, MemorySegment variance) {
            }

            @Override
            public void flush(MemorySegment variance) {
                for (VarianceBatch b : batches) {
                    b.flush(variance);
                }
            }
        };
    }
}
