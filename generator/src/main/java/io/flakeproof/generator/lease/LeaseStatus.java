package io.flakeproof.generator.lease;

/**
 * A reading of a lease core for health checks and metrics.
 *
 * @param phase              where the core is
 * @param workerId           the current term's worker, -1 before the first grant
 * @param datacenterId       the datacenter
 * @param holderEpoch        the current term's holder epoch, -1 before the first grant
 * @param ackedCeilingTick   the highest tick the store acknowledged for the current term
 * @param remainingMillis    wall time until the acknowledged ceiling is reached (0 unless held)
 * @param offsetKnown        whether a clock offset was estimated yet
 * @param clockOffsetMillis  local clock minus the store's, from the last acknowledged write
 * @param offsetBeyondBound  whether minting is suspended for the offset
 * @param acquisitions       terms granted
 * @param renewalsOk         renewals acknowledged (directly or after resolving an unknown outcome)
 * @param renewalsFailed     renewals refused or failed
 * @param renewalsUnknown    renewals whose outcome was unknown at first
 * @param lastProblem        the latest failure, or empty
 * @param clusterId          the id of the cluster this node joined, or empty before it did
 */
public record LeaseStatus(
        LeaseCore.Phase phase,
        long workerId,
        long datacenterId,
        long holderEpoch,
        long ackedCeilingTick,
        long remainingMillis,
        boolean offsetKnown,
        long clockOffsetMillis,
        boolean offsetBeyondBound,
        long acquisitions,
        long renewalsOk,
        long renewalsFailed,
        long renewalsUnknown,
        String lastProblem,
        String clusterId) {
}
