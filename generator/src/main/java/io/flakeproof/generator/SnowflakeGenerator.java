package io.flakeproof.generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * A lock-free Snowflake generator: unique, strictly increasing 64-bit IDs for one lease.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Uniqueness.</b> No two calls on one generator return the same ID; generators under
 *       different leases differ in their node bits or, for successive holders of one worker, in
 *       their disjoint tick intervals {@code (floor, ceiling]}.</li>
 *   <li><b>Monotonicity.</b> The IDs one generator hands out, in the order their CASes succeed,
 *       strictly increase, whatever the clock does. Each thread therefore sees increasing IDs.</li>
 *   <li><b>Lock-freedom.</b> A call that is not waiting for the clock completes in a bounded number
 *       of its own steps unless another call's CAS succeeded meanwhile.</li>
 *   <li><b>Bounded waits.</b> While the state stands still, a call waits for the clock at most the
 *       drift policy's {@code maxWait} plus one tick, then throws {@link MintRefusedException}. (If
 *       other calls take the tick it waited for, its budget starts again: like every lock-free
 *       operation, a call can be overtaken, but the generator as a whole never stalls past the bound.)</li>
 *   <li><b>No allocation</b> per {@link #nextId()}.</li>
 * </ul>
 *
 * <h2>Design</h2>
 * The whole mutable state is one {@link AtomicLong}, {@code state = tick << sequenceBits | sequence},
 * the last (tick, sequence) pair handed out. It only ever grows: each claim reads it, computes a
 * larger successor, and publishes that with one CAS; the loser of a race reloads and retries. An ID
 * is {@code tick << tickShift | nodeBits | sequence}, a strictly increasing function of the state,
 * so distinct states give distinct IDs. The state starts at {@code (floor, maxSequence)}, which makes
 * the first tick available {@code floor + 1}: the lease floor needs no separate check.
 *
 * <p>The successor of {@code (t, s)} with the clock at tick {@code c}:
 * <ul>
 *   <li>{@code c > t}: {@code (c, start(c))}, a fresh tick from the clock;</li>
 *   <li>otherwise {@code (t, s + 1)} while the sequence lasts, else {@code (t + 1, start(t + 1))}: both lie
 *       {@code lead = tick - c} ticks ahead of the clock. A lead within the ABSORB tolerance is
 *       minted at once; a larger one waits for the clock (bounded) or, under FAIL with the clock
 *       behind {@code t}, is refused.</li>
 * </ul>
 * {@code start(t)} is 0, or {@code t mod 2^rotationBits} for a generator whose sequence start rotates
 * (still a larger state: a new tick is above every state of an older one).
 * Before the CAS the successor's tick is checked against the lease's ceiling (one volatile read)
 * and the tick field's end; past either the call is refused without waiting, since no wait can help.
 *
 * <p>Batches claim {@code k} consecutive sequence values of one tick in one CAS; the IDs of one tick
 * are consecutive longs, so such a claim is a range. A batch that spans ticks loops.
 *
 * <p>{@link #seal()} swaps the state for {@link #SEALED}, above every real state: any CAS in flight
 * fails, its retry sees the seal and refuses, and the swap returns the last state handed out. That
 * is how a graceful release learns the last tick it may lower the ceiling to.
 *
 * <p>Counters ({@link MintCounters}: striped adders and accumulators) are written after the CAS, read
 * without locks. The count of IDs minted costs nothing per ID: the call that moves the state off a tick adds that tick's IDs (its
 * last sequence + 1, known from the CAS's expected value), and a reading adds the current tick's.
 *
 * <p>A claim reads the clock once. When its CAS loses a race it retries with the same reading as long
 * as that reading is not behind the state the winner left (the common case: both in one tick), and
 * reads the clock again before any wait, borrowed tick or backward-step count. (A ceiling or
 * tick-field refusal on a reused reading needs the clock to have stepped back since it was read.)
 */
public final class SnowflakeGenerator {

    /**
     * The state of a sealed generator: larger than every real state, which is below
     * 2^(tickBits + sequenceBits) <= 2^63. (A layout with no node bits could reach it with its very
     * last ID; that call is refused as sealed instead of as an overflow, which mints nothing either way.)
     */
    private static final long SEALED = Long.MAX_VALUE;

    /** Waits up to this long (two 1 ms ticks) are taken in spin slices; longer ones park. */
    private static final long SHORT_WAIT_NANOS = 2_000_000;

    /** One spin slice: well under {@link SystemClock}'s park threshold, so it spins. */
    private static final long SPIN_SLICE_NANOS = 50_000;

    private final BitLayout layout;
    private final Lease lease;
    private final Clock clock;
    private final DriftPolicy policy;

    private final int sequenceBits;
    /** 2^sequenceBits - 1: the sequence field's mask and its largest value. */
    private final long sequenceMask;
    private final int tickShift;
    private final long nodeBits;
    private final long maxTick;
    private final long epochMillis;
    private final long tickMillis;
    private final long tickNanos;
    /**
     * 2^rotationBits - 1: a new tick's first sequence is {@code tick & rotationMask} (0 when the start does
     * not rotate). See {@link #SnowflakeGenerator(BitLayout, Lease, Clock, DriftPolicy, int)}.
     */
    private final long rotationMask;
    /** How many ticks ahead of the clock ABSORB may mint: floor(tolerance / tickMillis). */
    private final long toleranceTicks;
    private final long maxWaitNanos;

    /** tick << sequenceBits | sequence of the last claim: see the class comment. */
    private final AtomicLong state;

    /**
     * The highest tick this generator took from the clock; only the metrics read it. Written by the
     * winner of a fresh-tick CAS (once per tick), racy by design: a lost update only delays a count.
     */
    private volatile long clockHighWaterTick;

    /** The last tick of a sealed generator; written by {@link #seal()} before the state reads SEALED. */
    private volatile long sealedTick;

    /** The state a new generator starts in, {@code (floor, maxSequence)}: no ID minted in that tick. */
    private final long initialState;
    private final MintCounters counters = new MintCounters();

    /**
     * A generator minting under {@code lease} with the default drift policy on the system clock.
     *
     * @throws IllegalArgumentException if the lease's datacenter, worker or floor does not fit the layout
     */
    public SnowflakeGenerator(BitLayout layout, Lease lease) {
        this(layout, lease, SystemClock.INSTANCE, DriftPolicy.DEFAULT);
    }

    /**
     * @throws IllegalArgumentException if the lease's datacenter, worker or floor does not fit the layout
     */
    public SnowflakeGenerator(BitLayout layout, Lease lease, Clock clock, DriftPolicy policy) {
        this(layout, lease, clock, policy, 0);
    }

    /**
     * A generator whose sequence start rotates per tick: each new tick starts at sequence
     * {@code tick mod 2^rotationBits} rather than 0, so that at low rates (one ID per tick, all of
     * sequence 0 otherwise) the low bits of IDs, and {@code id % shards} for up to 2^rotationBits
     * shards, spread evenly. The price is capacity: a tick loses the sequence values below its start,
     * up to 2^rotationBits - 1 of its 2^sequenceBits, on average half that (8 bits on the default layout:
     * at most 255 of 4,096 IDs, 6.2%; 3.1% on average). 0 (the other constructors) keeps every tick
     * starting at 0.
     *
     * @param rotationBits in [0, sequenceBits - 1], so that every tick keeps at least half its sequence
     * @throws IllegalArgumentException if rotationBits is out of range, or as the other constructors
     */
    public SnowflakeGenerator(BitLayout layout, Lease lease, Clock clock, DriftPolicy policy, int rotationBits) {
        this.layout = Objects.requireNonNull(layout, "layout");
        final int maxRotationBits = Math.max(0, layout.sequenceBits() - 1);
        if (rotationBits < 0 || rotationBits > maxRotationBits) {
            throw new IllegalArgumentException("rotationBits must be in [0, " + maxRotationBits + "]: " + rotationBits);
        }
        this.rotationMask = (1L << rotationBits) - 1;
        this.lease = Objects.requireNonNull(lease, "lease");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.nodeBits = layout.nodeBits(lease.datacenterId(), lease.workerId());
        this.sequenceBits = layout.sequenceBits();
        this.sequenceMask = layout.maxSequence();
        this.tickShift = layout.tickShift();
        this.maxTick = layout.maxTick();
        this.epochMillis = layout.epochMillis();
        this.tickMillis = layout.tickMillis();
        this.tickNanos = tickMillis * 1_000_000;
        this.toleranceTicks = policy.tolerance().toMillis() / tickMillis;
        this.maxWaitNanos = policy.maxWait().toNanos();
        final long floor = lease.floorTick();
        if (floor < -1 || floor > maxTick) {
            throw new IllegalArgumentException("lease floorTick must be in [-1, " + maxTick + "]: " + floor);
        }
        // (floor, maxSequence): the next claim must move to floor + 1. For floor -1 this is -1 (all ones).
        this.initialState = (floor << sequenceBits) | sequenceMask;
        this.state = new AtomicLong(initialState);
        // No tick is taken from the clock yet: a floor ahead of it (a new term installed within its
        // ABSORB lead, a restart with the clock stepped back) is not a backward step of the clock.
        this.clockHighWaterTick = Math.min(floor, tickAt(clock.wallMillis()));
    }

    /** A generator for a fixed datacenter and worker with no ceiling, on the system clock. */
    public static SnowflakeGenerator embedded(BitLayout layout, long datacenterId, long workerId) {
        return new SnowflakeGenerator(layout, new StaticLease(datacenterId, workerId));
    }

    /**
     * The next ID: larger than every ID this generator returned before.
     *
     * @throws MintRefusedException when the clock is behind beyond the policy, the lease ceiling or
     *                              the tick field's end is reached, or the generator is sealed
     */
    public long nextId() {
        return idOf(claim(1, true));
    }

    /** What {@link #tryNextId()} returns when the next ID needs a wait for the clock. */
    public static final long WOULD_WAIT = -1;

    /**
     * The next ID if it can be minted without waiting for the clock, else {@link #WOULD_WAIT} (and
     * nothing is minted): for callers that must not block, such as an event loop, which can then
     * hand the call to a thread that may wait.
     *
     * @throws MintRefusedException as {@link #nextId()}, for the causes that need no wait to tell
     */
    public long tryNextId() {
        final long claimed = claim(1, false);
        return claimed == WOULD_WAIT ? WOULD_WAIT : idOf(claimed);
    }

    /**
     * {@code count} IDs, strictly increasing, each larger than every ID returned before this call
     * began. All that is left of a tick's sequence is claimed in one CAS; a batch spanning ticks loops.
     *
     * @param count how many, in [1, Integer.MAX_VALUE - 8]
     * @throws MintRefusedException as {@link #nextId()}; IDs already minted are in the exception
     */
    public long[] nextIds(int count) {
        requireCount(count);
        refuseIfBatchCannotFit(count);
        final long[] ids = new long[count];
        int filled = 0;
        try {
            while (filled < count) {
                final long first = claim(count - filled, true);
                final int claimed = (int) claimedBy(first, count - filled);
                final long firstId = idOf(first);
                for (int i = 0; i < claimed; i++) {
                    ids[filled + i] = firstId + i;
                }
                filled += claimed;
            }
        } catch (MintRefusedException e) {
            throw accountPartial(e, Arrays.copyOf(ids, filled));
        } finally {
            counters.batch();
        }
        return ids;
    }

    /**
     * {@code count} IDs as ranges of consecutive longs, one per tick touched, in increasing order.
     *
     * @param count how many IDs in all, at least 1
     * @throws MintRefusedException as {@link #nextIds(int)}
     */
    public List<IdRange> nextRanges(long count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        refuseIfBatchCannotFit(count);
        final List<IdRange> ranges = new ArrayList<>();
        long filled = 0;
        try {
            while (filled < count) {
                final long first = claim(count - filled, true);
                final long claimed = claimedBy(first, count - filled);
                ranges.add(new IdRange(idOf(first), claimed));
                filled += claimed;
            }
        } catch (MintRefusedException e) {
            final long[] partial = ranges.stream()
                    .flatMapToLong(r -> LongStream.range(r.firstId(), r.firstId() + r.count()))
                    .toArray();
            throw accountPartial(e, partial);
        } finally {
            counters.batch();
        }
        return ranges;
    }

    /**
     * Stops this generator for good and returns the last tick it minted in ({@code floorTick} if none).
     * Every later or concurrent call is refused with {@link MintRefusedException.Cause#LEASE_NOT_HELD};
     * no ID above the returned tick is ever handed out. Idempotent.
     */
    public synchronized long seal() {
        for (;;) {
            final long current = state.get();
            if (current == SEALED) {
                return sealedTick;
            }
            // Written before the CAS publishes SEALED, so every reader that sees SEALED sees it.
            sealedTick = current >> sequenceBits;
            if (state.compareAndSet(current, SEALED)) {
                counters.tickFinished(idsInTickOf(current));
                return sealedTick;
            }
        }
    }

    /** Whether {@link #seal()} was called. */
    public boolean isSealed() {
        return state.get() == SEALED;
    }

    /** The tick of the last claim (the floor if none); for a sealed generator, the tick it was sealed at. */
    public long lastTick() {
        final long current = state.get();
        return current == SEALED ? sealedTick : current >> sequenceBits;
    }

    public BitLayout layout() {
        return layout;
    }

    public Lease lease() {
        return lease;
    }

    public DriftPolicy policy() {
        return policy;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * IDs minted so far: exact at rest; while other threads mint, it may lag behind by the IDs of the
     * ticks the state left meanwhile. Never smaller than an earlier reading.
     */
    public long idsMinted() {
        // The finished ticks first: a tick counted there has been left, so the state read after it is
        // in a later tick and nothing is counted twice; a tick left in between is missed (the lag).
        final long finished = counters.finishedTicks();
        final long current = state.get();
        return counters.idsMinted(finished, current == SEALED ? 0 : idsInTickOf(current));
    }

    /** How many IDs the state {@code s} says were minted in its tick: none in the initial state. */
    private long idsInTickOf(long s) {
        return s == initialState ? 0 : (s & sequenceMask) + 1 - startOf(s >> sequenceBits);
    }

    /** The first sequence of a new tick: 0, or its low rotationBits when the start rotates. */
    private long startOf(long tick) {
        return tick & rotationMask;
    }

    /** A consistent-enough reading of the counters: each is exact, the set is not taken atomically. */
    public GeneratorStats stats() {
        return counters.stats(idsMinted());
    }

    // ---- the claim ----

    /**
     * Claims {@code min(want, what is left of one tick)} consecutive sequence values in one CAS and
     * returns the first claimed state; {@link #claimedBy} says how many. Without {@code mayWait}, a
     * claim that would wait for the clock returns {@link #WOULD_WAIT} instead (claimed states are >= 0).
     */
    private long claim(long want, boolean mayWait) {
        // Created when the claim first meets a wait: a claim that needs none allocates nothing.
        ClockWait wait = null;
        long nowMillis = 0;
        // Whether nowMillis is a reading from before a lost CAS that may be used again.
        boolean retrying = false;
        for (;;) {
            final long current = state.get();
            if (current == SEALED) {
                throw refuse(MintRefusedException.Cause.LEASE_NOT_HELD, "generator is sealed: its lease for worker "
                        + lease.workerId() + " in datacenter " + lease.datacenterId() + " was released", -1);
            }
            final long lastTick = current >> sequenceBits;
            if (!retrying || !stillCurrent(nowMillis, current)) {
                nowMillis = clock.wallMillis();
            }
            retrying = false;
            final long nowTick = tickAt(nowMillis);
            final boolean fromClock = nowTick > lastTick;
            final boolean exhausted = (current & sequenceMask) == sequenceMask;
            // The successor as (tick, sequence); shifted together only after the tick is checked,
            // so that a tick past the field's end cannot wrap into the sign bit.
            final long firstTick = fromClock ? nowTick : exhausted ? lastTick + 1 : lastTick;
            final long firstSequence = fromClock || exhausted ? startOf(firstTick) : (current & sequenceMask) + 1;
            if (firstTick > lease.ceilingTick()) {
                throw refuseCeiling(firstTick);
            }
            if (firstTick > maxTick) {
                throw refuseOverflow();
            }
            if (!fromClock) {
                if (nowTick < lastTick) {
                    noteClockBehind(nowTick);
                }
                if (firstTick - nowTick > toleranceTicks) {
                    if (wait == null) {
                        wait = new ClockWait();
                    }
                    if (!wait.pauseOrRefuse(lastTick, nowTick, nowMillis, firstTick, exhausted, mayWait)) {
                        return WOULD_WAIT;
                    }
                    continue;
                }
            }
            final long first = (firstTick << sequenceBits) | firstSequence;
            final long last = Math.min(first + want - 1, first | sequenceMask);
            if (state.compareAndSet(current, last)) {
                if (firstTick != lastTick) {
                    counters.tickFinished(idsInTickOf(current));
                }
                if (fromClock) {
                    clockHighWaterTick = nowTick;
                } else if (exhausted && firstTick > nowTick) {
                    counters.tickBorrowed();
                }
                return first;
            }
            retrying = true;
        }
    }

    /**
     * One claim's wait for the clock: the minting tick is further ahead of the clock than the drift
     * policy's tolerance. Its budget is the policy's wait for a clock behind the state, plus one tick
     * for a spent sequence; it starts again whenever other calls move the state's tick meanwhile,
     * since the generator as a whole made progress.
     */
    private final class ClockWait {

        private long deadline;
        private long start;
        /** The state's tick when this wait's budget began; -2 before (ticks are >= -1). */
        private long atTick = -2;
        private boolean exhaustionCounted;

        /**
         * Refuses under the FAIL policy (for a clock behind the state) or once the budget is spent;
         * otherwise pauses until the minting tick comes within the tolerance, or a slice of that wait.
         *
         * @return false, without pausing, when the caller may not wait
         */
        boolean pauseOrRefuse(long lastTick, long nowTick, long nowMillis, long firstTick, boolean exhausted,
                boolean mayWait) {
            if (exhausted && !exhaustionCounted) {
                counters.sequenceExhausted();
                exhaustionCounted = true;
            }
            if (policy.kind() == DriftPolicy.Kind.FAIL && nowTick < lastTick) {
                throw refuse(MintRefusedException.Cause.CLOCK_BEHIND, "clock is "
                        + (lastTick - nowTick) * tickMillis + " ms behind the last minted tick " + lastTick
                        + " and the drift policy is fail", tickMillis * (lastTick - nowTick + 1));
            }
            if (!mayWait) {
                return false;
            }
            final long nowNanos = clock.monotonicNanos();
            if (atTick != lastTick) {
                atTick = lastTick;
                start = nowNanos;
                deadline = nowNanos + (nowTick < lastTick ? maxWaitNanos : 0) + (exhausted ? tickNanos : 0);
            }
            final long remaining = deadline - nowNanos;
            if (remaining <= 0) {
                throw refuse(MintRefusedException.Cause.CLOCK_BEHIND, "clock is "
                        + Math.max(0, lastTick - nowTick) * tickMillis + " ms behind the last minted tick "
                        + lastTick + " after waiting " + (nowNanos - start) / 1_000_000 + " ms (policy "
                        + policy + ")", tickMillis * (firstTick - nowTick - toleranceTicks));
            }
            // Mintable once the clock reaches firstTick - toleranceTicks. The wall clock reads whole
            // milliseconds, so a short wait (the next tick) is taken in slices short enough to spin,
            // waking within microseconds of the boundary rather than parking a whole millisecond from
            // wherever in it the wait began.
            final long untilMintableNanos = (layoutStartMillis(firstTick - toleranceTicks) - nowMillis) * 1_000_000;
            final long slice = untilMintableNanos <= SHORT_WAIT_NANOS ? SPIN_SLICE_NANOS : untilMintableNanos;
            clock.pause(Math.min(remaining, Math.max(1, slice)));
            counters.waited(clock.monotonicNanos() - nowNanos);
            return true;
        }
    }

    /**
     * Whether a clock reading taken before a lost CAS may serve the retry against {@code current}: its
     * tick is past the state's, or equal with sequence left. Either way the retry mints in or after
     * the state's tick without a wait; every other case reads the clock again, so that waits, refusals
     * and backward-step counts are never based on a reading older than the state.
     */
    private boolean stillCurrent(long nowMillis, long current) {
        final long tick = tickAt(nowMillis);
        final long lastTick = current >> sequenceBits;
        return tick > lastTick || (tick == lastTick && (current & sequenceMask) != sequenceMask);
    }

    /** How many values a claim starting at {@code first} took when {@code want} were asked for. */
    private long claimedBy(long first, long want) {
        return Math.min(want, sequenceMask - (first & sequenceMask) + 1);
    }

    private long idOf(long claimedState) {
        return ((claimedState >> sequenceBits) << tickShift) | nodeBits | (claimedState & sequenceMask);
    }

    private long tickAt(long millis) {
        return tickMillis == 1 ? millis - epochMillis : Math.floorDiv(millis - epochMillis, tickMillis);
    }

    private long layoutStartMillis(long tick) {
        return epochMillis + tick * tickMillis;
    }

    /**
     * Refuses up front a batch that cannot finish under the current ceiling or before the tick field
     * ends, so that such a batch mints nothing. Other threads may move the state meanwhile; the
     * per-claim checks stay the guard, this only keeps the common case whole.
     */
    private void refuseIfBatchCannotFit(long count) {
        final long current = state.get();
        if (current == SEALED) {
            return; // the claim refuses with the sealed message
        }
        final long lastTick = current >> sequenceBits;
        final long nowTick = tickAt(clock.wallMillis());
        final long firstTick;
        final long leftInFirstTick;
        if (nowTick > lastTick) {
            firstTick = nowTick;
            leftInFirstTick = sequenceMask + 1 - startOf(firstTick);
        } else if ((current & sequenceMask) == sequenceMask) {
            firstTick = lastTick + 1;
            leftInFirstTick = sequenceMask + 1 - startOf(firstTick);
        } else {
            firstTick = lastTick;
            leftInFirstTick = sequenceMask - (current & sequenceMask);
        }
        final long more = count - leftInFirstTick;
        // Each later tick holds at least this many (all of them unless the start rotates).
        final long perTick = sequenceMask + 1 - rotationMask;
        final long lastNeededTick = more <= 0 ? firstTick : firstTick + (more + perTick - 1) / perTick;
        if (lastNeededTick > lease.ceilingTick()) {
            throw refuseCeiling(lastNeededTick);
        }
        if (lastNeededTick > maxTick) {
            throw refuseOverflow();
        }
    }

    private void noteClockBehind(long nowTick) {
        final long behind = clockHighWaterTick - nowTick;
        if (behind > 0) {
            counters.clockBehind(behind * tickMillis);
        }
    }

    private MintRefusedException refuseCeiling(long tick) {
        final long ceiling = lease.ceilingTick();
        final long nowTick = tickAt(clock.wallMillis());
        final String suspension = lease.suspension();
        return refuse(MintRefusedException.Cause.CEILING_REACHED, "tick " + tick + " is above the lease ceiling "
                + ceiling + " of worker " + lease.workerId() + " in datacenter " + lease.datacenterId()
                + (suspension == null ? "; the lease must be renewed first" : "; minting is suspended: " + suspension),
                Math.max(1, (tick - Math.max(ceiling, nowTick)) * tickMillis));
    }

    private MintRefusedException refuseOverflow() {
        return refuse(MintRefusedException.Cause.TICK_OVERFLOW, "the tick field is spent: tick " + (maxTick + 1)
                + " does not fit " + layout.tickBits() + " bits; layout " + layout.describe() + " ended at "
                + layout.overflowInstant(), -1);
    }

    private MintRefusedException refuse(MintRefusedException.Cause cause, String message, long retryAfterMillis) {
        counters.refused(cause);
        return new MintRefusedException(cause, message, retryAfterMillis);
    }

    private static MintRefusedException accountPartial(MintRefusedException e, long[] minted) {
        return minted.length == 0 ? e : e.withMintedBeforeRefusal(minted);
    }

    private static void requireCount(long count) {
        if (count < 1 || count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("count must be in [1, " + (Integer.MAX_VALUE - 8) + "]: " + count);
        }
    }

    @Override
    public String toString() {
        return "SnowflakeGenerator[" + layout.describe() + ", " + lease + ", " + policy + "]";
    }
}
