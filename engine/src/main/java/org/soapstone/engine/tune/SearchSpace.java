package org.soapstone.engine.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.soapstone.engine.descriptor.Angle3bParameters;
import org.soapstone.engine.descriptor.CovarianceType;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.engine.descriptor.Distance2bParameters;
import org.soapstone.engine.descriptor.DistanceNbParameters;
import org.soapstone.engine.descriptor.SoapParameters;
import org.soapstone.engine.fit.FitSettingsException;

/**
 * The descriptor settings a search varies: for each descriptor string of the starting {@code gap} setting, the keys
 * that apply to it ({@link Key}), each within [lower, upper] on a grid of the key's step. The descriptor kinds, the
 * sparse budget ({@code n_sparse}) and every other key stay as given. A point of the search is a vector u ∈ [0, 1]ᵈ
 * (what the evolution strategy moves in); {@link #values} rounds it to the grid through the start values, so nearby
 * points give the same settings and are fitted once.
 */
public final class SearchSpace {

    /** A descriptor key the search may vary, with gap_fit's spelling, its grid step and its default range. */
    public enum Key {
        /** {@code cutoff} (Å): 0.75–1.25 × the start, step 0.05 Å. */
        CUTOFF("cutoff", 0.05, false),
        /** {@code cutoff_transition_width} (Å): 0.5–2.5 × the start, below the smallest cutoff, step 0.05 Å. */
        CUTOFF_TRANSITION_WIDTH("cutoff_transition_width", 0.05, false),
        /** {@code atom_sigma} (Å): 0.5–1.5 × the start, step 0.025 Å. */
        ATOM_SIGMA("atom_sigma", 0.025, false, "atom_gaussian_width"),
        /** {@code n_max}: the start ± 3 (≥ 2). */
        N_MAX("n_max", 1, true),
        /** {@code l_max}: the start ± 3 (≥ 1). */
        L_MAX("l_max", 1, true),
        /** {@code zeta} of the dot-product kernel: the start ± 2 (≥ 1), integers. */
        ZETA("zeta", 1, true, "soap_exponent");

        private final String name;
        private final double step;
        private final boolean integer;
        private final String[] otherSpellings;

        Key(String name, double step, boolean integer, String... otherSpellings) {
            this.name = name;
            this.step = step;
            this.integer = integer;
            this.otherSpellings = otherSpellings;
        }

        /** @return gap_fit's spelling */
        public String label() {
            return name;
        }

        /** @return the grid step (Å for lengths, 1 for integers) */
        public double step() {
            return step;
        }

        /** @return the key with this spelling (case-insensitive), or null */
        public static Key of(String spelling) {
            String s = spelling.toLowerCase(Locale.ROOT);
            for (Key k : values()) {
                if (k.name.equals(s) || List.of(k.otherSpellings).contains(s)) {
                    return k;
                }
            }
            return null;
        }

        /** The key's value in a descriptor string, or empty if the key does not apply to it. */
        OptionalDouble value(DescriptorSpec spec) {
            return switch (spec.descriptor()) {
                case SoapParameters p -> switch (this) {
                    case CUTOFF -> OptionalDouble.of(p.cutoff());
                    case CUTOFF_TRANSITION_WIDTH -> OptionalDouble.of(p.cutoffFunction().transitionWidth());
                    case ATOM_SIGMA -> OptionalDouble.of(p.density().atomSigma());
                    case N_MAX -> OptionalDouble.of(p.basis().nMax());
                    case L_MAX -> OptionalDouble.of(p.basis().lMax());
                    case ZETA -> spec.fit().covarianceType().orElse(null) == CovarianceType.DOT_PRODUCT
                            ? spec.fit().zeta() : OptionalDouble.empty();
                };
                case Distance2bParameters p -> cutoffValue(p.cutoff(), p.cutoffTransitionWidth());
                case Angle3bParameters p -> cutoffValue(p.cutoff(), p.cutoffTransitionWidth());
                case DistanceNbParameters p -> cutoffValue(p.cutoff(), p.cutoffTransitionWidth());
            };
        }

