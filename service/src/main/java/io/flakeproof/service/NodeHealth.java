package io.flakeproof.service;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's health, as {@code GET /health} shows it.
 *
 * @param status               OK, DEGRADED (serving, but a load balancer should prefer others),
 *                             WARMING (just started, not ready for traffic) or UNAVAILABLE (cannot mint)
 * @param workerId             the leased worker, -1 when none
 * @param datacenterId         the datacenter
 * @param clusterId            the id of the cluster the node joined in its registry, null without a registry
 * @param clockOffsetMs        the local clock minus ZooKeeper's, null when not estimated (no registry)
 * @param leaseRemainingMs     wall time until the lease's acknowledged ceiling; -1 for a lease without one
 * @param sequenceUtilization  IDs minted over the last second divided by what the layout allows a worker
 *                             per second, in [0, 1]
 * @param layout               the fleet's layout
 * @param layoutExhaustsAt     when the layout's tick field overflows
 * @param reasons              why the status is not OK, one sentence each; empty when OK
 * @param operations           what a node on a leased worker adds for operators and alerts, or null
 *                             (a node with no registry)
 */
public record NodeHealth(
        Status status,
        long workerId,
        long datacenterId,
        String clusterId,
        Long clockOffsetMs,
        long leaseRemainingMs,
        double sequenceUtilization,
        BitLayout layout,
        Instant layoutExhaustsAt,
        List<String> reasons,
        Operations operations) {

    /**
     * ok, degraded, warming (a node that has just started and is exercising its own request path
     * before it takes traffic: serving, but answered 503 so that a load balancer waits) or
     * unavailable.
     */
    public enum Status { OK, DEGRADED, WARMING, UNAVAILABLE }

    public NodeHealth {
        reasons = List.copyOf(reasons);
    }

    /** This health with the status WARMING and the reason first, unless the node cannot mint at all. */
    public NodeHealth warming(String reason) {
        if (status == Status.UNAVAILABLE) {
            return this;
        }
        final List<String> withWarming = new ArrayList<>(reasons.size() + 1);
        withWarming.add(reason);
        withWarming.addAll(reasons);
        return new NodeHealth(Status.WARMING, workerId, datacenterId, clusterId, clockOffsetMs, leaseRemainingMs,
                sequenceUtilization, layout, layoutExhaustsAt, withWarming, operations);
    }

    /** A node with no registry: no {@link Operations}. */
    public NodeHealth(Status status, long workerId, long datacenterId, String clusterId, Long clockOffsetMs,
            long leaseRemainingMs, double sequenceUtilization, BitLayout layout, Instant layoutExhaustsAt,
            List<String> reasons) {
        this(status, workerId, datacenterId, clusterId, clockOffsetMs, leaseRemainingMs, sequenceUtilization, layout,
                layoutExhaustsAt, reasons, null);
    }

    /**
     * The figures that {@code /metrics} exports for alerts (docs/ops/README.md), as {@code /health} shows them.
     *
     * @param cluster                the cluster's name
     * @param leaseState             the lease's state
     * @param clockOffsetBoundMs     the clock offset to ZooKeeper beyond which minting is suspended
     * @param leaseWindowMs          how far ahead of its clock a renewal raises the ceiling
     * @param driftPolicy            the drift policy's kind and bounds
     * @param layoutRemainingSeconds seconds until the layout's tick field overflows (negative once it has)
     * @param workerPool             this datacenter's worker pool as last read from the registry, or null
     *                               before the first reading
     */
    public record Operations(String cluster, LeaseState leaseState, long clockOffsetBoundMs, long leaseWindowMs, DriftPolicy driftPolicy,
            long layoutRemainingSeconds, Pool workerPool) {
    }

    /**
     * A datacenter's worker pool, read from the registry on a schedule (never on a request's path).
     *
     * @param datacenterId    the datacenter
     * @param capacity        workers the layout allows in a datacenter
     * @param held            workers held by a live session at the reading
     * @param readingAgeSeconds how old the reading is
     */
    public record Pool(long datacenterId, long capacity, long held, double readingAgeSeconds) {
    }
}
