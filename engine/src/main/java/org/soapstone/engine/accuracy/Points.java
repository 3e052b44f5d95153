package org.soapstone.engine.accuracy;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A bounded sample of (x, y) points for a plot, in the units they are given in: every point while there are at
 * most {@code capacity}, then a uniform random sample of that size (reservoir sampling, Vitter's algorithm R, with
 * a fixed seed so a run is reproducible), so memory stays bounded however large the input.
 */
public final class Points {
    private final int capacity;
    private final SplittableRandom random = new SplittableRandom(20261122L);
    private double[] x = new double[0];
    private double[] y = new double[0];
    private int size;
    private long seen;

    /** @param capacity the most points kept (0: none, only counted) */
    public Points(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("a point sample needs a non-negative capacity, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** Offers one point. */
    public void add(double px, double py) {
        seen++;
        if (size < capacity) {
            if (size == x.length) {
                int n = (int) Math.min(capacity, Math.max(16L, 2L * size));
                x = Arrays.copyOf(x, n);
                y = Arrays.copyOf(y, n);
            }
            x[size] = px;
            y[size] = py;
            size++;
            return;
        }
        long slot = capacity == 0 ? 0 : random.nextLong(seen);
        if (slot < capacity) {
            x[(int) slot] = px;
            y[(int) slot] = py;
        }
    }

    /** @return the number of points kept */
    public int size() {
        return size;
    }

    /** @return the number of points offered */
    public long seen() {
        return seen;
    }

    /** @return a copy of the kept x values */
    public double[] x() {
        return Arrays.copyOf(x, size);
    }

    /** @return a copy of the kept y values */
    public double[] y() {
        return Arrays.copyOf(y, size);
    }
}
