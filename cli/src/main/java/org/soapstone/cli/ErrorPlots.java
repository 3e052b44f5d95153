package org.soapstone.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.soapstone.engine.accuracy.Calibration;
import org.soapstone.engine.accuracy.ErrorAccumulator;
import org.soapstone.engine.accuracy.ErrorStatistics;
import org.soapstone.engine.accuracy.GroupErrors;
import org.soapstone.engine.accuracy.Points;
import org.soapstone.engine.accuracy.Quantity;
import org.soapstone.engine.io.AtomicFile;

/**
 * The plots of {@code eval --plot DIR}, each as PNG and SVG: parity plots (predicted against reference energy per
 * atom, eV/atom, and force components, eV/Å; points coloured by config_type, the line y = x, MAE and RMSE in the
 * title) and, when predicted σ were given, calibration plots (|error| against σ on log-log axes with the lines
 * |error| = σ and 2σ). Rendered headless; each file is written to a temporary file and renamed.
 */
final class ErrorPlots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int WIDTH = 720;
    private static final int HEIGHT = 680;

    private final ErrorStatistics stats;
    private final Path dir;
    private final List<Path> written = new ArrayList<>();

    private ErrorPlots(ErrorStatistics stats, Path dir) {
        this.stats = stats;
        this.dir = dir;
    }

    /**
     * Checks that plots can go to {@code dir} before any work is done.
     *
     * @throws IllegalArgumentException if {@code dir} exists and is not a directory
     */
    static void checkDirectory(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--plot " + dir + ": exists and is not a directory");
        }
    }

    /**
     * Writes every plot the statistics have points for into {@code dir} (created if needed).
     *
     * @return the files written
     */
    static List<Path> write(ErrorStatistics stats, Path dir) throws IOException {
        checkDirectory(dir);
        Files.createDirectories(dir);
        ErrorPlots plots = new ErrorPlots(stats, dir);
        plots.parity("parity-energy", "Energy per atom", Quantity.ENERGY, "eV/atom", GroupErrors::energyParity);
        plots.parity("parity-forces", "Force components", Quantity.FORCES, "eV/Å", GroupErrors::forceParity);
        plots.calibration("calibration-energy", "Energy per atom", "eV/atom", GroupErrors::energyCalibration);
        plots.calibration("calibration-forces", "Force components", "eV/Å", GroupErrors::forceCalibration);
        plots.reliability("reliability-energy", "Energy per atom", "eV/atom", GroupErrors::energyCalibration);
        plots.reliability("reliability-forces", "Force components", "eV/Å", GroupErrors::forceCalibration);
        return plots.written;
    }

    private void parity(String name, String what, Quantity q, String unit, Function<GroupErrors, Points> points)
            throws IOException {
        ErrorAccumulator e = stats.overall().errors(q);
        if (e.count() == 0) {
            return;
        }
        String title = String.format(Locale.ROOT, "%s: MAE %s, RMSE %s %s%s", what,
                ErrorStatistics.number(q.reportScale() * e.mae()), ErrorStatistics.number(q.reportScale() * e.rmse()),
                q.reportUnit(), sampleNote(points));
        XYChart chart = chart(title, "reference (" + unit + ")", "predicted (" + unit + ")");
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, GroupErrors> g : stats.groups().entrySet()) {
            Points p = points.apply(g.getValue());
            if (p.size() > 0) {
                double[] x = p.x();
                double[] y = p.y();
                for (int i = 0; i < x.length; i++) {
                    lo = Math.min(lo, Math.min(x[i], y[i]));
                    hi = Math.max(hi, Math.max(x[i], y[i]));
                }
                scatter(chart, g.getKey(), x, y);
            }
        }
        line(chart, "y = x", new double[] {lo, hi}, new double[] {lo, hi}, Color.BLACK);
        save(chart, name);
    }

    private void calibration(String name, String what, String unit, Function<GroupErrors, Calibration> calibration)
            throws IOException {
        Calibration all = calibration.apply(stats.overall());
        if (all.count() == 0) {
            return;
        }
        String title = String.format(Locale.ROOT, "%s: %.1f %% within 1σ, %.1f %% within 2σ%s", what,
                100 * all.within1Sigma(), 100 * all.within2Sigma(), sampleNote(g -> calibration.apply(g).pairs()));
        XYChart chart = chart(title, "predicted σ (" + unit + ")", "|error| (" + unit + ")");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Map.Entry<String, GroupErrors> g : stats.groups().entrySet()) {
            Points p = calibration.apply(g.getValue()).pairs();
            double[] sigma = p.x();
            double[] error = p.y();
            int kept = 0;
            for (int i = 0; i < sigma.length; i++) {
                if (sigma[i] > 0 && error[i] > 0) {
                    sigma[kept] = sigma[i];
                    error[kept] = error[i];
                    lo = Math.min(lo, sigma[i]);
                    hi = Math.max(hi, sigma[i]);
                    kept++;
                }
            }
            if (kept > 0) {
                scatter(chart, g.getKey(), Arrays.copyOf(sigma, kept), Arrays.copyOf(error, kept));
            }
        }
        if (hi == 0) {
            return;
        }
        line(chart, "|error| = σ", new double[] {lo, hi}, new double[] {lo, hi}, Color.BLACK);
        line(chart, "|error| = 2σ", new double[] {lo, hi}, new double[] {2 * lo, 2 * hi}, Color.GRAY);
        save(chart, name);
    }

    /** Bins of a reliability diagram over all groups, and per group. */
    private static final int RELIABILITY_BINS = 15;

    /**
     * A reliability diagram: errors sorted by σ in bins of equal count, RMS error against RMS σ per bin, on
     * log-log axes with the line of calibrated σ (Musil et al., J. Chem. Theory Comput. 15, 906 (2019)); all frames
     * and each config_type.
     */
    private void reliability(String name, String what, String unit, Function<GroupErrors, Calibration> calibration)
            throws IOException {
        Calibration all = calibration.apply(stats.overall());
        if (all.count() == 0) {
            return;
        }
        var f = all.figures();
        String title = String.format(Locale.ROOT, "%s: rms z %.2f, Spearman %.2f (%d per bin)", what, f.rmsZ(),
                f.spearman(), Math.max(1, all.count() / RELIABILITY_BINS));
        XYChart chart = chart(title, "RMS predicted σ (" + unit + ")", "RMS error (" + unit + ")");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        double[][] bins = all.reliability(RELIABILITY_BINS);
        for (double[] axis : bins) {
            for (double v : axis) {
                if (v > 0) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (hi == 0) {
            return;
        }
        XYSeries a = chart.addSeries(ErrorStatistics.ALL, bins[0], bins[1]);
        a.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        a.setMarker(SeriesMarkers.DIAMOND);
        for (Map.Entry<String, GroupErrors> g : stats.groups().entrySet()) {
            Calibration c = calibration.apply(g.getValue());
            if (c.count() >= 2 * RELIABILITY_BINS && c.count() < all.count()) {
                double[][] b = c.reliability(Math.max(3, (int) Math.min(RELIABILITY_BINS,
                        c.count() / RELIABILITY_BINS)));
                scatter(chart, g.getKey(), b[0], b[1]);
            }
        }
        line(chart, "RMS error = σ", new double[] {lo, hi}, new double[] {lo, hi}, Color.BLACK);
        save(chart, name);
    }

    /** @return a note for the title when the plot shows a sample of the points */
    private String sampleNote(Function<GroupErrors, Points> points) {
        long seen = 0;
        long shown = 0;
        for (GroupErrors g : stats.groups().values()) {
            seen += points.apply(g).seen();
            shown += points.apply(g).size();
        }
        return shown < seen ? " (" + shown + " of " + seen + " points shown)" : "";
    }

    static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        return chart;
    }

    private static void scatter(XYChart chart, String group, double[] x, double[] y) {
        String name = chart.getSeriesMap().containsKey(group) ? group + " (config_type)" : group;
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
    }

    static void line(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
    }

    private void save(XYChart chart, String name) throws IOException {
        written.addAll(save(chart, dir, name));
    }

    /** Writes a chart as {@code dir/name.png} and {@code .svg}, each to a temporary file renamed; returns both. */
    static List<Path> save(XYChart chart, Path dir, String name) throws IOException {
        Path png = dir.resolve(name + ".png");
        atomically(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        Path svg = dir.resolve(name + ".svg");
        atomically(svg, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out,
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
        return List.of(png, svg);
    }

    private interface Encoder {
        void encode(OutputStream out) throws IOException;
    }

    private static void atomically(Path target, Encoder encoder) throws IOException {
        AtomicFile.write(target, encoder::encode);
    }
}
