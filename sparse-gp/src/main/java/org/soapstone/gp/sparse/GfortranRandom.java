package org.soapstone.gp.sparse;

/**
 * The Fortran intrinsic {@code random_number} of gfortran (9 and later; libgfortran's {@code random.c}), which
 * gap_fit's {@code sparse_method=random} draws from ({@code fill_random_integer} in libAtoms'
 * {@code linearalgebra.f95}): the xoshiro256** generator, seeded as libAtoms' {@code system_set_random_seeds}
 * seeds it for {@code rnd_seed} — {@code random_seed(put=seed_a)} with every element of {@code seed_a} equal to
 * the seed, which gfortran packs into four 64-bit words and XORs with its fixed keys — and real(8) deviates made of
 * the top 53 bits of each output. gap_fit seeds it on its main thread, which then draws from that state.
 *
 * <p>Reference: D. Blackman and S. Vigna, ACM Trans. Math. Softw. 47, 36 (2021) (xoshiro256**).
 */
public final class GfortranRandom {
    /** libgfortran's keys for scrambling a seed given with {@code random_seed(put=...)}. */
    private static final long[] XOR_KEYS = {
        0xbd0c5b6e50c2df49L, 0xd46061cd46e1df38L, 0xbb4f4d4ed6103544L, 0x114a583d0756ad39L,
    };

    private final long[] s = new long[4];

    /** @param seed gap_fit's {@code rnd_seed}, as the default (32-bit) Fortran integer it is */
    public GfortranRandom(long seed) {
        long half = seed & 0xFFFFFFFFL;
        long word = half | (half << 32);
        for (int k = 0; k < 4; k++) {
            s[k] = word ^ XOR_KEYS[k];
        }
    }

    /** @return the next 64-bit output of xoshiro256** */
    public long next() {
        long result = Long.rotateLeft(s[1] * 5, 7) * 9;
        long t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = Long.rotateLeft(s[3], 45);
        return result;
    }

    /** @return a uniform deviate in [0, 1): the top 53 bits of the next output over 2⁵³ (gfortran's real(8)) */
    public double uniform() {
        return (next() >>> 11) * 0x1.0p-53;
    }
}
