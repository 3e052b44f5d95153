package org.soapstone.engine.descriptor;

import org.soapstone.engine.calculator.ForceTally;
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
     * Tallies the position gradient of Σ_i f_c ε(x_i) over the instances whose centre lies in
     * {@code [fromAtom, toAtom)} (f_c the cutoff weight, ε a function of the instance vector: a GAP term's local
     * energy), given ε and ∂ε/∂x of each instance in {@link #compute}'s order. By default the forward way: the
     * instances' gradients ∂x/∂r, then {@link DescriptorOutput#tallyGradient}; a descriptor may instead push ∂ε/∂x
     * back through its own intermediate quantities without forming ∂x/∂r (SOAP's reverse mode), with the same
     * result up to rounding.
     *
     * @param structure the atoms (positions Å)
     * @param neighbours a full neighbour list as for {@link #compute}
     * @param fromAtom first centre atom (inclusive)
     * @param toAtom last centre atom (exclusive)
     * @param epsilon ε of instance i at {@code first + i} (eV)
     * @param first the index of the first instance's ε
     * @param dEpsilon ∂ε/∂x of instance i at (first + i)·D (eV per descriptor unit)
     * @param values null, or an output of this descriptor whose last {@link #compute} covered these centres, with
     *     the structure's positions and cell and the list unchanged since: what that computation kept may be
     *     reused (SOAP's expansion coefficients); not modified
     * @param out scratch made by this descriptor's {@link #newOutput()}: its contents afterwards are unspecified
     * @param tally where ∂E/∂r (eV/Å) and the strain derivative go
     * @return the number of instances
     */
    default int tallyGradients(Structure structure, NeighbourList neighbours, int fromAtom, int toAtom,
            double[] epsilon, int first, double[] dEpsilon, DescriptorOutput values, DescriptorOutput out,
            ForceTally tally) {
        return tallyForward(this, structure, neighbours, fromAtom, toAtom, epsilon, first, dEpsilon, out, tally);
    }

    /**
     * {@link #tallyGradients} the forward way, whatever the descriptor: {@code out} is left with the instances and
     * their gradients ∂x/∂r, for a caller that needs them too (the force σ's kernel-gradient rows).
     *
     * @param descriptor the descriptor
     * @return the number of instances
     */
    static int tallyForward(Descriptor descriptor, Structure structure, NeighbourList neighbours, int fromAtom,
            int toAtom, double[] epsilon, int first, double[] dEpsilon, DescriptorOutput out, ForceTally tally) {
        descriptor.compute(structure, neighbours, fromAtom, toAtom, true, out);
        int d = descriptor.dimension();
        for (int i = 0; i < out.count(); i++) {
            out.tallyGradient(i, epsilon[first + i], dEpsilon, (first + i) * d, tally);
        }
        return out.count();
    }

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
