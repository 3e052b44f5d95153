package org.soapstone.potentials.manybody;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.io.LammpsFormatException;
import org.soapstone.engine.structure.Element;
import org.soapstone.potentials.pair.SpeciesTable;

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
    private final SpeciesTable species;
    private final P[] table;

    private TripletTable(Path file, SpeciesTable species, P[] table) {
        this.file = file;
        this.species = species;
        this.table = table;
    }

    static <P> TripletTable<P> of(Path file, List<String> symbols, List<Entry<P>> entries, Class<P> type) {
        int n = symbols.size();
        if (n > 64) {
            throw new IllegalArgumentException(file + " has more than 64 elements");
        }
        @SuppressWarnings("unchecked")
        P[] table = (P[]) Array.newInstance(type, n * n * n);
        int[] lines = new int[n * n * n];
        for (Entry<P> e : entries) {
            int[] t = e.types();
            int index = (t[0] * n + t[1]) * n + t[2];
            if (table[index] != null) {
                throw new LammpsFormatException(file, e.line(), "elements", "a second entry for "
                        + symbols.get(t[0]) + " " + symbols.get(t[1]) + " " + symbols.get(t[2])
                        + " (the first is on line " + lines[index] + ")");
            }
            table[index] = e.params();
            lines[index] = e.line();
        }
        List<Element> elements = symbols.stream().map(Element::of).toList();
        return new TripletTable<>(file, new SpeciesTable(file.getFileName().toString(), elements), table);
    }

    /**
     * A table made in code, e.g. converted from another file format.
     *
     * @param source the file the parameters come from (for messages)
     * @param symbols the element of each type, in type order
     * @param table the entry of types (i, j, k) at (i·n + j)·n + k, n = symbols.size(); null where there is none
     * @return the table
     */
    public static <P> TripletTable<P> of(Path source, List<String> symbols, P[] table) {
        int n = symbols.size();
        if (table.length != n * n * n) {
            throw new IllegalArgumentException("need " + n * n * n + " entries for " + n + " elements, got "
                    + table.length);
        }
        List<Element> elements = symbols.stream().map(Element::of).toList();
        return new TripletTable<>(source, new SpeciesTable(source.getFileName().toString(), elements),
                table.clone());
    }

    /** @return the file the entries were read from */
    public Path file() {
        return file;
    }

    /** @return the elements of the file, type t at index t (in order of first appearance in the file) */
    public SpeciesTable species() {
        return species;
    }

    /** @return the number of element types (distinct symbols in the file) */
    public int types() {
        return species.size();
    }

    /** @return the entry for central type {@code i} with neighbour types {@code j}, {@code k}, or null if none */
    public P get(int i, int j, int k) {
        int n = species.size();
        return table[(i * n + j) * n + k];
    }

    /**
     * Checks that every triplet of the types in {@code mask} has an entry, as LAMMPS requires of the elements
     * named in {@code pair_coeff}.
     *
     * @param mask the element types present in a structure, bit t for type t
     * @throws IllegalArgumentException naming the file and the first missing triplet
     */
    public void requireComplete(long mask) {
        int n = species.size();
        List<String> present = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            if ((mask & (1L << t)) != 0) {
                present.add(symbol(t));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    long need = (1L << i) | (1L << j) | (1L << k);
                    if ((mask & need) == need && get(i, j, k) == null) {
                        throw new IllegalArgumentException(file + " has no entry for the element triplet " + symbol(i)
                                + " " + symbol(j) + " " + symbol(k) + ", needed for a structure with "
                                + String.join(" and ", present));
                    }
                }
            }
        }
    }

    private String symbol(int t) {
        return species.species().get(t).symbol();
    }
}
