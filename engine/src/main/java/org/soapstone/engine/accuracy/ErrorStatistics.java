package org.soapstone.engine.accuracy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.soapstone.engine.calculator.CalculationResults;
import org.soapstone.engine.calculator.Property;
import org.soapstone.engine.gap.SigmaCalibration;
import org.soapstone.engine.md.Units;
import org.soapstone.gp.PredictiveCalibration;

/**
 * Errors of predictions against reference values, accumulated frame by frame (nothing but a bounded sample of plot
 * points is kept), overall and per group ({@code config_type}): energy per atom, force components, virial per atom
 * (six independent components of W = −σV) and stress (six Voigt components), each as MAE, RMSE, largest error and
 * count — the figures gap_fit users report (e.g. Deringer et al., Chem. Rev. 121, 10073 (2021), sec. 5) — and,
 * where predicted standard deviations are given, their {@link Calibration}. A frame lacking a reference, or a
 * prediction, of a quantity does not count for it.
 */
public final class ErrorStatistics {
    /** The name of the group of all frames in reports. */
    public static final String ALL = "all";

    private final ReferenceNames names;
    private final int plotPoints;
    private final GroupErrors overall = new GroupErrors(0);
    private final Map<String, GroupErrors> groups = new TreeMap<>();
    private long frames;

    /**
     * @param names the reference names (for the report)
     * @param plotPoints the most plot points kept per group and plot (0: none)
     */
    public ErrorStatistics(ReferenceNames names, int plotPoints) {
        if (plotPoints < 0) {
            throw new IllegalArgumentException("the number of plot points must be non-negative, not " + plotPoints);
        }
        this.names = names;
        this.plotPoints = plotPoints;
    }

    /**
     * Adds one frame.
     *
     * @param ref the frame's reference values, read before the calculation
     * @param predicted the prediction (energy eV, forces eV/Å, stress eV/Å³); quantities not computed are skipped
     * @param sigma the predicted standard deviations of the frame, or null; their calibration leaves out force
     *     components that are zero by symmetry in both reference and prediction
     *     ({@link org.soapstone.engine.gap.SigmaCalibration#zeroBySymmetry}),
     *     whose zero error says nothing of σ
     */
    public void add(FrameReference ref, CalculationResults predicted, PredictedSigma sigma) {
        int n = ref.atoms();
        GroupErrors group = groups.computeIfAbsent(ref.configType(), k -> new GroupErrors(plotPoints));
        frames++;
        if (n == 0) {
            return;
        }
        boolean withSigma = sigma != null && sigma.hasPosterior();
        if (ref.hasEnergy() && predicted.has(Property.ENERGY)) {
            double error = (predicted.energy - ref.energy()) / n;
            addError(group, Quantity.ENERGY, error);
            group.energyParity().add(ref.energy() / n, predicted.energy / n);
            if (withSigma) {
                addCalibration(group, Quantity.ENERGY, error, sigma.energy() / n);
            }
        }
        if (ref.forces() != null && predicted.has(Property.FORCES)) {
            double[] fr = ref.forces();
            for (int k = 0; k < 3 * n; k++) {
                double error = predicted.forces[k] - fr[k];
                addError(group, Quantity.FORCES, error);
                group.forceParity().add(fr[k], predicted.forces[k]);
                boolean symmetric = SigmaCalibration.zeroBySymmetry(fr[k], predicted.forces[k]);
                if (withSigma && !symmetric) {
                    addCalibration(group, Quantity.FORCES, error, sigma.forces()[k]);
                }
            }
        }
        double[] stressRef = ref.stressVoigt();
        if (stressRef != null && predicted.has(Property.STRESS)) {
            double volume = ref.volume();
            for (int k = 0; k < 6; k++) {
                double error = predicted.stress[k] - stressRef[k];
                addError(group, Quantity.STRESS, error);
                addError(group, Quantity.VIRIAL, -error * volume / n);
                if (withSigma && sigma.virial() != null) {
                    addCalibration(group, Quantity.VIRIAL, -error * volume / n, sigma.virial()[k] / n);
                }
            }
        }
    }

    private void addCalibration(GroupErrors group, Quantity q, double error, double sigma) {
        overall.calibration(q).add(error, sigma);
        group.calibration(q).add(error, sigma);
    }

