package io.flakeproof.simulation;

import io.flakeproof.generator.Lease;

/**
 * A term's lease as the simulator hands it to the generator: {@link #ceilingTick()} is the read the
 * generator makes between its checks and its CAS, so a caller told to stop there reads the ceiling,
 * lets virtual time pass (other callers, a takeover, a lost lease), and then goes on to its CAS with
 * what it read, as a thread descheduled at that instant would: not before its process runs again, and
 * never if the process died meanwhile ({@link SimNode#sleep}).
 */
final class PausingLease implements Lease {

    private final Lease inner;
    private final SimNode node;

    PausingLease(Lease inner, SimNode node) {
        this.inner = inner;
        this.node = node;
    }

    @Override
    public long datacenterId() {
        return inner.datacenterId();
    }

    @Override
    public long workerId() {
        return inner.workerId();
    }

    @Override
    public long floorTick() {
        return inner.floorTick();
    }

    @Override
    public long ceilingTick() {
        final long read = inner.ceilingTick();
        final long pause = node.takeCheckCasPause();
        if (pause > 0) {
            node.world().coverage().hit(Coverage.PAUSED_ACROSS_CAS);
            node.world().timeline(node, "a caller stops after reading ceiling " + read + ", before its CAS");
            node.sleep(pause);
        }
        return read;
    }

    @Override
    public String suspension() {
        return inner.suspension();
    }
}
