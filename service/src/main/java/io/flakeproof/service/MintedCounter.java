package io.flakeproof.service;

import io.flakeproof.generator.Clock;
import io.flakeproof.generator.GeneratorStats;
import io.flakeproof.generator.SnowflakeGenerator;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * A node's generator counters across lease terms, and its IDs per second.
 *
 * <p>Each lease term has its own generator; the counters are summed over every generator the lease
 * ever put in service (the lease adds each one before it can mint, and sealed ones keep their
 * counts), so that the node's counters never go backwards and a term replaced between two readings
 * is still counted. Utilization is measured against samples of the minted count that the node takes
 * on a timer ({@link #sample}, every {@link #SAMPLE_PERIOD}): the IDs minted since the newest sample
 * at least a second old, so the window is one second (plus at most a period) however rarely health
 * is read.
 */
final class MintedCounter {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    /** How often the node calls {@link #sample}. */
    static final Duration SAMPLE_PERIOD = Duration.ofMillis(100);

    /** More samples than a window holds: a clock that does not advance cannot grow the list for ever. */
    private static final int MAX_SAMPLES = 64;

    private final Clock clock;
    private final Supplier<List<SnowflakeGenerator>> generators;
    private final Deque<long[]> samples = new ArrayDeque<>();

    MintedCounter(Clock clock, Supplier<List<SnowflakeGenerator>> generators) {
        this.clock = clock;
        this.generators = generators;
    }

    /** The counters of every generator this node had, summed. */
    GeneratorStats stats() {
        GeneratorStats total = GeneratorStats.NONE;
        for (SnowflakeGenerator g : generators.get()) {
            total = total.plus(g.stats());
        }
        return total;
    }

    /** IDs minted by every generator this node had: what the samples need, without the other counters. */
    private long idsMinted() {
        long total = 0;
        for (SnowflakeGenerator g : generators.get()) {
            total += g.idsMinted();
        }
        return total;
    }

    /** Records the minted count now; samples older than the window are dropped but for the newest of them. */
    synchronized void sample() {
        final long nowNanos = clock.monotonicNanos();
        samples.addLast(new long[] {nowNanos, idsMinted()});
        while (samples.size() > MAX_SAMPLES
                || samples.size() > 1 && nowNanos - secondOldest()[0] >= WINDOW_NANOS) {
            samples.removeFirst();
        }
    }

    /**
     * IDs minted since the newest sample at least a second old (or, in the node's first second, the
     * oldest sample), per second, divided by what the layout allows one worker in a second.
     */
    synchronized double utilizationOverLastSecond(double idsPerSecondCapacity) {
        final long nowNanos = clock.monotonicNanos();
        final long total = idsMinted();
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
}
