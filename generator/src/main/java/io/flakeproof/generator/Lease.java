package io.flakeproof.generator;

/**
 * The generator's right to mint under one datacenter and worker ID, in ticks: it may mint ticks in
 * {@code (floorTick, ceilingTick]} and nothing else.
 *
 * <p>Assumptions and guarantees: the datacenter, worker and floor of one lease never change; the
 * ceiling may be read at any time from any thread (implementations make it a volatile read, once
 * per CAS of the generator) and, while the holder may still mint, never falls. A lease that moves
 * to another worker is a new lease and needs a new generator.
 */
public interface Lease {

    /** The datacenter field of every ID minted under this lease. */
    long datacenterId();

    /** The worker field of every ID minted under this lease. */
    long workerId();

    /** Ticks at or below the floor belong to earlier holders of the worker: -1 when there were none. */
    long floorTick();

    /** The highest tick the generator may mint in, as acknowledged by the registry; a volatile read. */
    long ceilingTick();

    /**
     * Why minting is held below the acknowledged ceiling (for example a clock offset beyond its bound),
     * or null. Only read to word a refusal.
     */
    default String suspension() {
        return null;
    }
}
