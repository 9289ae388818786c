package io.flakeproof.service;

import io.flakeproof.generator.BitLayout;
import java.time.Instant;
import java.util.List;

/**
 * A node's health, as {@code GET /health} shows it.
 *
 * @param status               OK, DEGRADED (serving, but a load balancer should prefer others) or
 *                             UNAVAILABLE (cannot mint)
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
        List<String> reasons) {

    /** ok, degraded or unavailable. */
    public enum Status { OK, DEGRADED, UNAVAILABLE }

    public NodeHealth {
        reasons = List.copyOf(reasons);
    }
}
