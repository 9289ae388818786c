package io.flakeproof.reports;

import io.flakeproof.generator.SystemClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the run is doing, on stderr: the stage, its step and the time so far. A heartbeat repeats the
 * current step every {@value #HEARTBEAT_SECONDS} s while nothing else was printed, with the last line
 * the step's command wrote to its log (a simulation's seeds done, JMH's run progress, the load
 * generator's second), so a long step never looks hung and says how far along it is.
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
    private volatile Path log;
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

    /** The log the current step's command writes; the heartbeat shows its last line. */
    void watch(Path log) {
        this.log = log;
    }

    double elapsedSeconds() {
        return (SystemClock.INSTANCE.monotonicNanos() - started) / 1e9;
    }

    private void print(String line) {
        current = line.strip();
        log = null;
        synchronized (err) {
            err.printf(Locale.ROOT, "%s (%.0f s)%n", line, elapsedSeconds());
            err.flush();
        }
        lastPrint = SystemClock.INSTANCE.monotonicNanos();
    }

    private void beat() {
        if (SystemClock.INSTANCE.monotonicNanos() - lastPrint >= (HEARTBEAT_SECONDS - 1) * 1_000_000_000L) {
            synchronized (err) {
                final String last = lastLine(log);
                err.printf(Locale.ROOT, "  ... still at %s (%.0f s)%s%n", current, elapsedSeconds(),
                        last.isEmpty() ? "" : ": " + last);
                err.flush();
            }
        }
    }

    /** The last line of {@code log} (after its last carriage return), at most 160 characters; empty if none. */
    static String lastLine(Path log) {
        if (log == null) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            final long length = f.length();
            final int n = (int) Math.min(length, 4096);
            final byte[] tail = new byte[n];
            f.seek(length - n);
            f.readFully(tail);
            final String text = new String(tail, StandardCharsets.UTF_8);
            final String[] lines = text.split("[\\r\\n]+");
            for (int i = lines.length - 1; i >= 0; i--) {
                final String l = lines[i].strip();
                if (!l.isEmpty()) {
                    return l.length() > 160 ? l.substring(0, 160) + "..." : l;
                }
            }
            return "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
    }
}
