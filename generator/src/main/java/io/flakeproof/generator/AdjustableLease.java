package io.flakeproof.generator;

/**
 * A lease whose ceiling its owner sets: the lease registry raises it on every acknowledged renewal;
 * tests, jcstress and the simulator move it by hand. The datacenter, worker and floor are fixed.
 */
public final class AdjustableLease implements Lease {

    private final long datacenterId;
    private final long workerId;
    private final long floorTick;
    private volatile long ceilingTick;
    /** While set, the generator is held at the floor; the acknowledged ceiling is kept aside. */
    private volatile String suspension;
    private long ceilingWhileSuspended;

    /**
     * @param floorTick   the highest tick of earlier holders; the generator mints strictly above it
     * @param ceilingTick the initial ceiling (at most the floor: nothing may be minted yet)
     */
    public AdjustableLease(long datacenterId, long workerId, long floorTick, long ceilingTick) {
        if (floorTick < -1) {
            throw new IllegalArgumentException("floorTick must be at least -1: " + floorTick);
        }
        this.datacenterId = datacenterId;
        this.workerId = workerId;
        this.floorTick = floorTick;
        this.ceilingTick = ceilingTick;
    }

    @Override
    public long datacenterId() {
        return datacenterId;
    }

    @Override
    public long workerId() {
        return workerId;
    }

    @Override
    public long floorTick() {
        return floorTick;
    }

    @Override
    public long ceilingTick() {
        return ceilingTick;
    }

    /** Sets the ceiling. Lowering it is for tests: a real holder never lowers a ceiling it may mint under. */
    public void setCeilingTick(long tick) {
        this.ceilingTick = tick;
    }

    /** Raises the ceiling to {@code tick} if that is higher; never lowers it. While suspended, raises the kept one. */
    public synchronized void raiseCeilingTick(long tick) {
        if (suspension != null) {
            ceilingWhileSuspended = Math.max(ceilingWhileSuspended, tick);
        } else if (tick > ceilingTick) {
            ceilingTick = tick;
        }
    }

    /**
     * Holds the generator at the floor (it mints nothing more) until {@link #resume()}, keeping the
     * acknowledged ceiling aside. Lowering what the generator may mint is always safe.
     */
    public synchronized void suspend(String reason) {
        if (suspension == null) {
            ceilingWhileSuspended = ceilingTick;
        }
        suspension = reason;
        ceilingTick = floorTick;
    }

    /** Ends a {@link #suspend}: the generator may mint up to the acknowledged ceiling again. */
    public synchronized void resume() {
        if (suspension != null) {
            ceilingTick = ceilingWhileSuspended;
            suspension = null;
        }
    }

    @Override
    public String suspension() {
        return suspension;
    }

    /** The acknowledged ceiling, also while suspended. */
    public synchronized long acknowledgedCeilingTick() {
        return suspension != null ? ceilingWhileSuspended : ceilingTick;
    }

    @Override
    public String toString() {
        return "AdjustableLease[dc=" + datacenterId + ", worker=" + workerId + ", floor=" + floorTick
                + ", ceiling=" + ceilingTick + "]";
    }
}
