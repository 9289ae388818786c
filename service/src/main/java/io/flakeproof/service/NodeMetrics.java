package io.flakeproof.service;

import io.flakeproof.generator.GeneratorStats;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.lease.LeaseCore;
import io.flakeproof.generator.lease.LeaseStatus;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/**
 * The generator's and the lease's metrics, read at scrape time from a {@link LeasedNode}.
 * (The HTTP layer registers its own request metrics.)
 */
public final class NodeMetrics {

    private NodeMetrics() {
    }

    /** Registers every metric of {@code node} in {@code registry}. */
    public static void register(LeasedNode node, PrometheusRegistry registry) {
        counter(registry, "flakeproof_ids_minted", "IDs handed out by this node's generators", node, GeneratorStats::idsMinted);
        counter(registry, "flakeproof_batches", "Batch and range calls", node, GeneratorStats::batches);
        counter(registry, "flakeproof_sequence_exhaustions", "Claims that found their tick's sequence spent", node,
                GeneratorStats::sequenceExhaustions);
        counter(registry, "flakeproof_borrowed_ticks", "Ticks minted ahead of the clock under ABSORB", node,
                GeneratorStats::borrowedTicks);
        counter(registry, "flakeproof_clock_behind_readings", "Claims that read the clock behind a tick already taken", node,
                GeneratorStats::clockBehindReadings);
        GaugeWithCallback.builder().name("flakeproof_max_backward_drift_ms")
                .help("Largest backward clock drift seen, in milliseconds")
                .callback(cb -> cb.call(node.generatorStats().maxBackwardDriftMillis())).register(registry);
        CounterWithCallback.builder().name("flakeproof_clock_wait_seconds")
                .help("Time spent waiting for the clock, summed over calls")
                .callback(cb -> cb.call(node.generatorStats().waitNanos() / 1e9)).register(registry);
        CounterWithCallback.builder().name("flakeproof_refusals").help("Mints refused, by cause").labelNames("cause")
                .callback(cb -> {
                    final GeneratorStats stats = node.generatorStats();
                    for (MintRefusedException.Cause cause : MintRefusedException.Cause.values()) {
                        cb.call(stats.refusals(cause), cause.name().toLowerCase(Locale.ROOT));
                    }
                }).register(registry);

        GaugeWithCallback.builder().name("flakeproof_lease_held").help("1 while a lease term is held and renewed")
                .callback(cb -> cb.call(node.lease().status().phase() == LeaseCore.Phase.HELD ? 1 : 0)).register(registry);
        gauge(registry, "flakeproof_worker_id", "The leased worker ID, -1 when none", node, LeaseStatus::workerId);
        gauge(registry, "flakeproof_lease_ceiling_tick", "The acknowledged ceiling tick", node, LeaseStatus::ackedCeilingTick);
        gauge(registry, "flakeproof_lease_remaining_ms", "Wall time until the acknowledged ceiling", node,
                LeaseStatus::remainingMillis);
        gauge(registry, "flakeproof_clock_offset_ms", "Local clock minus ZooKeeper's, from the last renewal", node,
                LeaseStatus::clockOffsetMillis);
        CounterWithCallback.builder().name("flakeproof_lease_acquisitions").help("Lease terms granted")
                .callback(cb -> cb.call(node.lease().status().acquisitions())).register(registry);
        CounterWithCallback.builder().name("flakeproof_lease_renewals").help("Renewals by outcome").labelNames("result")
                .callback(cb -> {
                    final LeaseStatus s = node.lease().status();
                    cb.call(s.renewalsOk(), "ok");
                    cb.call(s.renewalsFailed(), "failed");
                    cb.call(s.renewalsUnknown(), "unknown");
                }).register(registry);
        GaugeWithCallback.builder().name("flakeproof_sequence_utilization")
                .help("IDs per second over the last second, as a share of one worker's capacity")
                .callback(cb -> cb.call(node.health().sequenceUtilization())).register(registry);
    }

    private interface StatsValue {
        long of(GeneratorStats stats);
    }

    private interface StatusValue {
        long of(LeaseStatus status);
    }

    private static void counter(PrometheusRegistry registry, String name, String help, LeasedNode node, StatsValue value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.of(node.generatorStats()))).register(registry);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, LeasedNode node, StatusValue value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.of(node.lease().status()))).register(registry);
    }
}
