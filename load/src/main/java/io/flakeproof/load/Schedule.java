package io.flakeproof.load;

/**
 * When each request of an open-loop run is meant to be sent: request {@code i} at
 * {@code start + floor(i * 10^9 / rate)} nanoseconds, whatever happened to the requests before it.
 * Latency is measured from that intended instant, not from when the request actually left: this is
 * the correction for coordinated omission (see README.md).
 *
 * <p>Overflow: {@code i * 10^9} stays below 2^63 for {@code i < 9.2 * 10^9}, which the constructor
 * enforces; {@link LoadPlan} allows at most 1,000,000/s for 10 min of warm-up and 1 h, 4.2 * 10^9 requests.
 *
 * @param startNanos    the intended send time of request 0, on the {@link System#nanoTime()} scale
 * @param ratePerSecond requests per second, at least 1
 * @param requests      how many requests the run sends, at least 1
 */
public record Schedule(long startNanos, long ratePerSecond, long requests) {

    static final long NANOS_PER_SECOND = 1_000_000_000L;

    public Schedule {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("rate must be at least 1 per second: " + ratePerSecond);
        }
        if (requests < 1 || requests > Long.MAX_VALUE / NANOS_PER_SECOND) {
            throw new IllegalArgumentException(
                    "requests must be in [1, " + Long.MAX_VALUE / NANOS_PER_SECOND + "]: " + requests);
        }
    }

    /** The intended send time of request {@code i}: start + floor(i * 10^9 / rate). */
    public long intendedNanos(long i) {
        return startNanos + i * NANOS_PER_SECOND / ratePerSecond;
    }

    /** The intended send time of the last request. */
    public long lastNanos() {
        return intendedNanos(requests - 1);
    }

    /**
     * How many requests are due at {@code nowNanos}: those whose intended time is at or before it.
     * With {@code e = now - start}, {@code floor(i * 10^9 / rate) <= e} holds exactly when
     * {@code i * 10^9 < (e + 1) * rate}, so the count is {@code ceil((e + 1) * rate / 10^9)}. The
     * product stays below 2^63 because {@code e} is clamped to the schedule's length first.
     */
    public long dueBy(long nowNanos) {
        final long elapsed = nowNanos - startNanos;
        if (elapsed < 0) {
            return 0;
        }
        if (elapsed >= lastNanos() - startNanos) {
            return requests;
        }
        return ((elapsed + 1) * ratePerSecond + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }

    /**
     * The latency of request {@code i} answered at {@code completedNanos}, in whole microseconds,
     * counted from its intended send time: a request that waited for a free connection, or behind a
     * stalled one, is charged for the wait.
     */
    public long latencyMicros(long i, long completedNanos) {
        return Math.max(0, completedNanos - intendedNanos(i)) / 1_000;
    }
}
