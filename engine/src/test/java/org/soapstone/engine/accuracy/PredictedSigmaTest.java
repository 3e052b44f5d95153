package org.soapstone.engine.accuracy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.soapstone.engine.gap.PredictiveVariance;
import org.soapstone.engine.structure.Cell;
import org.soapstone.engine.structure.Structure;

class PredictedSigmaTest {
    /** A model with fixed variances; energyVariance/forceVariance fail without a posterior, as the contract says. */
    record FakeVariance(boolean hasPosterior) implements PredictiveVariance {
        @Override
        public double[] localVariance(Structure s) {
            return new double[] {4, 9};
        }

        @Override
        public double energyVariance(Structure s) {
            if (!hasPosterior) {
                throw new UnsupportedOperationException("no posterior");
            }
            return 0.25;
        }

        @Override
        public double[] forceVariance(Structure s) {
            if (!hasPosterior) {
                throw new UnsupportedOperationException("no posterior");
            }
            return new double[] {1, 4, 9, 16, 25, 36};
        }

        @Override
        public org.soapstone.engine.gap.ObservedVariance observedVariance(Structure s, String group) {
            return new org.soapstone.engine.gap.ObservedVariance(0.09, new double[] {4, 4, 4, 9, 9, 9},
                    new double[] {1, 1, 1, 1, 1, 1});
        }

        @Override
        public double[] proxyForceVariance(Structure s) {
            return new double[] {16, 16, 16, 25, 25, 25};
        }
    }

    private static final Structure TWO = new Structure(new int[] {14, 14}, new double[6], Cell.cubic(5));

    @Test
    void posteriorGivesTheSquareRootsOfAllThreeVariances() {
        PredictedSigma s = PredictedSigma.of(new FakeVariance(true), TWO, null, PredictedSigma.Kind.LATENT);
        assertTrue(s.hasPosterior());
        assertArrayEquals(new double[] {2, 3}, s.local(), 0.0);
        assertEquals(0.5, s.energy(), 0.0);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, s.forces(), 0.0);
    }

    @Test
    void proxyTakesItsForceSigmaFromTheProxyAndTheRestFromTheObservedPredictive() {
        PredictedSigma s = PredictedSigma.of(new FakeVariance(true), TWO, null, PredictedSigma.Kind.PROXY);
        assertEquals(0.3, s.energy(), 1e-15);
        assertArrayEquals(new double[] {4, 4, 4, 5, 5, 5}, s.forces(), 0.0);
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, s.virial(), 0.0);
    }

    @Test
    void withoutPosteriorOnlyTheLocalSigmaIsKnown() {
        PredictedSigma s = PredictedSigma.of(new FakeVariance(false), TWO, null, PredictedSigma.Kind.OBSERVED);
        assertFalse(s.hasPosterior());
        assertArrayEquals(new double[] {2, 3}, s.local(), 0.0);
        assertTrue(Double.isNaN(s.energy()));
        assertNull(s.forces());
    }
}
