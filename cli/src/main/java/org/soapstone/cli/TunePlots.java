package org.soapstone.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.soapstone.engine.tune.Trial;

/**
 * The plots of a search, each as PNG and SVG: {@code search} — every trial's loss against its number, with the best
 * so far (1 = the start's cross-validation error, unless reference errors were given); {@code search-errors} — each
 * trial's cross-validation energy MAE (meV/atom) against its force MAE (eV/Å), the start and the best marked.
 */
final class TunePlots {
    private TunePlots() {
    }

    /** Writes both plots into {@code dir}; returns the files. */
    static List<Path> write(List<Trial> trials, Trial best, Path dir) throws IOException {
        List<Trial> ok = trials.stream().filter(Trial::ok).toList();
        List<Path> written = new ArrayList<>();
        XYChart loss = ErrorPlots.chart("Search: cross-validation loss of each trial", "trial", "loss");
        double[] x = ok.stream().mapToDouble(Trial::index).toArray();
        double[] y = ok.stream().mapToDouble(Trial::loss).toArray();
        loss.addSeries("trial", x, y).setMarker(SeriesMarkers.CIRCLE);
        // a staircase: each new best starts a step at its trial
        double[] bx = new double[2 * trials.size()];
        double[] by = new double[2 * trials.size()];
        double running = Double.POSITIVE_INFINITY;
        int n = 0;
        for (Trial t : trials) {
            if (t.ok() && t.loss() < running) {
                if (Double.isFinite(running)) {
                    bx[n] = t.index();
                    by[n++] = running;
                }
                running = t.loss();
            }
            if (Double.isFinite(running)) {
                bx[n] = t.index();
                by[n++] = running;
            }
        }
        ErrorPlots.line(loss, "best so far", java.util.Arrays.copyOf(bx, n), java.util.Arrays.copyOf(by, n),
                Color.BLACK);
        written.addAll(ErrorPlots.save(loss, dir, "search"));

        XYChart errors = ErrorPlots.chart("Search: cross-validation errors of each trial",
                "force MAE (eV/Å)", "energy MAE (meV/atom)");
        errors.addSeries("trial", ok.stream().mapToDouble(t -> t.cv().force()).toArray(),
                ok.stream().mapToDouble(t -> 1e3 * t.cv().energy()).toArray()).setMarker(SeriesMarkers.CIRCLE);
        Trial start = trials.get(0);
        if (start.ok()) {
            errors.addSeries("start (given σ)", new double[] {start.startCv().force()},
                    new double[] {1e3 * start.startCv().energy()}).setMarker(SeriesMarkers.SQUARE);
        }
        errors.addSeries("best (trial " + best.index() + ")", new double[] {best.cv().force()},
                new double[] {1e3 * best.cv().energy()}).setMarker(SeriesMarkers.DIAMOND);
        written.addAll(ErrorPlots.save(errors, dir, "search-errors"));
        return written;
    }
}
