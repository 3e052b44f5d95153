package org.soapstone.engine.gap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The proxy's rank: the candidates double from 50 and end at M; the fit keeps the smallest whose held-out NLL is
 * within 0.02 nats of the exact one's — with the held-out figures of mlearn Si, Li and Ni (bench/RESULTS.md), where
 * a fixed rank 100 would have ruined Ni's proxy.
 */
class ForceSigmaProxyRankTest {
    @Test
    void candidatesDoubleFromFiftyAndEndExact() {
        assertArrayEquals(new int[] {50, 100, 200, 400, 800, 1000}, ForceSigmaProxy.candidateRanks(1000));
        assertArrayEquals(new int[] {50, 64}, ForceSigmaProxy.candidateRanks(64));
        assertArrayEquals(new int[] {40}, ForceSigmaProxy.candidateRanks(40));
        assertArrayEquals(new int[] {50}, ForceSigmaProxy.candidateRanks(50));
    }

    @Test
    void theSmallestRankWithinTheToleranceOfTheExactIsKept() {
        // Ni at M = 4000: 50 … 3200, 4000 — only 800 and up come within 0.02 of the exact −2.641
        assertEquals(4, ForceSigmaProxy.chooseRank(new double[] {-2.10, -2.23, -2.40, -2.48, -2.633, -2.638,
                -2.640, -2.641}));
        // Si: the first rank is already within (even better than) the exact
        assertEquals(0, ForceSigmaProxy.chooseRank(new double[] {-0.998, -1.005, -1.010, -1.011, -1.012, -1.012}));
        // a dip at a middle rank counts too; nothing within: the exact
        assertEquals(1, ForceSigmaProxy.chooseRank(new double[] {-1.0, -1.5, -1.2, -1.49}));
        assertEquals(2, ForceSigmaProxy.chooseRank(new double[] {-1.0, -1.1, -1.5}));
    }
}
