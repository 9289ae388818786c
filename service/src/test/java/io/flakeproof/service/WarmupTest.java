package io.flakeproof.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.StaticLease;
import io.flakeproof.generator.SystemClock;
import io.flakeproof.service.http.HttpNodeServer;
import io.flakeproof.service.http.HttpSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The warm-up sends the node's real HTTP server its whole request mix, and stops at either bound. */
class WarmupTest {

    @Test
    void sendsEveryRequestOfTheMixAndMintsOnlyIdsNobodyReceives() {
        final SnowflakeGenerator generator = new SnowflakeGenerator(BitLayout.snowflake(), new StaticLease(0, 7),
                SystemClock.INSTANCE, DriftPolicy.DEFAULT);
        final StaticNode node = new StaticNode(generator);
        try (HttpNodeServer server = HttpNodeServer.start(node, new HttpSettings("127.0.0.1", 0, 100_000, 65_536),
                new PrometheusRegistry())) {
            final Warmup.Result result = Warmup.run(new InetSocketAddress("127.0.0.1", server.port()),
                    Duration.ofMinutes(5), SystemClock.INSTANCE);

            assertThat(result.completed()).as(result.describe()).isTrue();
            final long mixed = Warmup.SINGLE_IDS / Warmup.MIX_EVERY;
            final long metrics = Warmup.SINGLE_IDS / (Warmup.MIX_EVERY * 50);
            assertThat(result.requests()).isEqualTo(Warmup.SINGLE_IDS + mixed + metrics);
            assertThat(generator.stats().idsMinted()).as("singles, batches, ranges").isGreaterThan(Warmup.SINGLE_IDS);
            assertThat(result.describe()).matches("warmed up with [\\d,]+ requests in \\d+\\.\\d s");
        }
    }

    @Test
    void stopsAtItsTimeBound() {
        final ManualClock clock = new ManualClock(0); // its time stands still: a zero budget is spent at once
        final Warmup.Result result = Warmup.run(new InetSocketAddress("127.0.0.1", 1), Duration.ZERO, clock);
        assertThat(result.completed()).isFalse();
        assertThat(result.requests()).isZero();
    }
}
