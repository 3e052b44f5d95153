package org.soapstone.potentials.manybody;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.structure.Element;

/**
 * The entries of an element-triplet potential file (LAMMPS {@code sw}, {@code tersoff}), indexed by the
 * triplet (i, j, k) of element types, where i is the central atom. Element types are numbered in order of first
 * appearance in the file. Immutable.
 *
 * @param <P> the parameter record of one entry
 */
public final class TripletTable<P> {
    /** One parsed entry: its element types, its parameters and the line it starts on. */
    record Entry<P>(int[] types, P params, int line) {}

    private final Path file;
    private final String[] symbols;
    private final P[] table;
    private final int[] typeOfNumber = new int[119];

    private TripletTable(Path file, String[] symbols, P[] table) {
        this.file = file;
        this.symbols = symbols;
        this.table = table;
        java.util.Arrays.fill(typeOfNumber, -1);
        for (int t = 0; t < symbols.length; t++) {
            typeOfNumber[Element.of(symbols[t]).number()] = t;
        }
    }

    static <P> TripletTable<P> of(Path file, List<String> symbols, List<Entry<P>> entries, Class<P> type) {
        int n = symbols.size();
        if (n > 64) {
            throw new PotentialFileException(file, 0, null, "more than 64 elements");
        }
        @SuppressWarnings("unchecked")
        P[] table = (P[]) Array.newInstance(type, n * n * n);
        int[] lines = new int[n * n * n];
        for (Entry<P> e : entries) {
            int[] t = e.types();
            int index = (t[0] * n + t[1]) * n + t[2];
            if (table[index] != null) {
                throw new PotentialFileException(file, e.line(), null, "a second entry for " + symbols.get(t[0]) + " "
                        + symbols.get(t[1]) + " " + symbols.get(t[2]) + " (the first is on line " + lines[index] + ")");
            }
            table[index] = e.params();
            lines[index] = e.line();
        }
        return new TripletTable<>(file, symbols.toArray(new String[0]), table);
    }

    /** @return the file the entries were read from */
    public Path file() {
        return file;
    }

    /** @return the number of element types (distinct symbols in the file) */
    public int types() {
        return symbols.length;
    }

    /** @return the chemical symbol of element type {@code t} */
    public String symbol(int t) {
        return symbols[t];
    }

    /** @return the element type of atomic number {@code z}, or −1 if the file has no entry for it */
    public int typeOf(int z) {
        return z >= 0 && z < typeOfNumber.length ? typeOfNumber[z] : -1;
    }

    /** @return the entry for central type {@code i} with neighbour types {@code j}, {@code k}, or null if none */
    public P get(int i, int j, int k) {
        int n = symbols.length;
        return table[(i * n + j) * n + k];
    }

    /**
     * Maps each atom to its element type.
     *
     * @param numbers atomic numbers of the atoms
     * @param types output: the element type of each atom (length ≥ numbers.length)
     * @return the set of types present, as a bit mask (bit t set if type t occurs)
     * @throws PotentialFileException if an atom's species has no entries in the file
     */
    public long assignTypes(int[] numbers, int[] types) {
        long mask = 0;
        for (int a = 0; a < numbers.length; a++) {
            int t = typeOf(numbers[a]);
            if (t < 0) {
                throw new PotentialFileException(file, 0, null, "no entries for " + Element.of(numbers[a]).symbol()
                        + " (atom " + a + " of the structure); the file has " + String.join(", ", symbols));
            }
            types[a] = t;
            mask |= 1L << t;
        }
        return mask;
    }

    /**
     * Checks that every triplet of the types in {@code mask} has an entry, as LAMMPS requires of the elements
     * named in {@code pair_coeff}.
     *
     * @throws PotentialFileException naming the first missing triplet
     */
    public void requireComplete(long mask) {
        List<String> present = new ArrayList<>();
        for (int t = 0; t < symbols.length; t++) {
            if ((mask & (1L << t)) != 0) {
                present.add(symbols[t]);
            }
        }
        for (int i = 0; i < symbols.length; i++) {
            for (int j = 0; j < symbols.length; j++) {
                for (int k = 0; k < symbols.length; k++) {
                    long need = (1L << i) | (1L << j) | (1L << k);
                    if ((mask & need) == need && get(i, j, k) == null) {
                        throw new PotentialFileException(file, 0, null, "no entry for the element triplet "
                                + symbols[i] + " " + symbols[j] + " " + symbols[k] + ", needed for a structure with "
                                + String.join(" and ", present));
                    }
                }
            }
        }
    }
}
