package org.soapstone.potentials.pair;

import java.util.Arrays;
import java.util.List;
import org.soapstone.engine.structure.Element;
import org.soapstone.engine.structure.Structure;

/**
 * The species a potential knows, in its own order, and the lookup from a structure's atomic numbers to those
 * species indices. Immutable.
 */
public final class SpeciesTable {
    private final String owner;
    private final List<Element> species;
    private final int[] indexByNumber;

    /**
     * @param owner what the species belong to, for error messages (e.g. a file name): "atom 3 is Al, which is not
     *     in CuNi.eam.alloy"
     * @param species the known species, index 0 first; no repeats
     */
    public SpeciesTable(String owner, List<Element> species) {
        this.owner = owner;
        this.species = List.copyOf(species);
        int max = 0;
        for (Element e : species) {
            max = Math.max(max, e.number());
        }
        indexByNumber = new int[max + 1];
        Arrays.fill(indexByNumber, -1);
        for (int k = 0; k < species.size(); k++) {
            int z = species.get(k).number();
            if (indexByNumber[z] >= 0) {
                throw new IllegalArgumentException(owner + " lists " + species.get(k).symbol() + " twice");
            }
            indexByNumber[z] = k;
        }
    }

    /**
     * @param owner what the species belong to, for error messages
     * @return a table of every element, H (index 0) to Og, for potentials defined for any pair of atomic numbers
     */
    public static SpeciesTable allElements(String owner) {
        List<Element> all = new java.util.ArrayList<>(118);
        for (int z = 1; z <= 118; z++) {
            all.add(Element.of(z));
        }
        return new SpeciesTable(owner, all);
    }

    /** @return the number of species */
    public int size() {
        return species.size();
    }

    /** @return the species, in index order */
    public List<Element> species() {
        return species;
    }

    /** @return the index of element {@code z}, or −1 if unknown */
    public int indexOf(int z) {
        return z >= 0 && z < indexByNumber.length ? indexByNumber[z] : -1;
    }

    /**
     * Fills {@code types[i]} with the species index of every atom.
     *
     * @param types reused storage, reallocated if its length differs from the atom count
     * @return the filled array
     * @throws IllegalArgumentException naming the atom and species if a species is unknown
     */
    public int[] types(Structure s, int[] types) {
        int[] t = types.length == s.size() ? types : new int[s.size()];
        int[] z = s.numbers();
        for (int i = 0; i < t.length; i++) {
            t[i] = indexOf(z[i]);
            if (t[i] < 0) {
                throw new IllegalArgumentException("atom " + i + " is " + s.symbol(i) + ", which is not in " + owner
                        + " (species " + species.stream().map(Element::symbol).toList() + ")");
            }
        }
        return t;
    }
}
