package io.flakeproof.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.StaticLease;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MintedCounterTest {

    private static final BitLayout SNOWFLAKE = BitLayout.snowflake();
    private static final double CAPACITY = SNOWFLAKE.idsPerSecondPerWorker();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicReference<SnowflakeGenerator> generator = new AtomicReference<>(
            new SnowflakeGenerator(SNOWFLAKE, new StaticLease(0, 1), clock, DriftPolicy.DEFAULT));
    private final MintedCounter counter = new MintedCounter(clock, generator::get);

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
            generator.get().nextIds(4096 * 4);
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
        generator.get().nextIds(204_800); // 50 ticks: the generator waits on the manual clock
        clock.advance(500 - (clock.monotonicNanos() - start) / 1_000_000);
        assertThat(counter.utilizationOverLastSecond(CAPACITY)).isCloseTo(0.1, within(0.001));
    }

    @Test
    void countsSurviveANewTermsGenerator() {
        generator.get().nextIds(1000);
        counter.sample(); // the node's timer sees each term's generator
        final SnowflakeGenerator old = generator.get();
        old.seal();
        generator.set(new SnowflakeGenerator(SNOWFLAKE, new StaticLease(0, 1), clock, DriftPolicy.DEFAULT));
        generator.get().nextIds(500);
        assertThat(counter.stats().idsMinted()).isEqualTo(1500);
    }
}
