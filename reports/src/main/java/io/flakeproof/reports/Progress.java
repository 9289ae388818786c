package io.flakeproof.reports;

import io.flakeproof.generator.SystemClock;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the run is doing, on stderr: the stage, its step and the time so far. A heartbeat repeats the
 * current step every {@value #HEARTBEAT_SECONDS} s while nothing else was printed, so a long step
 * never looks hung.
 */
final class Progress implements AutoCloseable {

    static final int HEARTBEAT_SECONDS = 15;

    private final PrintWriter err;
    private final long started = SystemClock.INSTANCE.monotonicNanos();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "report-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile String current = "starting";
    private volatile long lastPrint = SystemClock.INSTANCE.monotonicNanos();
    private int stage;
    private final int stages;

    Progress(PrintWriter err, int stages) {
        this.err = err;
        this.stages = stages;
        heartbeat.scheduleAtFixedRate(this::beat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    /** Enters the next stage. */
    void stage(String name) {
        stage++;
        print(String.format(Locale.ROOT, "[%d/%d] %s", stage, stages, name));
    }

    /** A step inside the current stage. */
    void step(String what) {
        print(String.format(Locale.ROOT, "[%d/%d]   %s", stage, stages, what));
    }

    double elapsedSeconds() {
        return (SystemClock.INSTANCE.monotonicNanos() - started) / 1e9;
    }

    private void print(String line) {
        current = line.strip();
        synchronized (err) {
            err.printf(Locale.ROOT, "%s (%.0f s)%n", line, elapsedSeconds());
            err.flush();
        }
        lastPrint = SystemClock.INSTANCE.monotonicNanos();
    }

    private void beat() {
        if (SystemClock.INSTANCE.monotonicNanos() - lastPrint >= (HEARTBEAT_SECONDS - 1) * 1_000_000_000L) {
            synchronized (err) {
                err.printf(Locale.ROOT, "  ... still at %s (%.0f s)%n", current, elapsedSeconds());
                err.flush();
            }
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
    }
}
