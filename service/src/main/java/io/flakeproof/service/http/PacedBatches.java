package io.flakeproof.service.http;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Clock;
import io.flakeproof.generator.IdRange;
import io.flakeproof.generator.SnowflakeGenerator;
import java.util.ArrayList;
import java.util.List;

/**
 * Large batches minted one tick's sequence at a time, each chunk only once the clock lets it be
 * minted without a wait, the time between chunks spent parked.
 *
 * <p>Why: a batch larger than what a tick holds (4,096 IDs on the default layout) runs ahead of the
 * clock by the drift policy's tolerance and then waits for each further tick. The generator spins
 * through such short waits, so a client with a queue of 100,000-ID batches would keep one of the
 * machine's cores busy spinning, and the event loops and the other connections' requests would share
 * what is left. Parking instead leaves the core to them, and a single ID waiting for the next tick
 * (spinning, in the generator) gets to it first. The IDs are the same the generator would mint: one
 * strictly increasing sequence, at most one tick's worth per claim.
 *
 * <p>All or nothing, as {@link SnowflakeGenerator#nextIds}: a refusal of any chunk refuses the request.
 * A batch that might not fit under the lease ceiling or the layout's last tick is handed to the
 * generator whole instead, so that its up-front check refuses it before a single ID is minted.
 */
final class PacedBatches {

    /** A clock that does not move while paused cannot hold a chunk back for ever: the generator's bounded wait takes over. */
    private static final int MAX_PAUSES_PER_CHUNK = 10_000;

    private PacedBatches() {
    }

    /** {@code count} IDs, strictly increasing, as {@link SnowflakeGenerator#nextIds}. */
    static long[] nextIds(SnowflakeGenerator generator, int count) {
        final long perTick = generator.layout().maxSequence() + 1;
        if (count <= perTick || mightNotFit(generator, count)) {
            return generator.nextIds(count);
        }
        final long[] ids = new long[count];
        int filled = 0;
        while (filled < count) {
            final int chunk = (int) Math.min(perTick, count - filled);
            awaitMintable(generator);
            System.arraycopy(generator.nextIds(chunk), 0, ids, filled, chunk);
            filled += chunk;
        }
        return ids;
    }

    /** {@code count} IDs as ranges of consecutive longs, one per tick touched, as {@link SnowflakeGenerator#nextRanges}. */
    static List<IdRange> nextRanges(SnowflakeGenerator generator, int count) {
        final long perTick = generator.layout().maxSequence() + 1;
        if (count <= perTick || mightNotFit(generator, count)) {
            return generator.nextRanges(count);
        }
        final List<IdRange> ranges = new ArrayList<>();
        long filled = 0;
        while (filled < count) {
            final long chunk = Math.min(perTick, count - filled);
            awaitMintable(generator);
            for (IdRange range : generator.nextRanges(chunk)) {
                final IdRange last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
                if (last != null && last.lastId() + 1 == range.firstId()) {
                    // Two chunks met inside one tick: one range, as the generator would have claimed it.
                    ranges.set(ranges.size() - 1, new IdRange(last.firstId(), last.count() + range.count()));
                } else {
                    ranges.add(range);
                }
            }
            filled += chunk;
        }
        return ranges;
    }

    /**
     * Pauses until a chunk of one tick's sequence can be minted without a wait: it needs at most the
     * state's tick and the next, and the generator mints without waiting while that next tick is at most
     * the policy's tolerance ahead of the clock.
     */
    private static void awaitMintable(SnowflakeGenerator generator) {
        final BitLayout layout = generator.layout();
        final Clock clock = generator.clock();
        final long toleranceTicks = generator.policy().tolerance().toMillis() / layout.tickLength().toMillis();
        for (int pause = 0; pause < MAX_PAUSES_PER_CHUNK; pause++) {
            final long mintableFromTick = generator.lastTick() + 1 - toleranceTicks;
            final long nowMillis = clock.wallMillis();
            if (layout.tickAt(nowMillis) >= mintableFromTick) {
                return;
            }
            clock.pause((layout.startMillisOf(mintableFromTick) - nowMillis) * 1_000_000);
        }
    }

    /**
     * Whether the batch might need a tick past the lease ceiling or the layout's last: a bound that
     * assumes the worst of the state's current tick.
     */
    private static boolean mightNotFit(SnowflakeGenerator generator, long count) {
        final BitLayout layout = generator.layout();
        final long perTick = layout.maxSequence() + 1;
        final long nowTick = layout.tickAt(generator.clock().wallMillis());
        final long lastNeeded = Math.max(generator.lastTick(), nowTick) + 1 + (count + perTick - 1) / perTick;
        return lastNeeded > generator.lease().ceilingTick() || lastNeeded > layout.maxTick();
    }
}