        /** A pair or many-body descriptor's value of the key: its cutoff or transition width (Å), else empty. */
        private OptionalDouble cutoffValue(double cutoff, double transitionWidth) {
            return switch (this) {
                case CUTOFF -> OptionalDouble.of(cutoff);
                case CUTOFF_TRANSITION_WIDTH -> OptionalDouble.of(transitionWidth);
                default -> OptionalDouble.empty();
            };
        }

        /** The default range around the start value {@code v}. */
        double[] range(double v) {
            return switch (this) {
                case CUTOFF -> new double[] {0.75 * v, 1.25 * v};
                case CUTOFF_TRANSITION_WIDTH -> new double[] {0.5 * v, 2.5 * v};
                case ATOM_SIGMA -> new double[] {0.5 * v, 1.5 * v};
                case N_MAX -> new double[] {Math.max(2, v - 3), v + 3};
                case L_MAX -> new double[] {Math.max(1, v - 3), v + 3};
                case ZETA -> new double[] {Math.max(1, Math.floor(v) - 2), Math.ceil(v) + 2};
            };
        }

        /** The value on the grid through {@code origin} nearest to {@code x}, within [lower, upper]. */
        double round(double x, double origin, double lower, double upper) {
            double v = integer ? Math.rint(x) : origin + step * Math.rint((x - origin) / step);
            v = Math.clamp(v, lower, upper);
            return integer ? v : Double.parseDouble(String.format(Locale.ROOT, "%.6g", v));
        }

        /** The value as written in a descriptor string. */
        String format(double v) {
            return integer ? Long.toString(Math.round(v)) : org.soapstone.engine.fit.NoiseSettings.number(v);
        }
    }

    /**
     * One searched setting.
     *
     * @param descriptor the index of its descriptor string in the {@code gap} setting
     * @param key the key
     * @param lower the smallest value (Å, or a count)
     * @param upper the largest value
     * @param start the starting value
     */
    public record Dimension(int descriptor, Key key, double lower, double upper, double start) {
        public Dimension {
            if (!(lower <= start && start <= upper) || !Double.isFinite(lower) || !Double.isFinite(upper)) {
                throw new FitSettingsException("descriptor " + (descriptor + 1) + ": the range of " + key.label()
                        + " [" + lower + ", " + upper + "] must contain its start value " + start);
            }
        }

        /** @return e.g. {@code cutoff} or, with several descriptors, {@code 2:cutoff} */
        public String name(boolean qualified) {
            return qualified ? (descriptor + 1) + ":" + key.label() : key.label();
        }
    }

    private final List<DescriptorSpec> start;
    private final List<Dimension> dimensions;

    private SearchSpace(List<DescriptorSpec> start, List<Dimension> dimensions) {
        this.start = List.copyOf(start);
        this.dimensions = List.copyOf(dimensions);
    }

    /**
     * The default space with the user's changes.
     *
     * @param start the starting descriptor strings
     * @param ranges ranges given by the user, by key ({@code [lower, upper]}), for every descriptor the key applies to
     * @param fixed keys not searched
     * @return the space
     * @throws FitSettingsException if a range is empty or excludes the start, or nothing is left to search
     */
    public static SearchSpace of(List<DescriptorSpec> start, Map<Key, double[]> ranges, List<Key> fixed) {
        List<Dimension> dims = new ArrayList<>();
        for (int i = 0; i < start.size(); i++) {
            DescriptorSpec spec = start.get(i);
            double minCutoff = Key.CUTOFF.value(spec).orElse(Double.POSITIVE_INFINITY);
            for (Key key : Key.values()) {
                OptionalDouble v = key.value(spec);
                if (v.isEmpty() || fixed.contains(key)) {
                    continue;
                }
                double[] r = ranges.containsKey(key) ? ranges.get(key) : key.range(v.getAsDouble());
                double lower = r[0];
                double upper = r[1];
                if (key == Key.CUTOFF_TRANSITION_WIDTH && !ranges.containsKey(key)) {
                    double cutoffLow = ranges.containsKey(Key.CUTOFF) ? ranges.get(Key.CUTOFF)[0]
                            : fixed.contains(Key.CUTOFF) ? minCutoff : Key.CUTOFF.range(minCutoff)[0];
                    upper = Math.max(v.getAsDouble(), Math.min(upper, 0.5 * cutoffLow));
                }
                if (!(upper > lower)) {
                    throw new FitSettingsException("--vary " + key.label() + ": the range [" + lower + ", " + upper
                            + "] is empty");
                }
                dims.add(new Dimension(i, key, lower, upper, v.getAsDouble()));
            }
        }
        return new SearchSpace(start, dims);
    }

