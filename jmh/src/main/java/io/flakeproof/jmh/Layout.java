package io.flakeproof.jmh;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.SnowflakeGenerator;

/** The two flakeproof layouts the benchmarks run on. */
public enum Layout {

    /** The default preset, 41/0/10/12 in 1 ms ticks: capped at 4,096 IDs per tick, 4,096,000 per second. */
    SNOWFLAKE(BitLayout.snowflake()),

    /**
     * A test layout, 41/0/0/22 in 1 ms ticks: 2^22 = 4,194,304 IDs per tick, about 4.2 billion per
     * second, far above what one machine can mint, so the benchmarks see the generator's raw speed
     * rather than the cap.
     */
    UNCAPPED(new BitLayout(41, 0, 0, 22, 1, BitLayout.DEFAULT_EPOCH.toEpochMilli()));

    private final BitLayout bits;

    Layout(BitLayout bits) {
        this.bits = bits;
    }

    /** A fresh generator on the system clock with the default drift policy, datacenter 0 and worker 0. */
    public SnowflakeGenerator newGenerator() {
        return SnowflakeGenerator.embedded(bits, 0, 0);
    }

    public BitLayout bits() {
        return bits;
    }
}
