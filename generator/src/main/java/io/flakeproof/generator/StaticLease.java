package io.flakeproof.generator;

/**
 * A fixed datacenter and worker with no ceiling, for embedding the generator where worker IDs are
 * assigned by hand. Uniqueness then rests on the operator: two processes with the same IDs collide.
 *
 * @param datacenterId the datacenter field
 * @param workerId     the worker field
 */
public record StaticLease(long datacenterId, long workerId) implements Lease {

    @Override
    public long floorTick() {
        return -1;
    }

    @Override
    public long ceilingTick() {
        return Long.MAX_VALUE;
    }
}
