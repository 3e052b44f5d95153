package org.soapstone.engine.ipi;

import java.util.Arrays;
import org.soapstone.engine.structure.Element;

/**
 * The chemical species of the atoms an i-PI server sends: the protocol carries positions only, so the force
 * provider must be told. Either one element for every atom, or one per atom in the server's order.
 *
 * @param numbers atomic numbers: one (all atoms) or one per atom
 */
public record IpiSpecies(int[] numbers) {
    /** Validates and copies. */
    public IpiSpecies {
        if (numbers.length == 0) {
            throw new IllegalArgumentException("i-PI species: at least one element is needed");
        }
        numbers = numbers.clone();
        for (int z : numbers) {
            Element.of(z);
        }
    }

    /**
     * @param text element symbols separated by commas: {@code Si} (every atom) or {@code Si,C,C,…} (one per atom)
     * @return the species
     * @throws IllegalArgumentException naming an unknown symbol
     */
    public static IpiSpecies parse(String text) {
        String[] parts = text.split(",");
        int[] z = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i].strip();
            if (!Element.isSymbol(s)) {
                throw new IllegalArgumentException("i-PI species: '" + s + "' (entry " + (i + 1)
                        + ") is not an element symbol");
            }
            z[i] = Element.of(s).number();
        }
        return new IpiSpecies(z);
    }

    /**
     * @param atoms the atom count the server sent
     * @return the atomic number of each atom
     * @throws IpiException if a per-atom list does not have {@code atoms} entries
     */
    public int[] numbersFor(int atoms) throws IpiException {
        if (numbers.length == 1) {
            int[] z = new int[atoms];
            Arrays.fill(z, numbers[0]);
            return z;
        }
        if (numbers.length != atoms) {
            throw new IpiException("the i-PI server sent " + atoms + " atoms, but " + numbers.length
                    + " species were given (give one element for all atoms, or one per atom)");
        }
        return numbers.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpiSpecies s && Arrays.equals(numbers, s.numbers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(numbers);
    }

    @Override
    public String toString() {
        return "IpiSpecies" + Arrays.toString(numbers);
    }
}
