package io.flakeproof.simulation;

/**
 * One simulated machine's clocks (TigerBeetle's model): a wall clock that is true time plus an
 * offset, and a monotonic clock that is true time less the time the machine spent suspended.
 *
 * <p>The wall offset is a base (moved by steps: NTP corrections, operator mistakes), plus a linear
 * drift in parts per million (slew, a bad oscillator), plus a periodic term. A VM suspend stalls the
 * monotonic clock; the wall clock, corrected on resume, shows the true time passed.
 *
 * <p>Shared by the processes of one machine (a twin reads its host's clock). A process sees it through
 * {@link SimNode#processClock()}, whose pause is one of that process's threads sleeping: it does not
 * run while its process is stopped, and never again once the process is gone.
 */
final class SimClock {

    /** Wall-clock milliseconds at true time 0: the same start for every run. */
    static final long EPOCH_WALL_MILLIS = 1_780_272_000_000L; // 2026-06-01T00:00:00Z

    private final Sim sim;
    private long offsetNanos;
    private double driftPpm;
    private long driftSince;
    private long periodicAmplitudeNanos;
    private long periodNanos = 1;
    private long stalledNanos;
    private long stalledSince = -1;

    SimClock(Sim sim, long offsetNanos) {
        this.sim = sim;
        this.offsetNanos = offsetNanos;
    }

    /** The wall clock's offset from true time now, in nanoseconds. */
    long offsetNanos() {
        final long t = sim.now();
        long offset = offsetNanos + (long) ((t - driftSince) * driftPpm / 1_000_000);
        if (periodicAmplitudeNanos != 0) {
            offset += (long) (periodicAmplitudeNanos * Math.sin(2 * Math.PI * (t % periodNanos) / periodNanos));
        }
        return offset;
    }

    /** Milliseconds of the wall clock now. */
    long wallMillis() {
        return EPOCH_WALL_MILLIS + Math.floorDiv(sim.now() + offsetNanos(), 1_000_000);
    }

    /** Nanoseconds of the monotonic clock now: true time less the time spent suspended. */
    long monotonicNanos() {
        final long t = sim.now();
        return t - stalledNanos - (stalledSince >= 0 ? t - stalledSince : 0);
    }

    /** The wall clock steps by {@code deltaNanos} (backwards when negative). */
    void step(long deltaNanos) {
        offsetNanos += deltaNanos;
    }

    /** The wall clock is set back in line with true time plus {@code errorNanos}. */
    void correct(long errorNanos) {
        rebaseDrift();
        offsetNanos = errorNanos;
        driftPpm = 0;
    }

    /** From now on the wall clock drifts by {@code ppm} parts per million (negative: slow). */
    void drift(double ppm) {
        rebaseDrift();
        driftPpm = ppm;
    }

    /** A periodic offset of the given amplitude and period, on top of the rest. */
    void periodic(long amplitudeNanos, long periodNanos) {
        this.periodicAmplitudeNanos = amplitudeNanos;
        this.periodNanos = Math.max(1, periodNanos);
    }

    private void rebaseDrift() {
        final long t = sim.now();
        offsetNanos += (long) ((t - driftSince) * driftPpm / 1_000_000);
        driftSince = t;
    }

    /** A VM suspend begins: the monotonic clock stops. */
    void stall() {
        if (stalledSince < 0) {
            stalledSince = sim.now();
        }
    }

    /** The VM resumes: the monotonic clock goes on from where it stopped. */
    void unstall() {
        if (stalledSince >= 0) {
            stalledNanos += sim.now() - stalledSince;
            stalledSince = -1;
        }
    }
}