    private void addError(GroupErrors group, Quantity q, double error) {
        overall.errors(q).add(error);
        group.errors(q).add(error);
    }

    /** @return the number of frames added */
    public long frames() {
        return frames;
    }

    /** @return the errors of all frames (no plot points) */
    public GroupErrors overall() {
        return overall;
    }

    /** @return the errors per group, by group name in alphabetical order (unmodifiable) */
    public Map<String, GroupErrors> groups() {
        return Collections.unmodifiableMap(groups);
    }

    /** @return one line for each quantity no frame could be compared on, saying which reference was looked for */
    public List<String> notCompared() {
        List<String> out = new ArrayList<>();
        for (Quantity q : Quantity.values()) {
            if (overall.errors(q).count() == 0) {
                String where = switch (q) {
                    case ENERGY -> "'" + names.energy() + "'";
                    case FORCES -> "'" + names.forces() + "'";
                    case VIRIAL, STRESS -> "'" + names.virial() + "' or '" + names.stress() + "' (with a cell)";
                };
                out.add(q.label() + ": not compared, no frame has both a prediction and a reference " + where);
            }
        }
        return out;
    }

    /**
     * @return an aligned text table of the errors (energy in meV/atom, forces eV/Å, virial eV/atom, stress eV/Å³
     *     and GPa), overall then per group, the calibration of σ when any was given, and the quantities not compared
     */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append("Errors (predicted − reference) over ").append(frames).append(frames == 1 ? " frame" : " frames")
                .append('\n');
        TextTable table = new TextTable(3, "group", "quantity", "unit", "count", "MAE", "RMSE", "max");
        forEachGroup((name, g) -> {
            for (Quantity q : Quantity.values()) {
                ErrorAccumulator e = g.errors(q);
                if (e.count() > 0) {
                    errorRow(table, name, q.label(), q.reportUnit(), e, q.reportScale());
                    if (q == Quantity.STRESS) {
                        errorRow(table, name, q.label(), "GPa", e, Units.EV_PER_A3_TO_GPA);
                    }
                }
            }
        });
        table.appendTo(out);
        if (overall.energyCalibration().count() + overall.forceCalibration().count() > 0) {
            out.append(String.format(Locale.ROOT, "%nCalibration of the predicted σ, z = error/σ (a calibrated "
                    + "Gaussian has %.1f %% of errors within 1σ, %.1f %% within 2σ, rms z 1; force components zero "
                    + "by symmetry left out; NLL per error in the unit shown)%n", 100 * Calibration.GAUSSIAN_1_SIGMA,
                    100 * Calibration.GAUSSIAN_2_SIGMA));
            TextTable cal = new TextTable(3, "group", "quantity", "unit", "count", "within 1σ", "within 2σ", "rms z",
                    "NLL", "Spearman");
            forEachGroup((name, g) -> {
                for (Quantity q : Quantity.values()) {
                    Calibration c = g.calibration(q);
                    if (c != null && c.count() > 0) {
                        calibrationRow(cal, name, q, c);
                    }
                }
            });
            cal.appendTo(out);
        }
        for (String line : notCompared()) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private void forEachGroup(java.util.function.BiConsumer<String, GroupErrors> action) {
        action.accept(ALL, overall);
        groups.forEach(action);
    }

    private static void errorRow(TextTable t, String group, String quantity, String unit, ErrorAccumulator e,
            double scale) {
        t.add(group, quantity, unit, Long.toString(e.count()), number(scale * e.mae()), number(scale * e.rmse()),
                number(scale * e.max()));
    }

    private static void calibrationRow(TextTable t, String group, Quantity q, Calibration c) {
        PredictiveCalibration.Figures f = c.figures();
        String unit = q == Quantity.FORCES ? "eV/Å" : "eV/atom";
        t.add(group, q.label(), unit, Long.toString(f.count()), percent(f.within1()), percent(f.within2()),
                String.format(Locale.ROOT, "%.3g", f.rmsZ()), String.format(Locale.ROOT, "%.3f",
                        f.negativeLogLikelihood()), String.format(Locale.ROOT, "%.2f", f.spearman()));
    }

    /**
     * @param v a value in any unit
     * @return it as the table prints it: five significant digits
     */
    public static String number(double v) {
        return String.format(Locale.ROOT, "%.5g", v);
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }
}