    /** @return the dimensions, in descriptor then {@link Key} order */
    public List<Dimension> dimensions() {
        return dimensions;
    }

    /** @return the starting descriptor strings */
    public List<DescriptorSpec> start() {
        return start;
    }

    /** @return the start as a point of [0, 1]ᵈ */
    public double[] startPoint() {
        double[] u = new double[dimensions.size()];
        for (int i = 0; i < u.length; i++) {
            Dimension d = dimensions.get(i);
            u[i] = (d.start() - d.lower()) / (d.upper() - d.lower());
        }
        return u;
    }

    /**
     * The values of a point, on the grid.
     *
     * @param u a point of [0, 1]ᵈ (clamped)
     * @return one value per dimension
     */
    public double[] values(double[] u) {
        double[] v = new double[dimensions.size()];
        for (int i = 0; i < v.length; i++) {
            Dimension d = dimensions.get(i);
            double x = d.lower() + Math.clamp(u[i], 0, 1) * (d.upper() - d.lower());
            v[i] = d.key().round(x, d.start(), d.lower(), d.upper());
        }
        return v;
    }

    /**
     * The settings one grid step from {@code values} in one dimension, within the ranges: for each dimension in
     * order, one step up, then one down.
     *
     * @param values one per dimension
     * @return the neighbours, each different from {@code values}
     */
    public List<double[]> neighbours(double[] values) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Dimension d = dimensions.get(i);
            for (int sign : new int[] {1, -1}) {
                double v = d.key().round(values[i] + sign * d.key().step(), d.start(), d.lower(), d.upper());
                if (v != values[i]) {
                    double[] n = values.clone();
                    n[i] = v;
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** @return the start's values (as given, not rounded to the grid) */
    public double[] startValues() {
        return dimensions.stream().mapToDouble(Dimension::start).toArray();
    }

    /**
     * The descriptor strings with the given values.
     *
     * @param values one per dimension
     * @return the descriptor strings, in the order of the {@code gap} setting
     */
    public List<DescriptorSpec> settings(double[] values) {
        List<DescriptorSpec> out = new ArrayList<>(start);
        for (int i = 0; i < values.length; i++) {
            Dimension d = dimensions.get(i);
            if (values[i] != d.start()) {
                out.set(d.descriptor(), out.get(d.descriptor()).with(d.key().label(), d.key().format(values[i]),
                        d.key().otherSpellings));
            }
        }
        return out;
    }

    /** @return the values as {@code name=value} words, e.g. {@code cutoff=5.4 n_max=8} */
    public String describe(double[] values) {
        boolean qualified = start.size() > 1;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Dimension d = dimensions.get(i);
            words.add(d.name(qualified) + "=" + d.key().format(values[i]));
        }
        return String.join(" ", words);
    }

    /** @return the space as one line, for the trial log's header */
    public String describe() {
        boolean qualified = start.size() > 1;
        Map<String, String> parts = new LinkedHashMap<>();
        for (Dimension d : dimensions) {
            parts.put(d.name(qualified), d.key().format(d.lower()) + ":" + d.key().format(d.upper()) + " start "
                    + d.key().format(d.start()));
        }
        List<String> words = new ArrayList<>();
        parts.forEach((k, v) -> words.add(k + "=" + v));
        return String.join(", ", words);
    }
}
