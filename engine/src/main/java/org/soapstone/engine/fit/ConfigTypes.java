package org.soapstone.engine.fit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.soapstone.engine.descriptor.DescriptorSpec;

/**
 * gap_fit's list of config types and each training frame's place in it, for {@code config_type_n_sparse}
 * ({@code parse_config_type_sigma} and {@code parse_config_type_n_sparseX} in GAP's {@code gap_fit_module.f95}): the
 * types of {@code config_type_sigma} in the order given, then {@code default} if it was not among them, then each
 * type a {@code config_type_n_sparse} names that is not yet listed, descriptor by descriptor in order. A frame whose
 * type is not listed counts as {@code default}. The sparse points of a {@code config_type_n_sparse} term are chosen
 * type by type in this order, which fixes how the random streams are shared.
 *
 * @param order the config types, in gap_fit's order
 * @param ofFrame each frame's config type, by position in the training set
 */
public record ConfigTypes(List<String> order, List<String> ofFrame) {
    /** gap_fit's name for frames without a listed type. */
    static final String DEFAULT = "default";

    /** Copies the lists. */
    public ConfigTypes {
        order = List.copyOf(order);
        ofFrame = List.copyOf(ofFrame);
    }

    /**
     * @param configTypeSigma the types of {@code config_type_sigma}, in the order given (empty if none)
     * @param specs the descriptor strings, in order
     * @param ofFrame each frame's config type
     * @return gap_fit's list
     */
    static ConfigTypes of(Collection<String> configTypeSigma, List<DescriptorSpec> specs, List<String> ofFrame) {
        List<String> order = new ArrayList<>(configTypeSigma);
        if (!order.contains(DEFAULT)) {
            order.add(DEFAULT);
        }
        for (DescriptorSpec spec : specs) {
            String counts = spec.fit().configTypeNSparse();
            if (!counts.isEmpty()) {
                for (String type : counts(counts, spec.text().strip().split("\\s+")[0]).keySet()) {
                    if (!order.contains(type)) {
                        order.add(type);
                    }
                }
            }
        }
        return new ConfigTypes(order, ofFrame);
    }

    /** @return the position in {@link #order} of frame {@code frame}'s type, or of {@code default} */
    int indexOfFrame(int frame) {
        int i = order.indexOf(ofFrame.get(frame));
        return i >= 0 ? i : order.indexOf(DEFAULT);
    }

    /**
     * Reads {@code config_type_n_sparse={type:n:type:n…}} as gap_fit splits it (on spaces, colons and semicolons).
     *
     * @param value the key's value, with or without its braces
     * @param name the descriptor, for messages
     * @return the number of sparse points by config type, in the order given
     * @throws FitSettingsException if a type has no count or a count is not a whole number ≥ 0
     */
    static Map<String, Integer> counts(String value, String name) {
        String inner = value.strip();
        if (inner.startsWith("{") && inner.endsWith("}")) {
            inner = inner.substring(1, inner.length() - 1);
        }
        String[] fields = inner.strip().split("[\\s:;]+");
        if (fields.length % 2 != 0 || inner.isBlank()) {
            throw new FitSettingsException(name + ": config_type_n_sparse=" + value
                    + " must be pairs of a config type and a number of sparse points, e.g. {bulk:50:surface:100}");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            try {
                int n = Integer.parseInt(fields[i + 1]);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                counts.put(fields[i], n);
            } catch (NumberFormatException e) {
                throw new FitSettingsException(name + ": config_type_n_sparse: '" + fields[i + 1] + "' for config "
                        + "type " + fields[i] + " is not a whole number ≥ 0");
            }
        }
        return counts;
    }
}
