package io.flakeproof.jcstress;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.Lease;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.StaticLease;
import java.time.Duration;

/** The set-up every test shares: the layout, the starting clock, the drift policy and the worker. */
final class Fixtures {

    /**
     * 41 tick bits of 1 ms, no datacenter, 21 worker bits, 1 sequence bit: 2 IDs per tick, so three
     * calls of one thread, or two of each of two, exhaust a tick. Only the sequence width matters here.
     */
    static final BitLayout TWO_PER_TICK =
            new BitLayout(41, 0, 21, 1, 1, BitLayout.DEFAULT_EPOCH.toEpochMilli());

    /** The tick the clock reads when a test starts; ceilings are set relative to it. */
    static final long START_TICK = 1_000;

    /**
     * ABSORB with a tolerance of one tick: a spent tick borrows the next one, a second spent tick waits
     * for the clock. The 1 s bound is virtual time and is never reached: each wait's pause moves the clock.
     */
    static final DriftPolicy ABSORB_ONE_TICK = DriftPolicy.absorb(Duration.ofMillis(1), Duration.ofSeconds(1));

    /** The worker every generator mints as; any value the layout holds would do. */
    static final long WORKER = 1;

    private Fixtures() {
    }

    /** A clock at the start of {@link #START_TICK}, moving only when a test, or a waiting generator, moves it. */
    static ManualClock clock() {
        return new ManualClock(TWO_PER_TICK.startMillisOf(START_TICK));
    }

    /** A generator with no ceiling. */
    static SnowflakeGenerator generator(ManualClock clock) {
        return generator(new StaticLease(0, WORKER), clock);
    }

    static SnowflakeGenerator generator(Lease lease, ManualClock clock) {
        return new SnowflakeGenerator(TWO_PER_TICK, lease, clock, ABSORB_ONE_TICK);
    }
}
