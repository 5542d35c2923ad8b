package io.meridian.fleetsim;

import java.nio.charset.StandardCharsets;

/** Stateless pseudo-random numbers: the same (seed, key, step) always gives the same value. */
final class SplitMix {

    private SplitMix() {}

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long hash(long seed, String key) {
        long h = seed;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b) + 0x9E3779B97F4A7C15L;
        }
        return mix(h);
    }

    /** A uniform double in [0, 1). */
    static double unit(long bits) {
        return (mix(bits) >>> 11) * 0x1.0p-53;
    }
}
