package org.soapstone.engine.neighbour;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.soapstone.engine.parallel.WorkerPool;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

class VerletPooledUpdateTest {
    @Test
    void pooledRecomputeGivesTheSameVectorsAsTheSerialOne() {
        Structure s = FiniteDifferences.rattled(Crystal.diamond(14, 5.431, 2), 0.1, 1);
        VerletNeighbourList serial = new VerletNeighbourList(3.8, 1.0, true);
        VerletNeighbourList pooled = new VerletNeighbourList(3.8, 1.0, true);
        try (WorkerPool pool = new WorkerPool(2)) {
            serial.update(s);
            pooled.update(s, pool);
            Structure moved = FiniteDifferences.rattled(s, 0.2, 2);
            NeighbourList a = serial.update(moved);
            NeighbourList b = pooled.update(moved, pool);
            assertEquals(1, pooled.builds(), "a move below half the skin keeps the list");
            assertArrayEquals(a.vector, b.vector);
            assertArrayEquals(a.distance, b.distance);
            NeighbourList fresh = NeighbourList.build(moved, 4.8, true);
            assertNotEquals(0, b.pairs());
            // Every pair of the fresh list within the cutoff is found, with the same distance.
            double sumFresh = 0;
            double sumPooled = 0;
            for (int p = 0; p < fresh.pairs(); p++) {
                sumFresh += fresh.distance[p] < 3.8 ? fresh.distance[p] : 0;
            }
            for (int p = 0; p < b.pairs(); p++) {
                sumPooled += b.distance[p] < 3.8 ? b.distance[p] : 0;
            }
            assertEquals(sumFresh, sumPooled, 1e-9);
        }
    }
}
