package org.soapstone.engine.fit;

import java.util.List;
import org.soapstone.gp.DesignBlock;

/**
 * How the design rows of a block of frames are split before the QR reduction: each part is folded into its own
 * accumulator ({@link org.soapstone.gp.FactorTree}), in a fit on threads as in a distributed fit.
 */
public enum DesignParts {
    /** All rows in one part: a plain fit. */
    WHOLE(1) {
        @Override
        public DesignBlock[] assemble(FitDesign design, List<TrainingFrame> frames) {
            return new DesignBlock[] {design.assemble(frames)};
        }
    },
    /** Energies, forces, virials apart ({@link org.soapstone.gp.ObservationKind} order): for a σ search. */
    BY_KIND(org.soapstone.gp.ObservationKind.values().length) {
        @Override
        public DesignBlock[] assemble(FitDesign design, List<TrainingFrame> frames) {
            return design.assembleByKind(frames);
        }
    };

    private final int count;

    DesignParts(int count) {
        this.count = count;
    }

    /** @return the number of parts, hence of accumulators per chunk */
    public int count() {
        return count;
    }

    /**
     * @param design the design of the model being fitted
     * @param frames one block of consecutive frames
     * @return {@link #count()} blocks
     */
    public abstract DesignBlock[] assemble(FitDesign design, List<TrainingFrame> frames);
}
