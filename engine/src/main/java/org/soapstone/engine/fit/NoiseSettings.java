package org.soapstone.engine.fit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.soapstone.engine.descriptor.DescriptorSpec;
import org.soapstone.gp.ObservationKind;

/**
 * The σ and δ a {@link NoiseSearch} chose, written back as gap_fit's own keys, so that {@code soapstone fit} (or
 * gap_fit) with the printed command line fits the model the search scored: {@code default_sigma} scaled by the
 * factors of the shared group ({@value CrossValidationGrams#SHARED}), a {@code config_type_sigma} entry for every
 * config type with a group of its own (and every entry given before, scaled by its type's factors), and the
 * {@code delta} of each descriptor string. Per-frame σ keys of the training file ({@code energy_sigma}, …) are
 * absolute and are not rewritten: {@link #perFrameSigmaNote} says so when the file has them.
 */
public final class NoiseSettings {
    private NoiseSettings() {
    }

    /**
     * @param settings the settings the search started from (its descriptor strings, σ and arguments)
     * @param layout the groups the search ran on
     * @param factors the factors chosen
     * @param workingDirectory the directory the arguments are read in
     * @return gap_fit's arguments with {@code gap}, {@code default_sigma} and {@code config_type_sigma} rewritten
     */
    public static List<String> arguments(FitSettings settings, CrossValidationGrams.Layout layout,
            NoiseSearch.Factors factors, Path workingDirectory) {
        Map<String, String> values = new LinkedHashMap<>();
        double[] delta = factors.delta();
        List<String> gap = new ArrayList<>();
        for (int i = 0; i < settings.descriptors().size(); i++) {
            DescriptorSpec d = settings.descriptors().get(i);
            double start = d.fit().delta().orElseThrow();
            gap.add(delta[i] == 1.0 ? d.text().strip() : d.withDelta(Double.parseDouble(number(start * delta[i]))).text().strip());
        }
        values.put("gap", String.join(" : ", gap));
        double[] shared = kindFactors(layout, factors, CrossValidationGrams.SHARED);
        values.put("default_sigma", sigmas(scaled(settings.defaultSigma(), shared), " "));
        Map<String, Sigmas> entries = new LinkedHashMap<>();
        settings.configTypeSigma().forEach((type, s) -> {
            String group = layout.typeGroup().getOrDefault(type, CrossValidationGrams.SHARED);
            entries.put(type, scaled(s, kindFactors(layout, factors, group)));
        });
        layout.typeGroup().forEach((type, group) -> {
            if (!group.equals(CrossValidationGrams.SHARED) && !entries.containsKey(type)) {
                entries.put(type, scaled(settings.sigmasFor(type), kindFactors(layout, factors, group)));
            }
        });
        if (!entries.isEmpty()) {
            List<String> parts = new ArrayList<>();
            entries.forEach((type, s) -> parts.add(type + ":" + sigmas(s, ":")));
            values.put("config_type_sigma", String.join(" ", parts));
        }
        return GapFitCommandLine.rewrite(settings.arguments(), workingDirectory, values);
    }

    /**
     * @return a note if some frame carries its own σ (which the printed settings cannot scale), else null
     */
    public static String perFrameSigmaNote(FitSettings settings, List<TrainingFrame> frames) {
        for (TrainingFrame f : frames) {
            Sigmas s = settings.sigmasFor(f.configType());
            int n = f.structure().size();
            double perAtom = settings.sigmaPerAtom() ? Math.sqrt(n) : 1.0;
            boolean own = f.hasEnergy() && f.energySigma() != s.energy() * perAtom;
            if (f.forceSigma() != null) {
                for (double fs : f.forceSigma()) {
                    own |= Double.isFinite(fs) && fs != s.force();
                }
            }
            if (own) {
                return "frame " + f.index() + " (line " + f.line() + ") has its own σ: the search scaled it with its "
                        + "config type, but the printed settings cannot, so a fit with them weighs such frames "
                        + "differently";
            }
        }
        return null;
    }

    /** The factors of the energy, force and virial groups of a type group (1 where the group has no rows). */
    private static double[] kindFactors(CrossValidationGrams.Layout layout, NoiseSearch.Factors factors,
            String group) {
        double[] out = {1, 1, 1};
        double[] sigma = factors.sigma();
        for (int g = 0; g < layout.groups().size(); g++) {
            CrossValidationGrams.Group grp = layout.groups().get(g);
            if (grp.configType().equals(group)) {
                out[grp.kind().ordinal()] = sigma[g];
            }
        }
        return out;
    }

    private static Sigmas scaled(Sigmas s, double[] f) {
        return new Sigmas(Double.parseDouble(number(s.energy() * f[ObservationKind.ENERGY.ordinal()])),
                Double.parseDouble(number(s.force() * f[ObservationKind.FORCE.ordinal()])),
                Double.parseDouble(number(s.virial() * f[ObservationKind.VIRIAL.ordinal()])), s.hessian());
    }

    private static String sigmas(Sigmas s, String separator) {
        return String.join(separator, number(s.energy()), number(s.force()), number(s.virial()), number(s.hessian()));
    }

    /** Six significant digits, without trailing zeros (gap_fit reads any real). */
    public static String number(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e")) {
            String[] p = s.split("e");
            return strip(p[0]) + "e" + p[1];
        }
        return strip(s);
    }

    private static String strip(String mantissa) {
        if (!mantissa.contains(".")) {
            return mantissa;
        }
        String t = mantissa.replaceAll("0+$", "");
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
