package org.soapstone.potentials.quip;

/**
 * libAtoms' cubic spline ({@code Spline.f95}, the Numerical Recipes construction): knots sorted by x, second
 * derivatives from the end slopes y'₁, y'ₙ (a slope above 0.99e30 makes that end natural, and is then replaced by
 * the spline's own end slope), interpolation between knots by bisection, and linear continuation beyond either
 * end with the end slope. Immutable.
 */
final class QuipSpline {
    private static final double NATURAL = 0.99e30;

    private final double[] x;
    private final double[] y;
    private final double[] y2;
    private final double yp1;
    private final double ypn;

    /**
     * @param knots x values (any order; sorted here with their y), at least 2, distinct
     * @param values y values
     * @param yp1 y'(x₁), or ≥ 0.99e30 for a natural end
     * @param ypn y'(xₙ), or ≥ 0.99e30 for a natural end
     */
    QuipSpline(double[] knots, double[] values, double yp1, double ypn) {
        int n = knots.length;
        if (n < 2 || values.length != n) {
            throw new IllegalArgumentException("a spline needs at least 2 knots and one value per knot");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(knots[a], knots[b]));
        x = new double[n];
        y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = knots[order[i]];
            y[i] = values[order[i]];
        }
        for (int i = 1; i < n; i++) {
            if (x[i] == x[i - 1]) {
                throw new IllegalArgumentException("spline knots repeat x = " + x[i]);
            }
        }
        y2 = new double[n];
        double[] u = new double[n];
        if (yp1 > NATURAL) {
            y2[0] = 0;
            u[0] = 0;
        } else {
            y2[0] = -0.5;
            u[0] = (3.0 / (x[1] - x[0])) * ((y[1] - y[0]) / (x[1] - x[0]) - yp1);
        }
        for (int i = 1; i < n - 1; i++) {
            double sig = (x[i] - x[i - 1]) / (x[i + 1] - x[i - 1]);
            double p = sig * y2[i - 1] + 2.0;
            y2[i] = (sig - 1.0) / p;
            u[i] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]) - (y[i] - y[i - 1]) / (x[i] - x[i - 1]);
            u[i] = (6.0 * u[i] / (x[i + 1] - x[i - 1]) - sig * u[i - 1]) / p;
        }
        double qn;
        double un;
        if (ypn > NATURAL) {
            qn = 0;
            un = 0;
        } else {
            qn = 0.5;
            un = (3.0 / (x[n - 1] - x[n - 2])) * (ypn - (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]));
        }
        y2[n - 1] = (un - qn * u[n - 2]) / (qn * y2[n - 2] + 1.0);
        for (int k = n - 2; k >= 0; k--) {
            y2[k] = y2[k] * y2[k + 1] + u[k];
        }
        this.yp1 = yp1 > NATURAL ? interior(x[0], true) : yp1;
        this.ypn = ypn > NATURAL ? interior(x[n - 1], true) : ypn;
    }

    /** @return the largest knot */
    double maxKnot() {
        return x[x.length - 1];
    }

    /** @return the knots, sorted (a copy) */
    double[] knots() {
        return x.clone();
    }

    /** @return the values at the sorted knots (a copy) */
    double[] values() {
        return y.clone();
    }

    /** @return s(t), linear beyond the ends */
    double value(double t) {
        int n = x.length;
        if (t < x[0]) {
            return y[0] + (t - x[0]) * yp1;
        }
        if (t > x[n - 1]) {
            return y[n - 1] + (t - x[n - 1]) * ypn;
        }
        return interior(t, false);
    }

    /** @return s'(t), the end slope beyond the ends */
    double derivative(double t) {
        int n = x.length;
        if (t < x[0]) {
            return yp1;
        }
        if (t > x[n - 1]) {
            return ypn;
        }
        return interior(t, true);
    }

    private double interior(double t, boolean derivative) {
        int klo = 0;
        int khi = x.length - 1;
        while (khi - klo > 1) {
            int k = (khi + klo) >>> 1;
            if (x[k] > t) {
                khi = k;
            } else {
                klo = k;
            }
        }
        double h = x[khi] - x[klo];
        double a = (x[khi] - t) / h;
        double b = (t - x[klo]) / h;
        if (derivative) {
            return (y[khi] - y[klo]) / h + ((3.0 * b * b - 1.0) * y2[khi] - (3.0 * a * a - 1.0) * y2[klo]) * h / 6.0;
        }
        return a * y[klo] + b * y[khi] + ((a * a * a - a) * y2[klo] + (b * b * b - b) * y2[khi]) * (h * h) / 6.0;
    }
}
