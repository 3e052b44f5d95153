package org.soapstone.potentials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.SumCalculator;
import org.soapstone.engine.structure.Crystal;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;
import org.soapstone.engine.testing.FiniteDifferences;
import org.soapstone.potentials.lj.LennardJones;
import org.soapstone.potentials.lj.LennardJonesParameters;
import org.soapstone.potentials.lj.LjPair;
import org.soapstone.potentials.zbl.Zbl;
import org.soapstone.potentials.zbl.ZblParameters;

class SumCalculatorTest {
    @Test
    void sumIsTheSumOfItsMembersInEveryProperty() {
        Element ar = Element.of("Ar");
        Calculator lj = new LennardJones(LennardJonesParameters.of(List.of(new LjPair(ar, ar, 0.0104, 3.4, 8.0))));
        Calculator zbl = new Zbl(new ZblParameters(2.0, 3.0));
        Structure s = FiniteDifferences.rattled(Crystal.fcc(18, 4.2, 3), 0.3, 11);
        CalculationResults a = lj.calculate(s);
        CalculationResults b = zbl.calculate(s);
        SumCalculator sum = new SumCalculator(List.of(lj, zbl));
        CalculationResults c = sum.calculate(s);
        assertEquals(a.energy + b.energy, c.energy, 1e-12);
        for (int k = 0; k < c.forces.length; k++) {
            assertEquals(a.forces[k] + b.forces[k], c.forces[k], 1e-12);
        }
        for (int k = 0; k < 6; k++) {
            assertEquals(a.stress[k] + b.stress[k], c.stress[k], 1e-14);
        }
        double[] e = new double[s.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = a.energies[i] + b.energies[i];
        }
        assertArrayEquals(e, c.energies, 1e-12);
        FiniteDifferences.assertForcesMatch(sum, s, 1e-5, 1e-6);
    }
}
