package io.flakeproof.generator;

import java.util.EnumMap;
import java.util.Map;

/**
 * A reading of a generator's counters.
 *
 * @param idsMinted               IDs handed out, singles and batches
 * @param batches                 calls of {@code nextIds} and {@code nextRanges}
 * @param sequenceExhaustions     claims that found their tick's sequence spent and had to wait for the next tick
 * @param borrowedTicks           ticks minted in ahead of the clock under ABSORB
 * @param clockBehindReadings     claims that read the clock behind a tick the generator had already taken from it
 * @param maxBackwardDriftMillis  the largest such gap, in milliseconds
 * @param waitNanos               time spent waiting for the clock, summed over all calls
 * @param refusalsByCause         refusals, indexed by {@link MintRefusedException.Cause#ordinal()}
 */
public record GeneratorStats(
        long idsMinted,
        long batches,
        long sequenceExhaustions,
        long borrowedTicks,
        long clockBehindReadings,
        long maxBackwardDriftMillis,
        long waitNanos,
        long[] refusalsByCause) {

    public GeneratorStats {
        refusalsByCause = refusalsByCause.clone();
    }

    /** No counts at all: the start of a sum. */
    public static final GeneratorStats NONE =
            new GeneratorStats(0, 0, 0, 0, 0, 0, 0, new long[MintRefusedException.Cause.values().length]);

    /** The counters of two generators together: sums, and the larger backward drift. */
    public GeneratorStats plus(GeneratorStats other) {
        final long[] refusals = refusalsByCause.clone();
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] += other.refusalsByCause[i];
        }
        return new GeneratorStats(idsMinted + other.idsMinted, batches + other.batches,
                sequenceExhaustions + other.sequenceExhaustions, borrowedTicks + other.borrowedTicks,
                clockBehindReadings + other.clockBehindReadings,
                Math.max(maxBackwardDriftMillis, other.maxBackwardDriftMillis), waitNanos + other.waitNanos, refusals);
    }

    /** Refusals of one cause. */
    public long refusals(MintRefusedException.Cause cause) {
        return refusalsByCause[cause.ordinal()];
    }

    /** Refusals by cause, every cause present. */
    public Map<MintRefusedException.Cause, Long> refusals() {
        final Map<MintRefusedException.Cause, Long> map = new EnumMap<>(MintRefusedException.Cause.class);
        for (MintRefusedException.Cause cause : MintRefusedException.Cause.values()) {
            map.put(cause, refusalsByCause[cause.ordinal()]);
        }
        return map;
    }

    /** Refusals of every cause. */
    public long totalRefusals() {
        long total = 0;
        for (long r : refusalsByCause) {
            total += r;
        }
        return total;
    }

    @Override
    public long[] refusalsByCause() {
        return refusalsByCause.clone();
    }
}
