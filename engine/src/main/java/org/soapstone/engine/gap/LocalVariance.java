package org.soapstone.engine.gap;

import org.soapstone.engine.structure.Structure;

/**
 * A model that estimates the uncertainty of its prediction per atom: a predictive variance of each atom's local
 * energy (eV²), e.g. QUIP's {@code local_gap_variance}. Implemented by {@link GapCalculator}.
 */
public interface LocalVariance {
    /**
     * @param structure the atoms (positions Å)
     * @return one variance per atom (eV²)
     */
    double[] localVariance(Structure structure);
}
