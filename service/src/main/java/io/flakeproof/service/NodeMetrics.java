package io.flakeproof.service;

import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.GeneratorStats;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.lease.LeaseCore;
import io.flakeproof.generator.lease.LeaseStatus;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

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
        gauge(registry, "flakeproof_lease_remaining_ms", "Wall time until the acknowledged ceiling, in milliseconds",
                node, LeaseStatus::remainingMillis);
        gauge(registry, "flakeproof_clock_offset_ms", "Local clock minus ZooKeeper's, from the last renewal, in milliseconds",
                node, LeaseStatus::clockOffsetMillis);
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
        registerOperations(node, registry);
    }

    /** The figures alerts are written against: lease state, configured bounds, layout time left, worker pool. */
    private static void registerOperations(LeasedNode node, PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("flakeproof_lease_state")
                .help("1 for the lease's current state, 0 for the others (held, renewing_late, suspended, lost, closed)")
                .labelNames("state")
                .callback(cb -> {
                    final LeaseState current = node.operations().leaseState();
                    for (LeaseState state : LeaseState.values()) {
                        cb.call(state == current ? 1 : 0, state.label());
                    }
                }).register(registry);
        operations(registry, "flakeproof_clock_offset_bound_ms", "Clock offset to ZooKeeper beyond which minting is "
                + "suspended, in milliseconds (configured)", node, NodeHealth.Operations::clockOffsetBoundMs);
        operations(registry, "flakeproof_lease_window_ms", "How far ahead of the clock a renewal raises the lease "
                + "ceiling, in milliseconds (configured)", node, NodeHealth.Operations::leaseWindowMs);
        driftBound(registry, "flakeproof_drift_tolerance_ms", "How far ahead of a clock that stepped back the drift "
                + "policy keeps minting, in milliseconds (configured; 0 unless absorb)", node, DriftPolicy::tolerance);
        driftBound(registry, "flakeproof_drift_max_wait_ms", "Longest a mint waits for a clock that stepped back before "
                + "it is refused, in milliseconds (configured; 0 for fail)", node, DriftPolicy::maxWait);
        operations(registry, "flakeproof_layout_remaining_seconds", "Time until the layout's tick field overflows and "
                + "the node refuses to mint, in seconds", node, NodeHealth.Operations::layoutRemainingSeconds);
        GaugeWithCallback.builder().name("flakeproof_worker_pool_capacity")
                .help("Workers the layout allows in this node's datacenter, a count")
                .labelNames("cluster", "datacenter")
                .callback(cb -> cb.call(node.layout().workerCapacity(), node.operations().cluster(),
                        Long.toString(node.lease().status().datacenterId()))).register(registry);
        poolReading(registry, "flakeproof_worker_pool_held", "Workers of this node's datacenter held by a live node, "
                + "a count, as last read from the registry (absent before the first reading)", node, NodeHealth.Pool::held);
        poolReading(registry, "flakeproof_worker_pool_reading_age_seconds", "Age of the last worker pool reading from "
                + "the registry, in seconds (read every " + WorkerPool.PERIOD.toSeconds() + " s)", node,
                NodeHealth.Pool::readingAgeSeconds);
    }

    private static void operations(PrometheusRegistry registry, String name, String help, LeasedNode node,
            ToDoubleFunction<NodeHealth.Operations> value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.applyAsDouble(node.operations()))).register(registry);
    }

    /** A bound of the drift policy in milliseconds, labelled by the policy's kind. */
    private static void driftBound(PrometheusRegistry registry, String name, String help, LeasedNode node,
            Function<DriftPolicy, Duration> bound) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("policy")
                .callback(cb -> {
                    final DriftPolicy policy = node.operations().driftPolicy();
                    cb.call(bound.apply(policy).toMillis(), policy.kind().name().toLowerCase(Locale.ROOT));
                }).register(registry);
    }

    /** A figure of the worker pool reading, labelled by cluster and datacenter; absent before the first reading. */
    private static void poolReading(PrometheusRegistry registry, String name, String help, LeasedNode node,
            ToDoubleFunction<NodeHealth.Pool> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("cluster", "datacenter")
                .callback(cb -> {
                    final NodeHealth.Operations ops = node.operations();
                    if (ops.workerPool() != null) {
                        cb.call(value.applyAsDouble(ops.workerPool()), ops.cluster(),
                                Long.toString(ops.workerPool().datacenterId()));
                    }
                }).register(registry);
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
