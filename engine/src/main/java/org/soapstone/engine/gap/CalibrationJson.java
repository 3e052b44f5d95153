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
 *               "negative_log_likelihood": l, "spearman": r}}, ...},
 *   "force_proxy": {"predictive": "...", "scale": {"weight": s_w (1/Å), "noise": s_n}, "rank": r (0: exact),
 *                   "figures": {"all": {...}, "&lt;config_type&gt;": {...}}}      (optional: {@link ForceSigmaProxy})
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
            byGroup.forEach((group, s) -> k.put(group, writeScale(s)));
            scales.put(name(kind), k);
        });
        o.put("scales", scales);
        Map<String, Object> figures = new LinkedHashMap<>();
        c.figures().forEach((kind, byGroup) -> figures.put(name(kind), writeFigures(byGroup)));
        o.put("figures", figures);
        if (c.forceProxy() != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("predictive", "sigma_F^2 = weight^2 * v + noise^2 * sigma_n^2 per force component of an atom (v "
                    + "the sum of the latent local-energy variances of the atom and its neighbours within the cutoff, "
                    + "each bounded through the variance projection of 'rank' eigenpairs (0: exact), eV^2; weight in "
                    + "1/Angstrom; sigma_n the default force noise)");
            p.put("scale", writeScale(c.forceProxy().scale()));
            p.put("rank", c.forceProxy().rank());
            p.put("figures", writeFigures(c.forceProxy().figures()));
            o.put("force_proxy", p);
        }
        return o;
    }

    private static Map<String, Object> writeScale(Scale s) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("weight", s.weight());
        g.put("noise", s.noise());
        return g;
    }

    private static Map<String, Object> writeFigures(Map<String, Figures> byGroup) {
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
        return k;
    }

    /**
     * @param o the {@code calibration} object as Jackson read it (maps, lists, numbers, strings, booleans)
     * @return the calibration
     * @throws ModelDocument.FieldError naming the field ({@code calibration.scales.force.all.weight: missing})
     */
    static SigmaCalibration read(Map<String, Object> o) {
        String where = "calibration";
        String m = string(o, "method", where);
        SigmaCalibration.Method method;
        try {
            method = SigmaCalibration.Method.valueOf(m.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelDocument.FieldError(where + ".method", "'" + m + "' is not none, scale or group");
        }
        int folds = (int) number(o, "folds", where);
        if (!(o.get("noise_per_atom") instanceof Boolean perAtom)) {
            throw new ModelDocument.FieldError(where + ".noise_per_atom", "expected true or false");
        }
        Map<String, SigmaCalibration.Noise> noise = new LinkedHashMap<>();
        object(o, "noise", where).forEach((group, value) -> {
            String at = where + ".noise." + group;
            Map<String, Object> g = object(value, at);
            noise.put(group, checked(at, () -> new SigmaCalibration.Noise(number(g, "energy", at),
                    number(g, "force", at), number(g, "virial", at))));
        });
        Map<ObservationKind, Map<String, Scale>> scales = new EnumMap<>(ObservationKind.class);
        object(o, "scales", where).forEach((key, byGroup) -> {
            String at = where + ".scales." + key;
            Map<String, Scale> s = new LinkedHashMap<>();
            object(byGroup, at).forEach((group, value) -> s.put(group, readScale(value, at + "." + group)));
            scales.put(kind(key, at), s);
        });
        Map<ObservationKind, Map<String, Figures>> figures = new EnumMap<>(ObservationKind.class);
        object(o, "figures", where).forEach((key, byGroup) -> {
            String at = where + ".figures." + key;
            figures.put(kind(key, at), readFigures(byGroup, at));
        });
        SigmaCalibration.ForceProxy proxy = null;
        if (o.get("force_proxy") != null) {
            String at = where + ".force_proxy";
            Map<String, Object> p = object(o, "force_proxy", where);
            double r = p.get("rank") == null ? 0 : number(p, "rank", at);
            if (r != Math.rint(r) || Math.abs(r) > Integer.MAX_VALUE) {
                fail(at + ".rank", "expected a whole number, found " + r);
            }
            int rank = (int) r;
            proxy = checked(at, () -> new SigmaCalibration.ForceProxy(
                    readScale(ModelDocument.require(p.get("scale"), at + ".scale"), at + ".scale"), rank,
                    readFigures(ModelDocument.require(p.get("figures"), at + ".figures"), at + ".figures")));
        }
        SigmaCalibration.ForceProxy forceProxy = proxy;
        return checked(where, () -> new SigmaCalibration(method, folds, perAtom, noise, scales, figures,
                forceProxy));
    }

    private static Scale readScale(Object value, String at) {
        Map<String, Object> g = object(value, at);
        return checked(at, () -> new Scale(number(g, "weight", at), number(g, "noise", at)));
    }

    private static Map<String, Figures> readFigures(Object byGroup, String at) {
        Map<String, Figures> f = new LinkedHashMap<>();
        object(byGroup, at).forEach((group, value) -> {
            String in = at + "." + group;
            Map<String, Object> g = object(value, in);
            f.put(group, new Figures((long) number(g, "count", in), orNaN(g, "within_1_sigma", in),
                    orNaN(g, "within_2_sigma", in), orNaN(g, "rms_z", in), orNaN(g, "negative_log_likelihood", in),
                    orNaN(g, "spearman", in)));
        });
        return f;
    }

    private static <T> T checked(String at, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (ModelDocument.FieldError e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ModelDocument.FieldError(at, e.getMessage());
        }
    }

    private static String string(Map<String, Object> o, String key, String at) {
        return ModelDocument.require(o.get(key), at + "." + key) instanceof String s ? s
                : fail(at + "." + key, "expected a string");
    }

    private static double number(Map<String, Object> o, String key, String at) {
        Object v = ModelDocument.require(o.get(key), at + "." + key);
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            return fail(at + "." + key, "expected a finite number, found " + v);
        }
        return n.doubleValue();
    }

    private static double orNaN(Map<String, Object> o, String key, String at) {
        return o.get(key) == null ? Double.NaN : number(o, key, at);
    }

    private static Map<String, Object> object(Map<String, Object> o, String key, String at) {
        return object(ModelDocument.require(o.get(key), at + "." + key), at + "." + key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String at) {
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : fail(at, "expected an object");
    }

    private static <T> T fail(String at, String message) {
        throw new ModelDocument.FieldError(at, message);
    }

    private static String name(ObservationKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static ObservationKind kind(String key, String at) {
        for (ObservationKind k : ObservationKind.values()) {
            if (name(k).equals(key)) {
                return k;
            }
        }
        return fail(at, "'" + key + "' is not a quantity (energy, force or virial)");
    }

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

}
