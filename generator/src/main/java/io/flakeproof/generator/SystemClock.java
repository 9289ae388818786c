package io.flakeproof.generator;

import java.util.concurrent.locks.LockSupport;

/**
 * The operating system's clocks: {@link System#currentTimeMillis()} for the wall and
 * {@link System#nanoTime()} for monotonic time. The only class in flakeproof that reads them.
 */
public final class SystemClock implements Clock {

    /** The one instance; the class holds no state. */
    public static final SystemClock INSTANCE = new SystemClock();

    /**
     * Waits shorter than this spin instead of parking: parking costs 50-100 us of scheduler latency on
     * Linux, longer than the typical wait for the next 1 ms tick.
     */
    private static final long SPIN_BELOW_NANOS = 200_000;

    /** Wake this much before the deadline when parking, and spin the rest, so the tick is not overslept. */
    private static final long PARK_MARGIN_NANOS = 100_000;

    private SystemClock() {
    }

    @Override
    public long wallMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }

    @Override
    public void pause(long nanos) {
        if (nanos <= 0) {
            return;
        }
        if (nanos < SPIN_BELOW_NANOS) {
            Thread.onSpinWait();
        } else {
            LockSupport.parkNanos(nanos - PARK_MARGIN_NANOS);
        }
    }

    @Override
    public String toString() {
        return "SystemClock";
    }
}
