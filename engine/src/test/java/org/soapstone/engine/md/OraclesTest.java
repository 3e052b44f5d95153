package org.soapstone.engine.md;

import org.junit.jupiter.api.Test;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;

/** The analytic test calculators' forces and stress agree with finite differences of their energy. */
class OraclesTest {

    @Test
    void anharmonicNetworkForcesAndStressMatchFiniteDifferences() {
        Structure s = FiniteDifferences.rattled(MdFixtures.simpleCubic(3, 2.5), 0.2, 7);
        BondSprings calc = MdFixtures.anharmonicNetwork(3);
        FiniteDifferences.assertForcesMatch(calc, s, 1e-5, 1e-7);
        FiniteDifferences.assertStressMatches(calc, s, 1e-6, 1e-8);
    }

    @Test
    void harmonicDimerForcesAndStressMatchFiniteDifferences() {
        Structure s = FiniteDifferences.rattled(MdFixtures.dimers(4), 0.2, 8);
        BondSprings calc = new BondSprings(MdFixtures.dimerBonds(4), 3.0, 0.0, 0.0);
        FiniteDifferences.assertForcesMatch(calc, s, 1e-5, 1e-8);
        FiniteDifferences.assertStressMatches(calc, s, 1e-6, 1e-10);
    }

    @Test
    void wellForcesMatchFiniteDifferences() {
        Structure s = MdFixtures.dimers(2);
        HarmonicWells calc = new HarmonicWells(2.0, FiniteDifferences.rattled(s, 0.3, 9).positions());
        FiniteDifferences.assertForcesMatch(calc, s, 1e-5, 1e-8);
    }
}
