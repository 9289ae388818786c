package io.flakeproof.generator.lease;

import io.flakeproof.generator.BitLayout;

/**
 * The local clock's offset to the store, and how far it lets a renewal raise the ceiling.
 *
 * <p>Each acknowledged write carries the record's modification time, the leader's wall clock at
 * commit. The offset is estimated as {@code (local send + local receive) / 2 - mtime}, accurate to half
 * the round trip. Only a write whose acknowledgement carried a modification time gives a reading: a
 * write learnt of by a later read (an unknown outcome resolved) does not, since its send time says
 * nothing about when it committed.
 *
 * <p><b>Trust.</b> A reading within the bound vouches for the local wall clock at that write's send:
 * the pair (send tick, send monotonic time) is this term's trusted reading. A renewal target is then
 * capped at the trusted tick plus the monotonic time since, plus a tick, plus the window: a forward
 * jump of the wall clock cannot carry the ceiling ahead, because monotonic time does not jump. With no
 * trusted reading in the term, a renewal does not raise the ceiling at all: it is a probe whose
 * acknowledgement gives the first reading.
 */
final class ClockOffset {

    private final BitLayout layout;
    private final long boundMillis;
    private final long windowTicks;

    private boolean known;
    private long offsetMillis;
    /** The trusted reading of this term: monotonic time and wall tick at its send; MIN_VALUE for none. */
    private long trustedNanos = Long.MIN_VALUE;
    private long trustedTick;

    ClockOffset(BitLayout layout, long boundMillis, long windowTicks) {
        this.layout = layout;
        this.boundMillis = boundMillis;
        this.windowTicks = windowTicks;
    }

    /**
     * One write's round trip, sent at {@code sentWall}/{@code sentNanos} and acknowledged now at
     * {@code receivedWall} with modification time {@code mtimeMillis} (0: none, nothing is learnt).
     *
     * @return whether it gave a reading within the bound, which is then this term's trusted one
     */
    boolean observe(long sentWall, long sentNanos, long receivedWall, long mtimeMillis) {
        if (mtimeMillis <= 0) {
            return false;
        }
        offsetMillis = Math.floorDiv(sentWall + receivedWall, 2) - mtimeMillis;
        known = true;
        if (!withinBound()) {
            return false;
        }
        trustedNanos = sentNanos;
        trustedTick = layout.tickAt(sentWall);
        return true;
    }

    /** A new term starts without a trusted reading: one is taken from its claim or its first write. */
    void newTerm() {
        trustedNanos = Long.MIN_VALUE;
    }

    /** Whether the offset is unknown or within the bound. */
    boolean withinBound() {
        return !known || Math.abs(offsetMillis) <= boundMillis;
    }

    boolean known() {
        return known;
    }

    long millis() {
        return offsetMillis;
    }

    long boundMillis() {
        return boundMillis;
    }

    /**
     * The highest ceiling this term's trusted reading vouches for at monotonic time {@code nowNanos}, or
     * {@code acked} when the term has none (the renewal is a probe).
     */
    long cap(long target, long acked, long nowNanos) {
        if (trustedNanos == Long.MIN_VALUE) {
            return acked;
        }
        final long elapsedTicks = (nowNanos - trustedNanos) / (layout.tickMillis() * 1_000_000);
        return Math.max(acked, Math.min(target, trustedTick + elapsedTicks + 1 + windowTicks));
    }
}
