package org.soapstone.engine.evaluator;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.GapTerm;
import org.soapstone.engine.gap.QuipVariance;
import org.soapstone.engine.gap.VarianceProjection;

/**
 * QUIP's {@code local_gap_variance} for an imported gap_fit model (no posterior): per atom, Σ over the instances it
 * owns of f_c² σ²(x) with σ²(x) = k** − kᵀ(K_MM + r²I)⁻¹k per term ({@link QuipVariance}), each instance's row
 * through its term's {@link VarianceProjection}; a distance_Nb instance's f_c² σ²(x) is shared equally between its
 * cluster's atoms, as QUIP shares it.
 */
final class QuipLocalVariance implements LocalVariance {
    private final VarianceProjection[] projections;
    private final double[] priors;
    /** Per term: whether its instances are shared between several atoms (distance_Nb). */
    private final boolean[] sharedTerm;

    QuipLocalVariance(GapModel model, int rank) {
        List<GapTerm> terms = model.terms();
        projections = new VarianceProjection[terms.size()];
        priors = new double[terms.size()];
        sharedTerm = new boolean[terms.size()];
        for (int t = 0; t < projections.length; t++) {
            int m = terms.get(t).sparseCount();
            projections[t] = VarianceProjection.ofQuipTerm(terms.get(t), rank == 0 ? m : Math.min(rank, m));
            priors[t] = QuipVariance.priorVariance(terms.get(t));
            sharedTerm[t] = terms.get(t).descriptor().create().newOutput().energyShares() > 1;
        }
    }

    @Override
    public Worker worker() {
        VarianceBatch[] batches = new VarianceBatch[projections.length];
        for (int t = 0; t < batches.length; t++) {
            batches[t] = new VarianceBatch(projections[t]);
        }
        return new Worker() {
            /** Variances of shared instances (any atom's), by atom, and the same memory as a segment. */
            private double[] shared = new double[0];
            private MemorySegment sharedView = MemorySegment.ofArray(shared);

            @Override
            public void begin(int a0, int a1) {
            }

            @Override
            public void add(int t, DescriptorOutput out, double[] k, MemorySegment variance) {
                int m = projections[t].sparseCount();
                int shares = out.energyShares();
                if (shares > 1) {
                    int atoms = (int) (variance.byteSize() / 8);
                    if (shared.length != atoms) {
                        shared = new double[atoms];
                        sharedView = MemorySegment.ofArray(shared);
                    }
                    for (int i = 0; i < out.count(); i++) {
                        double fc = out.cutoffWeight(i);
                        for (int s = 0; s < shares; s++) {
                            batches[t].add(k, i * m, out.energyAtom(i, s), priors[t], fc * fc / shares, sharedView);
                        }
                    }
                    return;
                }
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
                for (int t = 0; t < batches.length; t++) {
                    batches[t].flush(sharedTerm[t] ? sharedView : variance);
                }
            }

            @Override
            public void addShared(double[] variance) {
                // a worker idle since a call with more atoms holds zeros past this call's
                for (int a = 0; a < Math.min(shared.length, variance.length); a++) {
                    variance[a] += shared[a];
                }
                Arrays.fill(shared, 0);
            }
        };
    }
}
