package org.soapstone.engine.descriptor;

import org.soapstone.engine.neighbour.NeighbourList;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Structure;

/**
 * Computes a {@link Descriptor}'s instances (and gradients) of a whole structure with the atoms split into one
 * contiguous chunk per worker of a {@link WorkerPool}. Worker w writes into its own {@link DescriptorOutput},
 * {@link #part(int) part(w)}, so the parts taken in order 0, 1, … hold every instance in order of centre atom,
 * and each instance's values and gradients are bit-identical to a single-threaded computation (the chunking
 * depends only on the atom count and the thread count). A {@link Descriptor#perStructure() per-structure}
 * descriptor is computed whole in part 0. Units are the descriptor's.
 *
 * <p>Not thread-safe itself (it owns the outputs); reuse it across structures to avoid reallocating them.
 */
public final class ParallelDescriptor {
    private final Descriptor descriptor;
    private final WorkerPool pool;
    private final DescriptorOutput[] parts;

    /**
     * @param descriptor the descriptor to compute
     * @param pool the workers; one output is made per worker
     */
    public ParallelDescriptor(Descriptor descriptor, WorkerPool pool) {
        this.descriptor = descriptor;
        this.pool = pool;
        parts = new DescriptorOutput[pool.threads()];
        for (int w = 0; w < parts.length; w++) {
            parts[w] = descriptor.newOutput();
        }
    }

    /** @return the descriptor */
    public Descriptor descriptor() {
        return descriptor;
    }

    /**
     * Computes every instance of {@code structure}, replacing the parts' contents.
     *
     * @param structure the atoms (positions Å)
     * @param neighbours a full neighbour list of {@code structure} with cutoff ≥ the descriptor's, up to date
     * @param gradients whether to compute gradients
     * @throws IllegalArgumentException as {@link Descriptor#compute} does
     */
    public void compute(Structure structure, NeighbourList neighbours, boolean gradients) {
        int n = structure.size();
        // a pool larger than the structure leaves the surplus workers' parts empty
        for (DescriptorOutput part : parts) {
            part.reset(gradients);
        }
        if (descriptor.perStructure()) {
            descriptor.compute(structure, neighbours, 0, n, gradients, parts[0]);
            return;
        }
        pool.forEachChunk(n, (worker, from, to) ->
                descriptor.compute(structure, neighbours, from, to, gradients, parts[worker]));
    }

    /** @return the number of parts, the pool's thread count */
    public int parts() {
        return parts.length;
    }

    /** @return the output of worker {@code w}: the instances of its chunk of atoms, in atom order (live) */
    public DescriptorOutput part(int w) {
        return parts[w];
    }

    /** @return the total number of instances over all parts */
    public int count() {
        int c = 0;
        for (DescriptorOutput part : parts) {
            c += part.count();
        }
        return c;
    }
}
