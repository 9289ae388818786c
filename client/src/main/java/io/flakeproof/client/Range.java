package io.flakeproof.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One range of consecutive IDs {@code [first, end)} that a node minted, and the cursor that hands it
 * out. Claiming is one {@code getAndAdd} on the cursor: the cursor only grows, so every value below
 * {@code end} is returned to exactly one caller, and the values at or above {@code end} that late
 * callers draw are never IDs (they only tell the caller the range is spent).
 */
final class Range {

    /** What {@link #claim} returns when the range is spent; IDs are never negative. */
    static final long SPENT = -1;

    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Range.class, "next", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long first;
    final long end;
    /** When the request that brought this range was sent, on the client's ticker: its age starts there. */
    final long requestedAtNanos;

    /** The next value to hand out; moved only by {@link #NEXT}'s getAndAdd. */
    @SuppressWarnings("unused") // accessed through NEXT
    private volatile long next;

    Range(long first, long count, long requestedAtNanos) {
        this.first = first;
        this.end = first + count;
        this.requestedAtNanos = requestedAtNanos;
        this.next = first;
    }

    /** The next ID of the range, or {@link #SPENT}: one atomic add. */
    long claim() {
        final long id = (long) NEXT.getAndAdd(this, 1L);
        return id < end ? id : SPENT;
    }

    /**
     * Claims up to {@code want} IDs in one atomic add and writes them to {@code out} from {@code offset};
     * returns how many, 0 when the range is spent.
     */
    int claimInto(long[] out, int offset, int want) {
        final long start = (long) NEXT.getAndAdd(this, (long) want);
        if (start >= end) {
            return 0;
        }
        final int got = (int) Math.min(want, end - start);
        for (int i = 0; i < got; i++) {
            out[offset + i] = start + i;
        }
        return got;
    }

    /** IDs handed out so far. */
    long claimed() {
        return Math.min((long) NEXT.getVolatile(this), end) - first;
    }

    /** IDs not handed out yet. */
    long remaining() {
        return end - first - claimed();
    }

    long count() {
        return end - first;
    }
}
