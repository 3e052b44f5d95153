package org.soapstone.cli;

import java.util.Locale;
import org.soapstone.engine.accuracy.TextTable;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.gp.PredictiveCalibration.Figures;
import org.soapstone.gp.PredictiveCalibration.Scale;

/** The calibration a fit found, as {@code soapstone fit} prints it. */
final class CalibrationReport {
    private CalibrationReport() {
    }

    /**
     * @param c the calibration
     * @return its scales and the figures on its own folds, as aligned text
     */
    static String format(SigmaCalibration c) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "error-bar calibration (%s, %d-fold cross-validation): "
                + "σ² = s_w²·uᵀΣu + s_n²·σ_n²; figures on the held-out folds (calibrated: 68.3 %%, 95.4 %%, "
                + "rms z 1)%n", c.method().name().toLowerCase(Locale.ROOT), c.folds()));
        TextTable t = new TextTable(2, "quantity", "group", "s_w", "s_n", "count", "within 1σ", "within 2σ",
                "rms z", "Spearman");
        c.figures().forEach((kind, byGroup) -> byGroup.forEach((group, f) -> {
            Scale s = c.scale(kind, group);
            t.add(kind.name().toLowerCase(Locale.ROOT), group, num(s.weight()), num(s.noise()),
                    Long.toString(f.count()), pct(f.within1()), pct(f.within2()), num(f.rmsZ()), num(f.spearman()));
        }));
        SigmaCalibration.ForceProxy proxy = c.forceProxy();
        if (proxy != null) {
            Scale s = proxy.scale();
            proxy.figures().forEach((group, f) -> t.add("force proxy", group, num(s.weight()), num(s.noise()),
                    Long.toString(f.count()), pct(f.within1()), pct(f.within2()), num(f.rmsZ()), num(f.spearman())));
        }
        t.appendTo(out);
        if (proxy != null) {
            out.append("force proxy: σ_F² = s_w²·v + s_n²·σ_n² per component of an atom, v the sum of the latent "
                    + "local-energy variances over the atom and its neighbours, each bounded through "
                    + (proxy.rank() == 0 ? "all" : String.valueOf(proxy.rank())) + " eigenpairs of the posterior "
                    + "(md's every-step force σ; s_w in 1/Å)\n");
        }
        return out.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }
}
