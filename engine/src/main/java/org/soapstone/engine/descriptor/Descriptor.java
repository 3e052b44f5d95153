package org.soapstone.engine.descriptor;

import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.structure.Structure;

/**
 * A descriptor of local atomic environments, as QUIP's {@code descriptors.f95} defines them: a map from a
 * structure to a set of fixed-length vectors ("instances"), each belonging to a centre atom and depending on the
 * positions of the centre and of neighbours within {@link #cutoff()}, with exact gradients.
 *
 * <p>Implementations are immutable and thread-safe; all mutable scratch lives in the {@link DescriptorOutput}
 * that {@link #newOutput()} creates, one per thread.
 */
public interface Descriptor {
    /** @return the length of each instance vector */
    int dimension();

    /** @return the cutoff radius (Å): only neighbours closer than this contribute */
    double cutoff();

    /** @return true if {@link #compute} can produce gradients */
    boolean supportsGradients();

    /**
     * @return true if the descriptor has one instance for a whole set of centres (SOAP's {@code average=T}), so
     *     the centres must not be split between threads
     */
    default boolean perStructure() {
        return false;
    }

    /** @return a reusable output (with this descriptor's scratch) for {@link #compute}; one per thread */
    DescriptorOutput newOutput();

    /**
     * Computes the instances whose centre atom lies in {@code [fromAtom, toAtom)}, in order of centre atom
     * (and, for pair descriptors, of neighbour-list pair), replacing the contents of {@code out}.
     *
     * @param structure the atoms (positions Å)
     * @param neighbours a full neighbour list of {@code structure} with cutoff ≥ {@link #cutoff()}, up to date
     * @param fromAtom first centre atom (inclusive)
     * @param toAtom last centre atom (exclusive)
     * @param gradients whether to compute gradients with respect to the positions of the centre and neighbours
     * @param out the output, made by this descriptor's {@link #newOutput()}
     * @throws IllegalArgumentException if the neighbour list is a half list or too short, or a species is not
     *     covered by the descriptor
     */
    void compute(Structure structure, NeighbourList neighbours, int fromAtom, int toAtom, boolean gradients,
            DescriptorOutput out);

    /**
     * Convenience for one-off use (the CLI, tests): builds a full neighbour list and a new output, and computes
     * every instance. Hot loops should reuse an output and a neighbour list instead.
     *
     * @param structure the atoms (positions Å)
     * @param gradients whether to compute gradients
     * @return a new output holding every instance
     */
    default DescriptorOutput compute(Structure structure, boolean gradients) {
        DescriptorOutput out = newOutput();
        compute(structure, NeighbourList.build(structure, cutoff(), true), gradients, out);
        return out;
    }

    /** Computes every instance of the structure: {@code compute(structure, neighbours, 0, n, gradients, out)}. */
    default void compute(Structure structure, NeighbourList neighbours, boolean gradients, DescriptorOutput out) {
        compute(structure, neighbours, 0, structure.size(), gradients, out);
    }
}
