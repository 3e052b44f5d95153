package org.soapstone.engine.io;

/**
 * Strict, allocation-free parsing of the numbers extended-XYZ files hold, accepting what Python's {@code float()}
 * and {@code int()} accept (as ASE does) except digit-group underscores: {@code 1}, {@code -2.5}, {@code .5},
 * {@code 1.}, {@code 1e-3}, {@code 6.02E+23}, {@code inf}, {@code -Infinity}, {@code nan}. Java-only forms
 * ({@code 1d}, {@code 0x1p3}) are rejected.
 *
 * <p>Results are correctly rounded: decimals of up to 18 significant digits with a power of ten within ±22 take
 * Clinger's exact fast path (one IEEE multiplication or division of two exact values); all others go to
 * {@link Double#parseDouble}.
 */
final class Numbers {
    private static final double[] POW10 = new double[23];
    private static final long EXACT_MANTISSA = 1L << 53;

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private Numbers() {}

    /**
     * @return the value of {@code s[from, to)} as a double
     * @throws NumberFormatException if that text is not a real number
     */
    static double parseDouble(String s, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long mantissa = 0;
        int significant = 0;
        int exp10 = 0;
        boolean digits = false;
        boolean inexact = false;
        while (i < to && isDigit(s.charAt(i))) {
            digits = true;
            if (significant < 18) {
                mantissa = 10 * mantissa + (s.charAt(i) - '0');
                if (mantissa != 0) {
                    significant++;
                }
            } else {
                exp10++;
                inexact = true;
            }
            i++;
        }
        if (i < to && s.charAt(i) == '.') {
            i++;
            while (i < to && isDigit(s.charAt(i))) {
                digits = true;
                if (significant < 18) {
                    mantissa = 10 * mantissa + (s.charAt(i) - '0');
                    if (mantissa != 0) {
                        significant++;
                    }
                    exp10--;
                } else {
                    inexact = true;
                }
                i++;
            }
        }
        if (!digits) {
            return special(s, from, to, i, negative);
        }
        if (i < to && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                negativeExponent = s.charAt(i) == '-';
                i++;
            }
            if (i == to) {
                throw notANumber(s, from, to);
            }
            int e = 0;
            while (i < to && isDigit(s.charAt(i))) {
                if (e < 100_000) {
                    e = 10 * e + (s.charAt(i) - '0');
                }
                i++;
            }
            exp10 += negativeExponent ? -e : e;
        }
        if (i != to) {
            throw notANumber(s, from, to);
        }
        if (!inexact && mantissa < EXACT_MANTISSA && exp10 >= -22 && exp10 <= 22) {
            double v = exp10 >= 0 ? mantissa * POW10[exp10] : mantissa / POW10[-exp10];
            return negative ? -v : v;
        }
        return Double.parseDouble(s.substring(from, to));
    }

    private static double special(String s, int from, int to, int unsignedStart, boolean negative) {
        String word = s.substring(unsignedStart, to);
        if (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (word.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        throw notANumber(s, from, to);
    }

    /**
     * @return the value of {@code s[from, to)} as a long: optional sign, then ASCII digits only
     * @throws NumberFormatException if that text is not an integer or does not fit a long
     */
    static long parseLong(String s, int from, int to) {
        int i = from;
        if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        if (i == to) {
            throw notANumber(s, from, to);
        }
        for (; i < to; i++) {
            if (!isDigit(s.charAt(i))) {
                throw notANumber(s, from, to);
            }
        }
        return Long.parseLong(s, from, to, 10);
    }

    /** @return true if {@code s} is an integer {@link #parseLong} accepts and that fits a long */
    static boolean isLong(String s) {
        try {
            parseLong(s, 0, s.length());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** @return true if {@code s} is a number {@link #parseDouble} accepts */
    static boolean isDouble(String s) {
        try {
            parseDouble(s, 0, s.length());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static NumberFormatException notANumber(String s, int from, int to) {
        return new NumberFormatException("'" + s.substring(from, to) + "'");
    }
}
