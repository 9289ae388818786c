package io.flakeproof.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.StaticLease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MintedCounterTest {

    private static final BitLayout SNOWFLAKE = BitLayout.snowflake();
    private static final double CAPACITY = SNOWFLAKE.idsPerSecondPerWorker();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** Each term's generator on a worker of its own, so that no two mint the same IDs. */
    private long nextWorker = 1;
    /** What the lease reports: every generator it put in service, the current one last. */
    private final List<SnowflakeGenerator> generators = new ArrayList<>(List.of(newGenerator()));
    private final MintedCounter counter = new MintedCounter(clock, () -> generators);

    private SnowflakeGenerator newGenerator() {
        return new SnowflakeGenerator(SNOWFLAKE, new StaticLease(0, nextWorker++), clock, DriftPolicy.DEFAULT);
    }

    private SnowflakeGenerator current() {
        return generators.get(generators.size() - 1);
    }

    /** Advances the clock by {@code millis}, sampling every 100 ms as the node's timer does. */
    private void runFor(long millis) {
        for (long t = 0; t < millis; t += 100) {
            clock.advance(100);
            counter.sample();
        }
    }

    @Test
    void utilizationCountsOnlyTheLastSecondHoweverRarelyItIsRead() {
        counter.sample();
        // A busy second: 40% of the cap, minted 4,096 IDs per 10 ms.
        for (int i = 0; i < 100; i++) {
            current().nextIds(4096 * 4);
            clock.advance(10);
            if (i % 10 == 9) {
                counter.sample();
            }
        }
        assertThat(counter.utilizationOverLastSecond(CAPACITY)).isCloseTo(0.4, within(0.01));
        // Nine idle seconds with no health read: the busy second is out of the window.
        runFor(9_000);
        assertThat(counter.utilizationOverLastSecond(CAPACITY)).isZero();
    }

    @Test
    void inTheFirstSecondTheWindowIsWhatHasPassed() {
        counter.sample();
        final long start = clock.monotonicNanos();
        current().nextIds(204_800); // 50 ticks: the generator waits on the manual clock
        clock.advance(500 - (clock.monotonicNanos() - start) / 1_000_000);
        assertThat(counter.utilizationOverLastSecond(CAPACITY)).isCloseTo(0.1, within(0.001));
    }

    @Test
    void countsCoverEveryTermIncludingOnesReplacedBetweenReadings() {
        current().nextIds(1000);
        assertThat(counter.stats().idsMinted()).isEqualTo(1000);
        // Two new terms between readings, in the lease's order: the new generator is listed before
        // it mints, and the old one is sealed after the switch, while calls may still mint on it.
        for (int term = 0; term < 2; term++) {
            final SnowflakeGenerator old = current();
            generators.add(newGenerator());
            old.nextIds(10);
            old.seal();
            current().nextIds(500);
        }
        assertThat(counter.stats().idsMinted()).isEqualTo(1000 + 2 * 510);
    }
}
