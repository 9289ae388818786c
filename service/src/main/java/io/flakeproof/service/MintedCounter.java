package io.flakeproof.service;

import io.flakeproof.generator.Clock;
import io.flakeproof.generator.GeneratorStats;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * A node's generator counters across lease terms, and its IDs per second.
 *
 * <p>Each lease term has its own generator; when a term is replaced, the old generator is sealed
 * and its final counts are added to a base, so that the node's counters never go backwards.
 * Utilization is measured against samples of the minted count that the node takes on a timer
 * ({@link #sample}, every {@link #SAMPLE_PERIOD}): the IDs minted since the newest sample at least a
 * second old, so the window is one second (plus at most a period) however rarely health is read.
 */
final class MintedCounter {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    /** How often the node calls {@link #sample}. */
    static final Duration SAMPLE_PERIOD = Duration.ofMillis(100);

    private final Clock clock;
    private final Supplier<SnowflakeGenerator> current;

    private SnowflakeGenerator counted;
    private long[] base = zeroes();
    private long baseMaxDrift;
    private final Deque<long[]> samples = new ArrayDeque<>();

    MintedCounter(Clock clock, Supplier<SnowflakeGenerator> current) {
        this.clock = clock;
        this.current = current;
    }

    /** The counters of every generator this node had, summed. */
    synchronized GeneratorStats stats() {
        final SnowflakeGenerator now = current.get();
        if (now != counted) {
            if (counted != null) {
                final GeneratorStats retired = counted.stats();
                base = add(base, flatten(retired));
                baseMaxDrift = Math.max(baseMaxDrift, retired.maxBackwardDriftMillis());
            }
            counted = now;
        }
        final GeneratorStats live = counted == null ? null : counted.stats();
        final long[] total = live == null ? base : add(base, flatten(live));
        final long[] refusals = new long[MintRefusedException.Cause.values().length];
        System.arraycopy(total, 6, refusals, 0, refusals.length);
        final long maxDrift = Math.max(baseMaxDrift, live == null ? 0 : live.maxBackwardDriftMillis());
        return new GeneratorStats(total[0], total[1], total[2], total[3], total[4], maxDrift, total[5], refusals);
    }

    /** Records the minted count now; samples older than the window are dropped but for the newest of them. */
    synchronized void sample() {
        final long nowNanos = clock.monotonicNanos();
        samples.addLast(new long[] {nowNanos, stats().idsMinted()});
        while (samples.size() > 1 && nowNanos - secondOldest()[0] >= WINDOW_NANOS) {
            samples.removeFirst();
        }
    }

    /**
     * IDs minted since the newest sample at least a second old (or, in the node's first second, the
     * oldest sample), per second, divided by what the layout allows one worker in a second.
     */
    synchronized double utilizationOverLastSecond(double idsPerSecondCapacity) {
        final long nowNanos = clock.monotonicNanos();
        final long total = stats().idsMinted();
        long[] from = null;
        for (long[] s : samples) {
            if (from == null || nowNanos - s[0] >= WINDOW_NANOS) {
                from = s;
            }
        }
        if (from == null || nowNanos <= from[0]) {
            return 0.0;
        }
        final double perSecond = (total - from[1]) * 1e9 / (nowNanos - from[0]);
        return Math.min(1.0, perSecond / idsPerSecondCapacity);
    }

    private long[] secondOldest() {
        final Iterator<long[]> it = samples.iterator();
        it.next();
        return it.next();
    }

    /** idsMinted, batches, exhaustions, borrowed, behind readings, wait nanos, then refusals by cause. */
    private static long[] flatten(GeneratorStats s) {
        final long[] refusals = s.refusalsByCause();
        final long[] out = new long[6 + refusals.length];
        out[0] = s.idsMinted();
        out[1] = s.batches();
        out[2] = s.sequenceExhaustions();
        out[3] = s.borrowedTicks();
        out[4] = s.clockBehindReadings();
        out[5] = s.waitNanos();
        System.arraycopy(refusals, 0, out, 6, refusals.length);
        return out;
    }

    private static long[] zeroes() {
        return new long[6 + MintRefusedException.Cause.values().length];
    }

    private static long[] add(long[] a, long[] b) {
        final long[] sum = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }
}
