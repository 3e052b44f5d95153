package org.soapstone.engine.evaluator;

import java.lang.foreign.MemorySegment;
import org.soapstone.engine.descriptor.DescriptorOutput;
import org.soapstone.engine.gap.GapModel;
import org.soapstone.engine.gap.VarianceProjection;

/**
 * How {@link FastGapCalculator} turns the kernel rows of a sub-block of atoms into each atom's local-energy variance
 * σ² = k** − kᵀPk (eV²), for one of the two kinds of model: {@link PosteriorLocalVariance} (a model fitted here, with
 * its sparse-GP posterior: one row per atom, its instances' rows summed over terms) or {@link QuipLocalVariance} (an
 * imported gap_fit model: QUIP's {@code local_gap_variance}, one row per instance). Either evaluates kᵀPk through a
 * {@link VarianceProjection} of rank r, in batches ({@link VarianceBatch}). Built on first use, since the
 * projection costs O(M³).
 */
sealed interface LocalVariance permits PosteriorLocalVariance, QuipLocalVariance {
    /**
     * @param model the model (with a posterior or not)
     * @param rank the number of eigenpairs kept, 0 for all (exact)
     * @return the variance of that model's local energies
     */
    static LocalVariance of(GapModel model, int rank) {
        return model.hasPosterior() ? new PosteriorLocalVariance(model, rank) : new QuipLocalVariance(model, rank);
    }

    /** @return the sums of one share of a call: its buffers and batches (one per share; not thread-safe) */
    Worker worker();

    /** One worker's sums: for each sub-block {@code begin}, {@code add} per term, {@code end}; then {@code flush}. */
    interface Worker {
        /** Starts the sub-block of atoms [a0, a1). */
        void begin(int a0, int a1);

        /**
         * Adds one term's instances of the sub-block.
         *
         * @param t the term
         * @param out its instances (centres in [a0, a1)), as predicted
         * @param k their kernel rows, instance i's M values at i·M
         * @param variance per-atom variances (eV²), doubles by atom index
         */
        void add(int t, DescriptorOutput out, double[] k, MemorySegment variance);

        /** Ends the sub-block of atoms [a0, a1). */
        void end(int a0, int a1, MemorySegment variance);

        /** Adds every queued row's variance to its atom's. */
        void flush(MemorySegment variance);

        /**
         * Adds, then zeroes, this share's variances of instances shared with atoms that may be any share's (a
         * distance_Nb cluster's, shared as its energy is); called for each share in order after every share's
         * {@link #flush}.
         */
        void addShared(double[] variance);
    }
}
