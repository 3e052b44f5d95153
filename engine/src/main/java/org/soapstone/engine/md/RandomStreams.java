package org.soapstone.engine.md;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/** The one random-number generator of MD: xoroshiro128++ seeded from a long, so a seed fixes the run bit for bit. */
final class RandomStreams {
    private RandomStreams() {}

    static UniformRandomProvider create(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    }
}
