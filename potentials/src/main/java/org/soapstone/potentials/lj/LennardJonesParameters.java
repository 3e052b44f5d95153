package org.soapstone.potentials.lj;

import java.util.ArrayList;
import java.util.List;
import org.soapstone.engine.structure.Element;

/**
 * A complete, validated table of Lennard-Jones parameters: one {@link LjPair} for every pair of the species.
 * Immutable.
 */
public final class LennardJonesParameters {
    private final List<Element> species;
    private final LjPair[] table;

    private LennardJonesParameters(List<Element> species, LjPair[] table) {
        this.species = List.copyOf(species);
        this.table = table;
    }

    /**
     * Explicit parameters for every species pair, as LAMMPS {@code pair_coeff a b ε σ rc} lines.
     *
     * @param pairs one entry per unordered species pair (like pairs included); the species are those named
     * @throws IllegalArgumentException if a pair is missing or given twice
     */
    public static LennardJonesParameters of(List<LjPair> pairs) {
        List<Element> species = new ArrayList<>();
        for (LjPair p : pairs) {
            if (!species.contains(p.a())) {
                species.add(p.a());
            }
            if (!species.contains(p.b())) {
                species.add(p.b());
            }
        }
        return build(species, pairs, null);
    }

    /**
     * Like-pair parameters mixed by {@code rule} for the unlike pairs, as LAMMPS {@code pair_modify mix}, with
     * explicit unlike pairs taking precedence (as a LAMMPS {@code pair_coeff a b} line does).
     *
     * @param likePairs one entry per species, with {@code a == b}
     * @param rule the mixing rule
     * @param unlikePairs explicit unlike pairs, overriding the rule; may be empty
     * @throws IllegalArgumentException if a like pair is missing or repeated, or an explicit pair names a species
     *     without a like pair
     */
    public static LennardJonesParameters mixed(List<LjPair> likePairs, LjMixing rule, List<LjPair> unlikePairs) {
        List<Element> species = new ArrayList<>();
        for (LjPair p : likePairs) {
            if (!p.a().equals(p.b())) {
                throw new IllegalArgumentException("like pairs must join a species to itself, got " + p);
            }
            species.add(p.a());
        }
        for (LjPair p : unlikePairs) {
            if (!species.contains(p.a()) || !species.contains(p.b())) {
                throw new IllegalArgumentException("explicit LJ pair " + p + " names a species without a like pair");
            }
        }
        List<LjPair> all = new ArrayList<>(likePairs);
        all.addAll(unlikePairs);
        return build(species, all, rule);
    }

    private static LennardJonesParameters build(List<Element> species, List<LjPair> pairs, LjMixing rule) {
        int n = species.size();
        LjPair[] table = new LjPair[n * n];
        for (LjPair p : pairs) {
            int a = species.indexOf(p.a());
            int b = species.indexOf(p.b());
            if (table[a * n + b] != null) {
                throw new IllegalArgumentException("LJ parameters for " + p.a().symbol() + "-" + p.b().symbol()
                        + " are given twice");
            }
            table[a * n + b] = p;
            table[b * n + a] = p;
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (table[a * n + b] != null) {
                    continue;
                }
                if (rule == null) {
                    throw new IllegalArgumentException("no LJ parameters for " + species.get(a).symbol() + "-"
                            + species.get(b).symbol());
                }
                LjPair pa = table[a * n + a];
                LjPair pb = table[b * n + b];
                table[a * n + b] = new LjPair(species.get(a), species.get(b),
                        Math.sqrt(pa.epsilon() * pb.epsilon()), rule.distance(pa.sigma(), pb.sigma()),
                        rule.distance(pa.cutoff(), pb.cutoff()));
            }
        }
        return new LennardJonesParameters(species, table);
    }

    /** @return the species, in index order */
    public List<Element> species() {
        return species;
    }

    /** @return the parameters of species {@code a} and {@code b} (indices into {@link #species()}) */
    public LjPair pair(int a, int b) {
        return table[a * species.size() + b];
    }
}
