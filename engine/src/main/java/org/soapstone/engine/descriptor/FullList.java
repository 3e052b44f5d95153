package org.soapstone.engine.descriptor;

import org.soapstone.engine.neighbour.NeighbourList;

/** The neighbour-list precondition of the pair and cluster descriptors. */
final class FullList {
    private FullList() {}

    /**
     * @param type the descriptor type, for the message
     * @param neighbours the list given
     * @param cutoff the descriptor's cutoff (Å)
     * @throws IllegalArgumentException unless the list is full with a cutoff ≥ {@code cutoff}
     */
    static void require(String type, NeighbourList neighbours, double cutoff) {
        if (!neighbours.full() || neighbours.cutoff() < cutoff) {
            throw new IllegalArgumentException(type + " needs a full neighbour list with cutoff ≥ " + cutoff
                    + " Å, got " + (neighbours.full() ? "full" : "half") + " with " + neighbours.cutoff() + " Å");
        }
    }
}
