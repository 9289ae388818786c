package io.flakeproof.service.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of ID answers the node holds until they are written to their connections, across every
 * connection: the bound on the node's memory for answers, where the per-connection bounds only bound
 * each connection's share (a connection holds at most one answer, but there may be
 * {@code maxConnections} of them).
 *
 * <p>A request for IDs takes the size of its answer's buffer before anything is minted and gives it
 * back once the answer is written (or cannot be); a request that would take the total over the limit
 * is answered 503 with {@code Retry-After: 1} instead, minting nothing. One answer alone always fits,
 * so that no size allowed by {@code maxCount} is refused for ever. Lock-free: one CAS to take, one
 * atomic add to give back.
 */
final class AnswerBudget {

    /** Seconds a client refused for a spent budget should wait: answers are written in milliseconds once read. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final long maxBytes;
    private final AtomicLong held = new AtomicLong();

    AnswerBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Takes {@code bytes}; false when that would exceed the limit while other answers hold some of it. */
    boolean tryTake(long bytes) {
        for (;;) {
            final long current = held.get();
            if (current > 0 && current + bytes > maxBytes) {
                return false;
            }
            if (held.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    void giveBack(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }

    long maxBytes() {
        return maxBytes;
    }
}
