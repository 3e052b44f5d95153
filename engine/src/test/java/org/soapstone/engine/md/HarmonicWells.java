package org.soapstone.engine.md;

import java.util.EnumSet;
import java.util.Set;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.structure.Structure;

/**
 * Test oracle: every atom in its own isotropic well, E = Σ ½ k |r_i − a_i|² (k eV/Å², anchors a_i Å). Requested
 * properties are not re-checked per call (MdSystem checks them once) so that allocation tests see only MD.
 */
final class HarmonicWells implements Calculator {
    private final double stiffness;
    private final double[] anchors;

    HarmonicWells(double stiffness, double[] anchors) {
        this.stiffness = stiffness;
        this.anchors = anchors.clone();
    }

    @Override
    public Set<Property> implementedProperties() {
        return EnumSet.of(Property.ENERGY, Property.FORCES, Property.ENERGIES);
    }

    @Override
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        results.reset(structure.size());
        double[] r = structure.positions();
        for (int k = 0; k < r.length; k++) {
            double u = r[k] - anchors[k];
            double e = 0.5 * stiffness * u * u;
            results.energy += e;
            results.energies[k / 3] += e;
            results.forces[k] = -stiffness * u;
        }
        results.markComputed(requested);
    }
}
