package io.flakeproof.generator.lease;

import io.flakeproof.generator.AdjustableLease;

/**
 * One holder's tenure of one worker: from a successful claim to its loss or release. Its
 * {@link #lease()} is what a generator obeys; the core raises its ceiling on every acknowledged
 * renewal and never lowers it below what the generator may already have minted.
 *
 * @param datacenterId the datacenter
 * @param workerId     the worker
 * @param holderEpoch  this tenure's holder epoch on the record
 * @param floorTick    the record's ceiling when it was claimed: every tick minted is above it
 * @param lease        the generator's view: floor and the acknowledged ceiling
 */
public record LeaseTerm(long datacenterId, long workerId, long holderEpoch, long floorTick, AdjustableLease lease) {
}
