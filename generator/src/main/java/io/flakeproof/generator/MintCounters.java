package io.flakeproof.generator;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A generator's counters, kept off its state word: striped adders, so that counting never
 * contends with the claim's CAS. Each is exact; a {@link #stats} reading is not taken atomically.
 */
final class MintCounters {

    /** IDs of the ticks the state has moved off (and of the last tick, once sealed). */
    private final LongAdder idsInFinishedTicks = new LongAdder();
    /** The largest minted count reported, so that readings racing a tick change never go back. */
    private final LongAccumulator idsMintedReported = new LongAccumulator(Math::max, 0);
    private final LongAdder batches = new LongAdder();
    private final LongAdder sequenceExhaustions = new LongAdder();
    private final LongAdder borrowedTicks = new LongAdder();
    private final LongAdder clockBehindReadings = new LongAdder();
    private final LongAccumulator maxBackwardDriftMillis = new LongAccumulator(Math::max, 0);
    private final LongAdder waitNanos = new LongAdder();
    private final LongAdder[] refusals = new LongAdder[MintRefusedException.Cause.values().length];

    MintCounters() {
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    /** The state moved off a tick in which {@code ids} were minted. */
    void tickFinished(long ids) {
        idsInFinishedTicks.add(ids);
    }

    /**
     * IDs minted so far, given those of the state's current tick read after {@link #finishedTicks}:
     * never smaller than an earlier reading.
     */
    long idsMinted(long finished, long inCurrentTick) {
        idsMintedReported.accumulate(finished + inCurrentTick);
        return idsMintedReported.get();
    }

    /** IDs of the ticks left so far; read before the state, see {@link SnowflakeGenerator#idsMinted}. */
    long finishedTicks() {
        return idsInFinishedTicks.sum();
    }

    void batch() {
        batches.increment();
    }

    void sequenceExhausted() {
        sequenceExhaustions.increment();
    }

    void tickBorrowed() {
        borrowedTicks.increment();
    }

    /** A clock reading came {@code behindMillis} behind the highest one a claim used. */
    void clockBehind(long behindMillis) {
        clockBehindReadings.increment();
        maxBackwardDriftMillis.accumulate(behindMillis);
    }

    void waited(long nanos) {
        waitNanos.add(nanos);
    }

    void refused(MintRefusedException.Cause cause) {
        refusals[cause.ordinal()].increment();
    }

    /** A reading of every counter, with {@code idsMinted} as the minted count. */
    GeneratorStats stats(long idsMinted) {
        final long[] refused = new long[refusals.length];
        for (int i = 0; i < refused.length; i++) {
            refused[i] = refusals[i].sum();
        }
        return new GeneratorStats(idsMinted, batches.sum(), sequenceExhaustions.sum(), borrowedTicks.sum(),
                clockBehindReadings.sum(), maxBackwardDriftMillis.get(), waitNanos.sum(), refused);
    }
}
