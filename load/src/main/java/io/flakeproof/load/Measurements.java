package io.flakeproof.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What the client's event loop records and the reporting thread reads. The loop is the only writer
 * of the three recorders, so HdrHistogram's {@link SingleWriterRecorder} lets the reader take
 * interval histograms without stopping it (its WriterReaderPhaser); the counters are atomics.
 * All times are whole microseconds.
 */
final class Measurements {

    /**
     * The longest latency a histogram tracks: the longest warm-up, run and drain (4,210 s). Nothing
     * measured can take longer; values are clamped to it all the same.
     */
    static final long HIGHEST_MICROS = LoadPlan.MAX_WARMUP.plus(LoadPlan.MAX_DURATION).plus(LoadRun.DRAIN).toNanos() / 1_000;

    private final SingleWriterRecorder latency = newRecorder();
    private final SingleWriterRecorder serviceTime = newRecorder();
    private final SingleWriterRecorder sendDelay = newRecorder();
    private final AtomicLongArray failures = new AtomicLongArray(Failure.values().length);
    /** Requests answered (any status) or failed so far. */
    private final AtomicLong finished = new AtomicLong();
    private volatile long lastFinishedNanos;

    private static SingleWriterRecorder newRecorder() {
        return new SingleWriterRecorder(HIGHEST_MICROS, 3);
    }

    /** A request left {@code delayMicros} after its intended time. */
    void sent(long delayMicros) {
        sendDelay.recordValue(Math.min(delayMicros, HIGHEST_MICROS));
    }

    /** A request got its IDs: latency from its intended time, service time from its actual send. */
    void succeeded(long latencyMicros, long serviceMicros, long nowNanos) {
        latency.recordValue(Math.min(latencyMicros, HIGHEST_MICROS));
        serviceTime.recordValue(Math.min(serviceMicros, HIGHEST_MICROS));
        finish(nowNanos);
    }

    void failed(Failure failure, long nowNanos) {
        failures.incrementAndGet(failure.ordinal());
        finish(nowNanos);
    }

    /** Measured requests that will never finish: counted as failed without touching the finish time. */
    void abandoned(long requests) {
        failures.addAndGet(Failure.TIMEOUT.ordinal(), requests);
    }

    private void finish(long nowNanos) {
        lastFinishedNanos = nowNanos;
        finished.incrementAndGet();
    }

    long finished() {
        return finished.get();
    }

    /** When the last measured request finished; 0 if none did. */
    long lastFinishedNanos() {
        return lastFinishedNanos;
    }

    long failures() {
        long sum = 0;
        for (int i = 0; i < failures.length(); i++) {
            sum += failures.get(i);
        }
        return sum;
    }

    Map<Failure, Long> failuresByKind() {
        final Map<Failure, Long> byKind = new EnumMap<>(Failure.class);
        for (Failure failure : Failure.values()) {
            byKind.put(failure, failures.get(failure.ordinal()));
        }
        return byKind;
    }

    /** Moves what was recorded since the last call into the running totals. */
    void drainInto(Totals totals) {
        totals.latency.add(latency.getIntervalHistogram());
        totals.serviceTime.add(serviceTime.getIntervalHistogram());
        totals.sendDelay.add(sendDelay.getIntervalHistogram());
    }

    /** The histograms of the run so far, owned by the reporting thread. */
    static final class Totals {
        final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        final Histogram serviceTime = new Histogram(HIGHEST_MICROS, 3);
        final Histogram sendDelay = new Histogram(HIGHEST_MICROS, 3);
    }
}
