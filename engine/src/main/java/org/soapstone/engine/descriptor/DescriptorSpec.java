package org.soapstone.engine.descriptor;

import java.util.ArrayList;
import java.util.List;

/**
 * One parsed gap_fit descriptor string: the descriptor's parameters and the fitting keys written with it.
 *
 * @param text the string as given
 * @param descriptor the descriptor parameters
 * @param fit the fitting keys
 */
public record DescriptorSpec(String text, DescriptorParameters descriptor, FitParameters fit) {

    /** @return the descriptor */
    public Descriptor create() {
        return descriptor.create();
    }

    /**
     * The same descriptor with δ set to {@code delta}: any {@code delta=} or {@code energy_scale=} key is replaced by
     * {@code delta=<value>}, so a model whose δ was re-chosen (by {@code --optimise}) carries a string that says so.
     *
     * @param delta δ (eV), ≥ 0
     * @return this spec if δ is already {@code delta}, else the re-parsed string
     */
    public DescriptorSpec withDelta(double delta) {
        if (fit.delta().isPresent() && fit.delta().getAsDouble() == delta) {
            return this;
        }
        return with("delta", Double.toString(delta), "energy_scale");
    }

    /**
     * The same descriptor string with one key set: every field of {@code key} or of its other spellings is removed
     * and {@code key=value} appended, then the string is parsed again (so a bad value is a
     * {@link DescriptorStringException}).
     *
     * @param key the key, as gap_fit spells it
     * @param value its new value
     * @param otherSpellings the key's other spellings (e.g. {@code atom_gaussian_width} for {@code atom_sigma})
     * @return the new spec
     */
    public DescriptorSpec with(String key, String value, String... otherSpellings) {
        List<String> fields = KeyValues.split(text);
        java.util.Set<String> names = new java.util.HashSet<>();
        names.add(key.toLowerCase(java.util.Locale.ROOT));
        for (String s : otherSpellings) {
            names.add(s.toLowerCase(java.util.Locale.ROOT));
        }
        StringBuilder out = new StringBuilder(fields.get(0));
        for (String f : fields.subList(1, fields.size())) {
            int eq = f.indexOf('=');
            String name = (eq < 0 ? f : f.substring(0, eq)).toLowerCase(java.util.Locale.ROOT);
            if (!names.contains(name)) {
                out.append(' ').append(f);
            }
        }
        return DescriptorString.parse(out.append(' ').append(key).append('=').append(value).toString());
    }

    /**
     * gap_fit's {@code add_species} expansion ({@code descriptor_str_add_species} in GAP's {@code descriptors.f95}):
     * for SOAP one string per species with {@code n_species}, {@code Z} and {@code species_Z} appended; for
     * distance_2b one string per unordered species pair (i ≤ j in the given order) with {@code Z1}, {@code Z2}
     * appended; for angle_3b one per centre species and unordered neighbour pair ({@code Z}, {@code Z1}, {@code Z2});
     * for distance_Nb one per multiset of order species ({@code Z={…}}), each list non-decreasing in atomic number
     * ({@code descriptor_str_add_species_distance_Nb}). gap_fit lists the species in order of first appearance in the training file. Without
     * {@code add_species} the result is this spec alone.
     *
     * @param species atomic numbers of the species present
     * @return the expanded specs, parsed
     */
    public List<DescriptorSpec> addSpecies(int[] species) {
        if (!fit.addSpecies()) {
            return List.of(this);
        }
        String base = text.strip().replaceAll("(?i)(^|\\s)add_species(=\\S*)?", " ").strip();
        List<DescriptorSpec> out = new ArrayList<>();
        switch (descriptor) {
            case SoapParameters p -> {
                String list = SoapParameters.braces(species);
                for (int z : species) {
                    out.add(DescriptorString.parse(base + " n_species=" + species.length + " Z=" + z
                            + " species_Z=" + list + " add_species=F"));
                }
            }
            case Distance2bParameters p -> {
                for (int i = 0; i < species.length; i++) {
                    for (int j = i; j < species.length; j++) {
                        out.add(DescriptorString.parse(base + " Z1=" + species[i] + " Z2=" + species[j]
                                + " add_species=F"));
                    }
                }
            }
            case Angle3bParameters p -> {
                for (int c : species) {
                    for (int j = 0; j < species.length; j++) {
                        for (int k = j; k < species.length; k++) {
                            out.add(DescriptorString.parse(base + " Z=" + c + " Z1=" + species[j] + " Z2="
                                    + species[k] + " add_species=F"));
                        }
                    }
                }
            }
            case DistanceNbParameters p -> {
                for (int[] combination : nondecreasing(species, p.order())) {
                    out.add(DescriptorString.parse(base + " Z=" + SoapParameters.braces(combination)
                            + " add_species=F"));
                }
            }
        }
        return out;
    }

    /**
     * gap_fit's species combinations for distance_Nb: species lists of the given length in which no atomic number is
     * smaller than the one before, enumerated depth-first in the order of {@code species}.
     */
    static List<int[]> nondecreasing(int[] species, int order) {
        List<int[]> out = new ArrayList<>();
        fill(species, new int[order], 0, out);
        return out;
    }

    private static void fill(int[] species, int[] current, int at, List<int[]> out) {
        if (at == current.length) {
            out.add(current.clone());
            return;
        }
        for (int z : species) {
            if (at > 0 && z < current[at - 1]) {
                continue;
            }
            current[at] = z;
            fill(species, current, at + 1, out);
        }
    }
}
