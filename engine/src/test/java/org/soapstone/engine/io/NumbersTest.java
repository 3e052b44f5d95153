package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast number parser against the JDK's correctly rounded {@link Double#parseDouble}. */
class NumbersTest {
    private static void assertSameAsJdk(String text) {
        double expected = Double.parseDouble(text);
        double actual = Numbers.parseDouble(" " + text + " ", 1, text.length() + 1);
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), text);
    }

    @Test
    void agreesBitForBitWithTheJdkOnRandomDecimals() {
        Random rng = new Random(7);
        for (int t = 0; t < 50_000; t++) {
            double x = switch (t % 4) {
                case 0 -> rng.nextGaussian() * 10;
                case 1 -> Double.longBitsToDouble(rng.nextLong());
                case 2 -> (rng.nextInt(2_000_001) - 1_000_000) / Math.pow(10, rng.nextInt(12));
                default -> rng.nextDouble() * Math.pow(10, rng.nextInt(60) - 30);
            };
            if (!Double.isFinite(x)) {
                continue;
            }
            assertSameAsJdk(Double.toString(x));
            assertSameAsJdk(String.format(Locale.ROOT, "%16.8f", x).strip());
            assertSameAsJdk(String.format(Locale.ROOT, "%.17e", x));
            assertSameAsJdk(String.format(Locale.ROOT, "%.12g", x));
        }
    }

    @Test
    void acceptsPythonSpellings() {
        for (String s : new String[] {"1", "-0", "-0.0", "+2.5", ".5", "5.", "1e3", "1E-3", "6.02e+23",
            "123456789012345678901234567890", "0.000000000000000000000000000001", "4.9e-324", "1.7976931348623157e308",
            "2.2250738585072011e-308", "9007199254740993", "1e400", "1e-400"}) {
            assertSameAsJdk(s);
        }
        assertEquals(Double.POSITIVE_INFINITY, Numbers.parseDouble("inf", 0, 3));
        assertEquals(Double.NEGATIVE_INFINITY, Numbers.parseDouble("-Infinity", 0, 9));
        assertEquals(Double.NaN, Numbers.parseDouble("nan", 0, 3));
        assertEquals(-42L, Numbers.parseLong("-42", 0, 3));
    }

    @Test
    void rejectsWhatPythonRejectsAndJavaOnlyForms() {
        for (String s : new String[] {"", "-", ".", "e5", "1e", "1e+", "1.0d0", "1d", "1f", "0x1p3", "1..2", "1,5",
            "abc", "1 2", "infinit"}) {
            assertThrows(NumberFormatException.class, () -> Numbers.parseDouble(s, 0, s.length()), s);
        }
        for (String s : new String[] {"", "+", "1.0", "1e3", "99999999999999999999", "٣"}) {
            assertThrows(NumberFormatException.class, () -> Numbers.parseLong(s, 0, s.length()), s);
        }
    }
}
