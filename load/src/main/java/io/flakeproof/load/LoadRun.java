package io.flakeproof.load;

import io.flakeproof.generator.SystemClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One open-loop run: opens the connections, then paces requests on the calling thread by the
 * {@link Schedule} (parking until the next request is due; a late wake-up releases every request
 * due by then, so pacing jitter delays requests but never drops them) while a reporting thread
 * prints a line a second, waits up to {@link #DRAIN} for the last answers, and sums it all up. Warm-up requests, if any, come first
 * on the same schedule and are left out of every number.
 *
 * <p>The pacing thread's own lateness is charged to the node: latency runs from the intended time.
 * The summary reports the delay from intended to actual send separately, so that a load generator
 * that could not keep up is visible rather than silently blamed on the node: with idle connections
 * that delay is the pacing alone (parking wakes some 50-100 us late on Linux).
 */
final class LoadRun {

    /** How long after the last intended send the run waits for answers; unanswered ones then fail. */
    static final Duration DRAIN = Duration.ofSeconds(10);

    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The first request is intended this long after the connections are open. */
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How often the drain checks for the last answers. */
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final LoadPlan plan;
    private final PrintWriter out;
    private final Measurements measurements = new Measurements();
    /** The warm-up's own record, read only to know when its last answer came back. */
    private final Measurements warmup = new Measurements();
    private final Measurements.Totals totals = new Measurements.Totals();
    private Schedule schedule;
    /** The intended send time of the first measured request: the run's time zero. */
    private long measuredStartNanos;
    /** Cleared when the run is over, to stop the reporting thread. */
    private volatile boolean reporting = true;

    private LoadRun(LoadPlan plan, PrintWriter out) {
        this.plan = plan;
        this.out = out;
    }

    /**
     * Runs the plan, printing progress to {@code out}.
     *
     * @throws IOException when the connections cannot be opened
     */
    static LoadSummary run(LoadPlan plan, PrintWriter out) throws IOException {
        return new LoadRun(plan, out).run();
    }

    private LoadSummary run() throws IOException {
        out.printf(Locale.ROOT, "flakeproof load: %,d requests at %,d/s for %s to %s on %d connection%s%n",
                plan.requests(), plan.rate(), plan.duration().toSeconds() + " s", plan.describeTarget(),
                plan.connections(), plan.connections() == 1 ? "" : "s");
        if (plan.warmupRequests() > 0) {
            out.printf(Locale.ROOT, "warming up: %,d requests at the same rate, not measured%n", plan.warmupRequests());
        }
        out.flush();
        try (HttpLoadClient client = HttpLoadClient.connect(plan, warmup, measurements)) {
            schedule = new Schedule(SystemClock.INSTANCE.monotonicNanos() + START_DELAY_NANOS, plan.rate(),
                    plan.warmupRequests() + plan.requests());
            measuredStartNanos = schedule.intendedNanos(plan.warmupRequests());
            client.start(schedule);
            final Thread reporter = new Thread(this::reportEverySecond, "flakeproof-load-report");
            reporter.setDaemon(true);
            reporter.start();
            try {
                pace(client);
                drain();
            } finally {
                reporting = false;
                LockSupport.unpark(reporter);
                joinUninterruptibly(reporter);
            }
        }
        // The event loop and the reporter have stopped: nothing finishes or reads any more.
        measurements.drainInto(totals);
        final long succeeded = totals.latency.getTotalCount();
        measurements.abandoned(plan.requests() - succeeded - measurements.failures());
        final long last = measurements.lastFinishedNanos();
        final long elapsed = (last == 0 ? SystemClock.INSTANCE.monotonicNanos() : last) - measuredStartNanos;
        return new LoadSummary(plan, plan.requests(), succeeded, measurements.failuresByKind(),
                Math.max(1, elapsed), totals.latency, totals.serviceTime, totals.sendDelay);
    }

    /** Releases each request at its intended time; parks in between and does nothing else. */
    private void pace(HttpLoadClient client) {
        long released = 0;
        while (released < schedule.requests()) {
            final long due = schedule.dueBy(SystemClock.INSTANCE.monotonicNanos());
            if (due > released) {
                client.release(due);
                released = due;
            }
            if (released < schedule.requests()) {
                LockSupport.parkNanos(schedule.intendedNanos(released) - SystemClock.INSTANCE.monotonicNanos());
            }
        }
    }

    private void drain() {
        final long deadline = schedule.lastNanos() + DRAIN.toNanos();
        long now = SystemClock.INSTANCE.monotonicNanos();
        while (warmup.finished() + measurements.finished() < schedule.requests() && now < deadline) {
            LockSupport.parkNanos(Math.min(DRAIN_POLL_NANOS, deadline - now));
            now = SystemClock.INSTANCE.monotonicNanos();
        }
    }

    /**
     * The reporting thread: once a second, that second's successful requests and IDs, failures so far
     * and the running p99, until {@link #reporting} is cleared. It has a thread of its own because
     * taking a recorder's interval may sleep (HdrHistogram's phase flip waits out a writer), which
     * on the pacing thread delayed requests by a millisecond or two once a second.
     */
    private void reportEverySecond() {
        long next = measuredStartNanos + SECOND_NANOS;
        long reportedFailures = 0;
        while (reporting) {
            final long now = SystemClock.INSTANCE.monotonicNanos();
            if (now < next) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            final long before = totals.latency.getTotalCount();
            measurements.drainInto(totals);
            final long ok = totals.latency.getTotalCount() - before;
            final long failures = measurements.failures();
            out.printf(Locale.ROOT, "%5d s  %,10d req/s  %,12d IDs/s  %,d failed (+%,d)  p99 %s ms so far%n",
                    (next - measuredStartNanos) / SECOND_NANOS, ok, ok * plan.count(), failures,
                    failures - reportedFailures, LoadSummary.millis(totals.latency.getValueAtPercentile(99)));
            out.flush();
            reportedFailures = failures;
            next += SECOND_NANOS * ((now - next) / SECOND_NANOS + 1); // skips seconds missed
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
