package io.flakeproof.simulation;

import java.util.SplittableRandom;

/**
 * The network between the nodes and ZooKeeper, and its faults: each request is delayed (now and then
 * by much longer, a slow reply), dropped before it is applied, or applied with its acknowledgement
 * lost; a listing (not synced) is now and then served by a lagging follower.
 * Rates are per run (swarm parameters) and raised by fault windows. Draws come from its own stream.
 */
final class Network {

    /** What happens to one request at the server. */
    enum Fate { DELIVER, DROP, LOSE_ACK }

    private final SplittableRandom random;
    private final long minDelayNanos;
    private final long maxDelayNanos;
    private final double baseDropRate;
    private final double baseLostAckRate;
    private final double baseStaleRate;
    private final double slowRate;
    private double dropRate;
    private double lostAckRate;
    private double staleRate;

    Network(SplittableRandom random, Params p) {
        this.random = random;
        this.minDelayNanos = p.minDelayNanos();
        this.maxDelayNanos = p.maxDelayNanos();
        this.baseDropRate = p.dropRate();
        this.baseLostAckRate = p.lostAckRate();
        this.baseStaleRate = p.staleRate();
        this.slowRate = p.slowRate();
        calm();
    }

    /** A fault window: requests dropped, acknowledgements lost and listings stale at high rates. */
    void storm(double lostAcks, double stale) {
        lostAckRate = Math.max(baseLostAckRate, lostAcks);
        staleRate = Math.max(baseStaleRate, stale);
        dropRate = Math.max(baseDropRate, lostAcks);
    }

    /** Back to the run's own rates. */
    void calm() {
        dropRate = baseDropRate;
        lostAckRate = baseLostAckRate;
        staleRate = baseStaleRate;
    }

    long delayNanos() {
        final long d = minDelayNanos + random.nextLong(Math.max(1, maxDelayNanos - minDelayNanos));
        return random.nextDouble() < slowRate ? d * 20 : d;
    }

    Fate fate(boolean write) {
        final double x = random.nextDouble();
        if (x < dropRate) {
            return Fate.DROP;
        }
        return write && x < dropRate + lostAckRate ? Fate.LOSE_ACK : Fate.DELIVER;
    }

    boolean staleRead() {
        return random.nextDouble() < staleRate;
    }

    /** How long a client takes to report an operation sent into a dead connection as lost. */
    long connectionLossNanos(long sessionTimeoutNanos) {
        return sessionTimeoutNanos / 3;
    }
}
