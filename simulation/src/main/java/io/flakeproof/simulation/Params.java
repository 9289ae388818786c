package io.flakeproof.simulation;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import java.util.SplittableRandom;

/**
 * One run's world, drawn from its seed (TigerBeetle's swarm testing): how many nodes, how many
 * workers (small pools force takeovers), the layout's sequence bits, the lease window, the session
 * timeout, the clock offset bound, the fault rates, the request rate and batch sizes, the number of
 * faults. A campaign may fix any of them ({@link Overrides}).
 */
record Params(long seed, String protocol, DriftPolicy policy, Scenario scenario, int nodes, int workerBits,
        int sequenceBits, long durationNanos, long windowMillis, long sessionTimeoutMillis, long offsetBoundMillis,
        long retryMillis, double requestsPerSecond, int maxBatch, long minDelayNanos, long maxDelayNanos,
        double dropRate, double lostAckRate, double staleRate, double slowRate, int faults,
        long maxInitialOffsetNanos) {

    /** Values a campaign fixes instead of drawing; null (or negative) for "draw it". */
    record Overrides(Integer nodes, Integer workerBits, Long durationSeconds, Long windowMillis,
            Long sessionTimeoutMillis, Integer faults, Double requestsPerSecond) {
        static final Overrides NONE = new Overrides(null, null, null, null, null, null, null);
    }

    static Params draw(long seed, String protocol, DriftPolicy policy, Scenario scenario, Overrides o) {
        final SplittableRandom r = new SplittableRandom(seed ^ 0x5EEDL);
        final int nodes = o.nodes() != null ? o.nodes() : 2 + r.nextInt(4);
        final int workerBits = o.workerBits() != null ? o.workerBits() : r.nextInt(4);
        final int sequenceBits = 6 + r.nextInt(7);
        final long duration = (o.durationSeconds() != null ? o.durationSeconds() : 20 + r.nextInt(31)) * 1_000_000_000L;
        final long window = o.windowMillis() != null ? o.windowMillis() : 300 + r.nextInt(2700);
        final long session = o.sessionTimeoutMillis() != null ? o.sessionTimeoutMillis() : 200 + r.nextInt(1800);
        final long offsetBound = 100 + r.nextInt(900);
        final double rate = o.requestsPerSecond() != null ? o.requestsPerSecond() : 100 + r.nextInt(401);
        final int maxBatch = 16 << r.nextInt(5);
        final long minDelay = 100_000 + r.nextInt(400_000);
        final long maxDelay = minDelay + 200_000 + r.nextInt(2_000_000);
        final double drop = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.02;
        final double lostAck = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.02;
        final double stale = r.nextInt(2) == 0 ? 0 : r.nextDouble() * 0.05;
        final int faults = o.faults() != null ? o.faults() : 2 + r.nextInt(11);
        final long initialOffset = (long) (offsetBound * 1_000_000L * 0.4);
        return new Params(seed, protocol, policy, scenario, nodes, workerBits, sequenceBits, duration, window, session,
                offsetBound, 50 + r.nextInt(200), rate, maxBatch, minDelay, maxDelay, drop, lostAck, stale, 0.01,
                faults, initialOffset);
    }

    /** The layout: 41 tick bits of 1 ms, this run's worker and sequence bits, the rest datacenter bits. */
    BitLayout layout() {
        return new BitLayout(41, 22 - workerBits - sequenceBits, workerBits, sequenceBits, 1,
                BitLayout.DEFAULT_EPOCH.toEpochMilli());
    }

    /** One line: the seed and the drawn parameters, printed first by every run. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "seed %d: protocol %s, policy %s, scenario %s, %d nodes, %d workers, "
                        + "%d sequence bits, %d s, window %d ms, session %d ms, offset bound %d ms, %.0f requests/s per "
                        + "node, batches up to %d, delay %.1f-%.1f ms, drop %.3f, lost acks %.3f, stale reads %.3f, %d faults",
                seed, protocol, policy, scenario.name().toLowerCase(java.util.Locale.ROOT), nodes,
                1 << workerBits, sequenceBits, durationNanos / 1_000_000_000L, windowMillis, sessionTimeoutMillis,
                offsetBoundMillis, requestsPerSecond, maxBatch, minDelayNanos / 1e6, maxDelayNanos / 1e6, dropRate,
                lostAckRate, staleRate, faults);
    }
}
