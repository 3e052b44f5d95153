package org.soapstone.gp.sparse;

/**
 * libAtoms' own random-number generator, the one gap_fit draws its sparse points from ({@code ran} and
 * {@code ran_uniform} in libAtoms' {@code System.f95}): the Park–Miller "minimal standard" multiplicative
 * congruential generator x ← 16807·x mod (2³¹ − 1), evaluated by Schrage's method, with uniform deviates
 * x/(2³¹ − 1). Seeded as {@code system_set_random_seeds} seeds it for gap_fit's {@code rnd_seed} (x = seed, then
 * 100 draws discarded to decorrelate the seed), so the same seed gives gap_fit's stream number for number. With
 * OpenMP, libAtoms seeds thread t with seed·(t + 1); gap_fit chooses sparse points on the main thread (t = 0).
 * Not thread-safe; one generator is shared, in order, by the terms of a fit as gap_fit shares its stream.
 *
 * <p>Reference: S. K. Park and K. W. Miller, Commun. ACM 31, 1192 (1988); L. Schrage, ACM Trans. Math. Softw.
 * 5, 132 (1979).
 */
public final class LibAtomsRandom {
    /** The modulus 2³¹ − 1, libAtoms' {@code ran_M} and its {@code RAN_MAX} ({@code huge(1)}). */
    public static final int MODULUS = 2147483647;
    private static final int MULTIPLIER = 16807;
    private static final int SCHRAGE_Q = 127773;
    private static final int SCHRAGE_R = 2836;
    /** Draws {@code system_set_random_seeds} discards after seeding. */
    private static final int DISCARDED = 100;

    private int state;

    /**
     * @param seed gap_fit's {@code rnd_seed}, 1 … 2³¹ − 2 (libAtoms' generator aborts on a zero state, which seed 0
     *     and seed 2³¹ − 1 give)
     * @throws IllegalArgumentException for a seed outside that range
     */
    public LibAtomsRandom(long seed) {
        if (seed < 1 || seed >= MODULUS) {
            throw new IllegalArgumentException("seed " + seed + " is outside 1.." + (MODULUS - 1)
                    + ": libAtoms' generator (gap_fit's rnd_seed) fails for it");
        }
        state = (int) seed;
        for (int i = 0; i < DISCARDED; i++) {
            next();
        }
    }

    /** @return the next state, 1 … 2³¹ − 2 (libAtoms' {@code ran()}) */
    public int next() {
        int k = state / SCHRAGE_Q;
        state = MULTIPLIER * (state - k * SCHRAGE_Q) - SCHRAGE_R * k;
        if (state < 0) {
            state += MODULUS;
        }
        return state;
    }

    /** @return a uniform deviate in (0, 1): the next state divided by 2³¹ − 1 (libAtoms' {@code ran_uniform()}) */
    public double uniform() {
        return (double) next() / (double) MODULUS;
    }

    /** @return ⌈u·n⌉ − 1 for the next uniform deviate u: gap_fit's {@code ceiling(ran_uniform()*n)}, 0-based */
    public int index(int n) {
        return (int) Math.ceil(uniform() * n) - 1;
    }
}
