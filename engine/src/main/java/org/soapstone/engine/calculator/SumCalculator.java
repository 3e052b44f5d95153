package org.soapstone.engine.calculator;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.soapstone.engine.structure.Structure;

/**
 * The sum of several energy models: E = Σ_k E_k, and likewise forces, stress and per-atom energies, e.g. a GAP
 * fitted on top of a ZBL or classical baseline. Computes what every member computes.
 */
public final class SumCalculator implements Calculator {
    private final List<Calculator> members;
    private final Set<Property> implemented;
    private final CalculationResults part = new CalculationResults();

    /** @param members the models to add, at least one */
    public SumCalculator(List<Calculator> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a sum needs at least one calculator");
        }
        this.members = List.copyOf(members);
        EnumSet<Property> common = EnumSet.allOf(Property.class);
        for (Calculator c : members) {
            common.retainAll(c.implementedProperties());
        }
        this.implemented = common;
    }

    /** @return the models summed, in order */
    public List<Calculator> members() {
        return members;
    }

    @Override
    public Set<Property> implementedProperties() {
        return implemented;
    }

    @Override
    public void calculate(Structure structure, Set<Property> requested, CalculationResults results) {
        checkRequested(requested);
        results.reset(structure.size());
        EnumSet<Property> computed = EnumSet.noneOf(Property.class);
        computed.addAll(requested);
        for (Calculator c : members) {
            c.calculate(structure, requested, part);
            results.energy += part.energy;
            add(results.forces, part.forces);
            add(results.stress, part.stress);
            add(results.energies, part.energies);
            computed.retainAll(part.computed());
        }
        results.markComputed(computed);
    }

    private static void add(double[] into, double[] x) {
        for (int k = 0; k < into.length; k++) {
            into[k] += x[k];
        }
    }
}
