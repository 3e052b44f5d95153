package org.soapstone.engine.calculator;

import java.util.Set;
import org.soapstone.engine.structure.Structure;

/**
 * An energy model: a classical potential, a GAP, a sum of them, or an external code.
 *
 * <p>One call computes what is requested for one structure into a caller-owned {@link CalculationResults}, so
 * MD, the command line and the learning loop never care which model is behind it (the shape of ASE's
 * {@code Calculator}). Units: energy eV, forces eV/Å, stress eV/Å³ with ASE's sign and Voigt order.
 *
 * <p>Implementations may keep state between calls (a neighbour list with a Verlet skin, buffers), so an
 * instance is not safe for concurrent use from several threads; a calculator must still give correct results
 * for any sequence of structures, whatever their size or cell.
 */
public interface Calculator {

    /** @return the properties this calculator can compute */
    Set<Property> implementedProperties();

    /**
     * Computes the requested properties of {@code structure} into {@code results}, which is first
     * {@linkplain CalculationResults#reset(int) reset} to the structure's size.
     *
     * @param structure the atoms and cell (Å)
     * @param requested the properties wanted; a subset of {@link #implementedProperties()}
     * @param results where energy (eV), forces (eV/Å), stress (eV/Å³) and per-atom energies (eV) are written
     * @throws IllegalArgumentException if a requested property is not implemented, or the structure has species
     *     the model does not know
     */
    void calculate(Structure structure, Set<Property> requested, CalculationResults results);

    /** Convenience: a fresh results record with everything this calculator implements. */
    default CalculationResults calculate(Structure structure) {
        CalculationResults r = new CalculationResults();
        calculate(structure, implementedProperties(), r);
        return r;
    }

    /** @throws IllegalArgumentException if {@code requested} asks for something this calculator cannot give */
    default void checkRequested(Set<Property> requested) {
        for (Property p : requested) {
            if (!implementedProperties().contains(p)) {
                throw new IllegalArgumentException(getClass().getSimpleName() + " does not compute " + p);
            }
        }
    }
}
