package org.soapstone.engine.gap;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.soapstone.gp.ObservationKind;
import org.soapstone.gp.PredictiveCalibration.Figures;
import org.soapstone.gp.PredictiveCalibration.Scale;

/**
 * The {@code calibration} object of {@code model.json} ({@link GapModelFile}):
 * <pre>
 * "calibration": {
 *   "method": "none" | "scale" | "group", "folds": K,
 *   "predictive": "sigma^2 = weight^2 * u^T Sigma u + noise^2 * sigma_n^2 (observed value)",
 *   "noise_per_atom": true,
 *   "noise": {"default": {"energy": eV, "force": eV/Å, "virial": eV}, "&lt;config_type&gt;": {...}},
 *   "scales": {"energy": {"all": {"weight": s_w, "noise": s_n}, "&lt;config_type&gt;": {...}}, "force": {...}},
 *   "figures": {"force": {"all": {"count": n, "within_1_sigma": f, "within_2_sigma": f, "rms_z": z,
 *               "negative_log_likelihood": l, "spearman": r}}, ...}
 * }</pre>
 * Quantities are named {@code energy}, {@code force} and {@code virial}.
 */
final class CalibrationJson {
    private CalibrationJson() {
    }

    static Map<String, Object> write(SigmaCalibration c) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("method", c.method().name().toLowerCase(Locale.ROOT));
        o.put("folds", c.folds());
        o.put("predictive", "sigma^2 = weight^2 * u^T Sigma u + noise^2 * sigma_n^2 (observed value; u^T Sigma u "
                + "the weight-space variance, sigma_n the fit's noise of the quantity and config type)");
        o.put("noise_per_atom", c.noisePerAtom());
        Map<String, Object> noise = new LinkedHashMap<>();
        c.noise().forEach((group, n) -> {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("energy", n.energy());
            g.put("force", n.force());
            g.put("virial", n.virial());
            noise.put(group, g);
        });
        o.put("noise", noise);
        Map<String, Object> scales = new LinkedHashMap<>();
        c.scales().forEach((kind, byGroup) -> {
            Map<String, Object> k = new LinkedHashMap<>();
            byGroup.forEach((group, s) -> {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("weight", s.weight());
                g.put("noise", s.noise());
                k.put(group, g);
            });
            scales.put(name(kind), k);
        });
        o.put("scales", scales);
        Map<String, Object> figures = new LinkedHashMap<>();
        c.figures().forEach((kind, byGroup) -> {
            Map<String, Object> k = new LinkedHashMap<>();
            byGroup.forEach((group, f) -> {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("count", f.count());
                g.put("within_1_sigma", finiteOrNull(f.within1()));
                g.put("within_2_sigma", finiteOrNull(f.within2()));
                g.put("rms_z", finiteOrNull(f.rmsZ()));
                g.put("negative_log_likelihood", finiteOrNull(f.negativeLogLikelihood()));
                g.put("spearman", finiteOrNull(f.spearman()));
                k.put(group, g);
            });
            figures.put(name(kind), k);
        });
        o.put("figures", figures);
        return o;
    }

    static SigmaCalibration read(JsonFields o) throws ModelFileException {
        String m = o.string("method");
        SigmaCalibration.Method method;
        try {
            method = SigmaCalibration.Method.valueOf(m.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw o.error("method", "'" + m + "' is not none, scale or group");
        }
        int folds = o.count("folds", 0);
        boolean perAtom = o.bool("noise_per_atom");
        JsonFields noiseFields = o.object("noise");
        Map<String, SigmaCalibration.Noise> noise = new LinkedHashMap<>();
        for (Object key : noiseFields.keys()) {
            JsonFields g = noiseFields.object((String) key);
            try {
                noise.put((String) key, new SigmaCalibration.Noise(g.real("energy"), g.real("force"),
                        g.real("virial")));
            } catch (IllegalArgumentException e) {
                throw noiseFields.error((String) key, e.getMessage());
            }
        }
        Map<ObservationKind, Map<String, Scale>> scales = new EnumMap<>(ObservationKind.class);
        JsonFields scaleFields = o.object("scales");
        for (Object key : scaleFields.keys()) {
            ObservationKind kind = kind(scaleFields, (String) key);
            JsonFields byGroup = scaleFields.object((String) key);
            Map<String, Scale> s = new LinkedHashMap<>();
            for (Object group : byGroup.keys()) {
                JsonFields g = byGroup.object((String) group);
                try {
                    s.put((String) group, new Scale(g.real("weight"), g.real("noise")));
                } catch (IllegalArgumentException e) {
                    throw byGroup.error((String) group, e.getMessage());
                }
            }
            scales.put(kind, s);
        }
        Map<ObservationKind, Map<String, Figures>> figures = new EnumMap<>(ObservationKind.class);
        JsonFields figureFields = o.object("figures");
        for (Object key : figureFields.keys()) {
            ObservationKind kind = kind(figureFields, (String) key);
            JsonFields byGroup = figureFields.object((String) key);
            Map<String, Figures> f = new LinkedHashMap<>();
            for (Object group : byGroup.keys()) {
                JsonFields g = byGroup.object((String) group);
                f.put((String) group, new Figures(g.integer("count"), orNaN(g, "within_1_sigma"),
                        orNaN(g, "within_2_sigma"), orNaN(g, "rms_z"), orNaN(g, "negative_log_likelihood"),
                        orNaN(g, "spearman")));
            }
            figures.put(kind, f);
        }
        try {
            return new SigmaCalibration(method, folds, perAtom, noise, scales, figures);
        } catch (IllegalArgumentException e) {
            throw o.error(e.getMessage());
        }
    }

    private static String name(ObservationKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static ObservationKind kind(JsonFields o, String key) throws ModelFileException {
        for (ObservationKind k : ObservationKind.values()) {
            if (name(k).equals(key)) {
                return k;
            }
        }
        throw o.error(key, "is not a quantity (energy, force or virial)");
    }

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double orNaN(JsonFields o, String key) throws ModelFileException {
        return o.has(key) ? o.real(key) : Double.NaN;
    }
}
