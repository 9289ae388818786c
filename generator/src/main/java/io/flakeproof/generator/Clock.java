package io.flakeproof.generator;

/**
 * Where time enters flakeproof. Two readings: the wall clock, which IDs are stamped with and which
 * may jump, slew or disagree with other machines; and a monotonic reading, which only measures how
 * long something took and bounds every wait.
 *
 * <p>{@link SystemClock} is the only class that reads the operating system's clocks.
 * {@link ManualClock} is the clock of tests, jcstress and the simulator: it moves only when told
 * to, and its {@link #pause} moves virtual time instead of sleeping, so waits are deterministic.
 */
public interface Clock {

    /** Wall-clock milliseconds since 1970-01-01T00:00:00Z. May go backwards. */
    long wallMillis();

    /** Monotonic nanoseconds from an arbitrary origin. Never goes backwards; only differences mean anything. */
    long monotonicNanos();

    /**
     * Lets up to {@code nanos} of time pass before the caller reads the clock again. A hint: it may
     * return early (a spin, an interrupt), so callers loop on their own deadline.
     *
     * @param nanos at most this long, in nanoseconds; nothing happens when it is not positive
     */
    void pause(long nanos);
}
