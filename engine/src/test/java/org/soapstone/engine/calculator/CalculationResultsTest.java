package org.soapstone.engine.calculator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** {@link CalculationResults#requireFinite()} names what is not finite and the atoms (1-based, the first five). */
class CalculationResultsTest {

    private static String problem(CalculationResults r) {
        return assertThrows(NonFiniteResultException.class, r::requireFinite).getMessage();
    }

    @Test
    void everyNonFiniteComputedValueIsNamed() {
        CalculationResults r = new CalculationResults();
        r.reset(8);
        r.markComputed(EnumSet.allOf(Property.class));
        r.requireFinite();
        r.energy = Double.NaN;
        assertEquals("the energy is NaN eV", problem(r));
        r.energy = 0;
        r.forces[5] = Double.POSITIVE_INFINITY;
        assertEquals("the force on atom 2 is not finite", problem(r));
        for (int a = 2; a < 8; a++) {
            r.forces[3 * a] = Double.NaN;
        }
        r.stress[3] = Double.NaN;
        r.energies[7] = Double.NaN;
        assertEquals("the forces on atoms 2, 3, 4, 5, 6 (and 2 more) are not finite; the per-atom energy on atom 8 "
                + "is not finite; the stress is not finite", problem(r));
    }

    @Test
    void valuesNotComputedAreNotChecked() {
        CalculationResults r = new CalculationResults();
        r.reset(2);
        r.markComputed(EnumSet.of(Property.ENERGY, Property.FORCES));
        r.stress[0] = Double.NaN;
        r.energies[1] = Double.NaN;
        r.requireFinite();
    }
}
