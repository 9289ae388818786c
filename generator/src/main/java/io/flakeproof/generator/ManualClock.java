package io.flakeproof.generator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to: the clock of tests, jcstress and the simulator.
 *
 * <p>The wall reading and the monotonic reading are separate, like a real machine's: {@link #advance}
 * moves both (time passes), {@link #stepWall} moves the wall alone (an NTP step, a VM restored from
 * a snapshot). {@link #pause} is time passing: it advances both readings by the requested amount,
 * so a generator waiting on a manual clock finishes its wait deterministically, without sleeping.
 *
 * <p>Thread-safe: every reading and move is one atomic operation on one field.
 */
public final class ManualClock implements Clock {

    private final AtomicLong wallMillis;
    private final AtomicLong monotonicNanos = new AtomicLong();
    /** Nanoseconds of monotonic time not yet carried into the wall's milliseconds by {@link #pause}. */
    private final AtomicLong pausedNanosCarry = new AtomicLong();

    /** A clock whose wall reads {@code wallMillis} and whose monotonic reading starts at 0. */
    public ManualClock(long wallMillis) {
        this.wallMillis = new AtomicLong(wallMillis);
    }

    /** A clock whose wall reads {@code instant}. */
    public ManualClock(Instant instant) {
        this(instant.toEpochMilli());
    }

    @Override
    public long wallMillis() {
        return wallMillis.get();
    }

    @Override
    public long monotonicNanos() {
        return monotonicNanos.get();
    }

    /** Advances virtual time by {@code nanos}: the monotonic reading at once, the wall in whole milliseconds. */
    @Override
    public void pause(long nanos) {
        if (nanos <= 0) {
            return;
        }
        monotonicNanos.addAndGet(nanos);
        final long carried = pausedNanosCarry.addAndGet(nanos);
        final long wholeMillis = carried / 1_000_000;
        if (wholeMillis > 0 && pausedNanosCarry.compareAndSet(carried, carried - wholeMillis * 1_000_000)) {
            wallMillis.addAndGet(wholeMillis);
        }
    }

    /** Time passes: both readings move forward by {@code millis}. */
    public void advance(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("time cannot pass backwards; use stepWall: " + millis);
        }
        monotonicNanos.addAndGet(millis * 1_000_000);
        wallMillis.addAndGet(millis);
    }

    /** Time passes: both readings move forward by {@code duration}. */
    public void advance(Duration duration) {
        advance(duration.toMillis());
    }

    /** The wall clock alone jumps by {@code deltaMillis}, backwards when negative; monotonic time stays. */
    public void stepWall(long deltaMillis) {
        wallMillis.addAndGet(deltaMillis);
    }

    /** The wall clock alone is set to {@code millis}. */
    public void setWall(long millis) {
        wallMillis.set(millis);
    }

    @Override
    public String toString() {
        return "ManualClock[wall=" + Instant.ofEpochMilli(wallMillis()) + ", monotonic=" + monotonicNanos() + "ns]";
    }
}
