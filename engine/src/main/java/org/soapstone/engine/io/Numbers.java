package org.soapstone.engine.io;

import java.math.BigInteger;

/**
 * Strict, allocation-free parsing of the numbers extended-XYZ files hold, accepting what Python's {@code float()}
 * and {@code int()} accept (as ASE does) except digit-group underscores: {@code 1}, {@code -2.5}, {@code .5},
 * {@code 1.}, {@code 1e-3}, {@code 6.02E+23}, {@code inf}, {@code -Infinity}, {@code nan}. Java-only forms
 * ({@code 1d}, {@code 0x1p3}) are rejected.
 *
 * <p>Results are correctly rounded. Decimals of up to 18 significant digits take Clinger's exact fast path (one IEEE
 * multiplication or division of two exact values) when the significand is below 2^53 and the power of ten within
 * ±22, else the Eisel–Lemire algorithm (which covers the 16–17-digit shortest representations our writer produces);
 * the rare cases these cannot decide, and longer decimals, go to {@link Double#parseDouble}.
 */
final class Numbers {
    private static final double[] POW10 = new double[23];
    private static final long EXACT_MANTISSA = 1L << 53;
    private static final int MIN_Q = -342;
    private static final int MAX_Q = 308;
    /** 5^q normalised to 128 bits (truncated for q ≥ 0, rounded up for q < 0): high and low 64-bit halves. */
    private static final long[] POW5_HIGH = new long[MAX_Q - MIN_Q + 1];
    private static final long[] POW5_LOW = new long[MAX_Q - MIN_Q + 1];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
        BigInteger five = BigInteger.valueOf(5);
        BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int q = MIN_Q; q <= MAX_Q; q++) {
            BigInteger v;
            if (q >= 0) {
                v = five.pow(q);
                int shift = v.bitLength() - 128;
                v = shift > 0 ? v.shiftRight(shift) : v.shiftLeft(-shift);
            } else {
                BigInteger z = five.pow(-q);
                int b = z.bitLength() + 127;
                v = BigInteger.ONE.shiftLeft(b).divide(z).add(BigInteger.ONE);
            }
            POW5_HIGH[q - MIN_Q] = v.shiftRight(64).longValue();
            POW5_LOW[q - MIN_Q] = v.and(mask).longValue();
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
        if (!inexact) {
            double v;
            if (mantissa < EXACT_MANTISSA && exp10 >= -22 && exp10 <= 22) {
                v = exp10 >= 0 ? mantissa * POW10[exp10] : mantissa / POW10[-exp10];
                return negative ? -v : v;
            }
            v = eiselLemire(mantissa, exp10);
            if (!Double.isNaN(v)) {
                return negative ? -v : v;
            }
        }
        return Double.parseDouble(s.substring(from, to));
    }

    /**
     * The Eisel–Lemire algorithm: the correctly rounded double nearest to w·10^q from a 128-bit approximation of
     * 10^q, or NaN when the approximation cannot decide (rare; the caller then uses the JDK). D. Lemire, "Number
     * parsing at a gigabyte per second", Software: Practice and Experience 51, 1700 (2021), Algorithm 1, as in the
     * fast_float library; subnormal and overflowing results are left to the JDK.
     */
    private static double eiselLemire(long w, int q) {
        if (w == 0) {
            return 0.0;
        }
        if (q < MIN_Q || q > MAX_Q) {
            return Double.NaN;
        }
        int lz = Long.numberOfLeadingZeros(w);
        w <<= lz;
        long tableHigh = POW5_HIGH[q - MIN_Q];
        long lo = w * tableHigh;
        long hi = Math.unsignedMultiplyHigh(w, tableHigh);
        if ((hi & 0x1FF) == 0x1FF) {
            long secondHigh = Math.unsignedMultiplyHigh(w, POW5_LOW[q - MIN_Q]);
            lo += secondHigh;
            if (Long.compareUnsigned(secondHigh, lo) > 0) {
                hi++;
            }
        }
        if (lo == -1L && (q < -27 || q > 55)) {
            return Double.NaN;
        }
        int upperBit = (int) (hi >>> 63);
        long mantissa = hi >>> (upperBit + 9);
        int power2 = (((152170 + 65536) * q) >> 16) + 63 + upperBit - lz + 1023;
        if (power2 <= 0) {
            return Double.NaN;
        }
        if (Long.compareUnsigned(lo, 1) <= 0 && q >= -4 && q <= 23 && (mantissa & 3) == 1) {
            return Double.NaN; // possibly exactly halfway between two doubles
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >= (2L << 52)) {
            mantissa = 1L << 52;
            power2++;
        }
        mantissa &= ~(1L << 52);
        if (power2 >= 0x7FF) {
            return Double.NaN;
        }
        return Double.longBitsToDouble(mantissa | ((long) power2 << 52));
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
