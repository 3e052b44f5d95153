package org.soapstone.engine.accuracy;

/**
 * Running mean absolute error, root-mean-square error and largest absolute error of a stream of signed errors,
 * in the unit the errors are given in.
 */
public final class ErrorAccumulator {
    private long count;
    private double sumAbs;
    private double sumSquares;
    private double max;

    /** Adds one error (predicted − reference, in the accumulator's unit). */
    public void add(double error) {
        double a = Math.abs(error);
        count++;
        sumAbs += a;
        sumSquares += a * a;
        max = Math.max(max, a);
    }

    /** @return the number of errors added */
    public long count() {
        return count;
    }

    /** @return the mean absolute error (NaN if none) */
    public double mae() {
        return count == 0 ? Double.NaN : sumAbs / count;
    }

    /** @return the root-mean-square error (NaN if none) */
    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(sumSquares / count);
    }

    /** @return the largest absolute error (NaN if none) */
    public double max() {
        return count == 0 ? Double.NaN : max;
    }
}
