package io.flakeproof.service.http;

import io.flakeproof.generator.SystemClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests received whole and not yet answered, and whether the server is draining them to stop.
 * A request {@link #begin}s when the event loop has aggregated it and {@link #end}s when its response
 * is written (or failed to be), so a request queued for the mint executor counts too.
 *
 * <p>While draining, responses carry {@code Connection: close}: keep-alive clients move to another
 * node instead of sending more requests to one that is stopping.
 */
final class InFlightRequests {

    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean draining;

    void begin() {
        count.incrementAndGet();
    }

    void end() {
        if (count.decrementAndGet() == 0 && draining) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Requests between {@link #begin} and {@link #end}. */
    int count() {
        return count.get();
    }

    /** From now on every response closes its connection, and {@link #awaitIdle} can return. */
    void drain() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    /**
     * Waits, at most {@code timeout}, until no request is in flight. Call {@link #drain} first: only
     * while draining does the last {@link #end} wake the waiter.
     *
     * @return whether none is in flight
     */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        final long deadline = SystemClock.INSTANCE.monotonicNanos() + timeout.toNanos();
        // end() notifies under this monitor, so a last end() between the check and the wait is not missed.
        while (count.get() > 0) {
            final long remaining = deadline - SystemClock.INSTANCE.monotonicNanos();
            if (remaining <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        return true;
    }
}
