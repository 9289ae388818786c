package io.flakeproof.jmh;

import io.flakeproof.generator.SystemClock;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Latency of every single call, not a sample: each invocation makes {@value #CALLS} calls and times
 * each one with two {@link System#nanoTime()} reads into a per-thread HdrHistogram.
 *
 * <h2>Why not JMH's SampleTime alone</h2>
 * SampleTime times one call in every 2^k (k grows as the run goes on). A capped generator stalls
 * once per 4,096 IDs, at the tick boundary; 4,096 is 2^12, so a power-of-two stride lands on the
 * same position of every tick: it sees the stall in every sample or in none, and its p99.99 is
 * either wildly high or blind. Timing every call has no stride to alias with.
 *
 * <h2>How results leave the fork</h2>
 * The primary score is JMH's throughput (IDs per second, {@code @OperationsPerInvocation}), which for
 * the bursty runs confirms the offered load was met. The percentiles cannot travel as a JMH score:
 * {@code @AuxCounters} only sums or rates counters. So each thread's histogram is merged at the end
 * of every measurement iteration (warm-up iterations are dropped) into one {@link Report} per trial,
 * which at trial end prints one line and appends one JSON line, with the whole histogram, to the
 * file named by the system property {@value Report#FILE_PROPERTY} (see README.md).
 *
 * <h2>What is and is not in a number</h2>
 * A recorded time includes one {@code nanoTime()} read, about 25 ns here: the
 * {@code CURRENT_TIME_MILLIS} row records 50 ns for a clock read that JMH puts at 24 ns. Recording
 * into the histogram happens outside the timed window but between calls, so back-to-back calls are
 * a few nanoseconds further apart than in {@link NextIdBenchmark}.
 *
 * <h2>Arrivals</h2>
 * <ul>
 *   <li>{@code saturatedOneThread}, {@code saturatedTwoThreads}: calls back to back, the two threads
 *       sharing one instance; a capped generator spends most of its time waiting for the clock.</li>
 *   <li>{@code bursty}: bursts of {@value #CALLS} IDs, each started {@code CALLS / (load x 4,096,000)}
 *       seconds after the previous one (2.5 ms at 80%), idle spinning in between; the average rate is
 *       {@code load} times the default layout's cap. A burst is two ticks' worth of sequence, so a
 *       generator that must wait for the next millisecond when a tick is spent stalls inside every
 *       burst, while one that may borrow ahead (flakeproof's default ABSORB policy) need not.</li>
 *   <li>{@code steady}: one call every {@code 1 / rate} seconds (1 &micro;s at the default 1,000,000 IDs/s),
 *       each timed alone; the client's refills run meanwhile on its own threads and show in the tail if
 *       they ever reach the caller.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NextIdEveryCall {

    /** Calls per invocation, and the size of one burst: two ticks of a 12-bit sequence. */
    public static final int CALLS = 8192;

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(CALLS)
    public long saturatedOneThread(PeerState peer, CallTimes times) {
        return times.timeCalls(peer.source(), CALLS);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(CALLS)
    public long saturatedTwoThreads(PeerState peer, CallTimes times) {
        return times.timeCalls(peer.source(), CALLS);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(CALLS)
    public long bursty(PeerState peer, Arrivals arrivals, CallTimes times) {
        arrivals.awaitNextBurst();
        return times.timeCalls(peer.source(), CALLS);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(CALLS)
    public long steady(PeerState peer, Pacing pacing, CallTimes times) {
        return times.timePacedCalls(peer.source(), CALLS, pacing);
    }

    /** One thread's call times during one iteration. */
    @State(Scope.Thread)
    public static class CallTimes {

        private final Histogram iteration = Report.newHistogram();

        /**
         * Makes {@code calls} calls, timing each, and returns their IDs folded together so that none
         * is dead code.
         */
        long timeCalls(IdSource source, int calls) {
            long folded = 0;
            for (int i = 0; i < calls; i++) {
                final long start = SystemClock.INSTANCE.monotonicNanos();
                folded ^= source.next();
                final long end = SystemClock.INSTANCE.monotonicNanos();
                iteration.recordValue(end - start);
            }
            return folded;
        }

        /**
         * Makes {@code calls} calls, each when {@code pacing} says it is due, timing each as
         * {@link #timeCalls} does: the call's own time, not the time since it was due (a stall of the
         * whole process, such as a GC pause, is charged to the one call it lands in, and the calls it
         * delays are made late, which the throughput score shows).
         */
        long timePacedCalls(IdSource source, int calls, Pacing pacing) {
            long folded = 0;
            for (int i = 0; i < calls; i++) {
                pacing.awaitNextCall();
                final long start = SystemClock.INSTANCE.monotonicNanos();
                folded ^= source.next();
                final long end = SystemClock.INSTANCE.monotonicNanos();
                iteration.recordValue(end - start);
            }
            return folded;
        }

        /** Hands a measurement iteration's times to the trial's report; drops a warm-up's. */
        @TearDown(Level.Iteration)
        public void collect(IterationParams params, Report report) {
            if (params.getType() == IterationType.MEASUREMENT) {
                report.add(iteration);
            }
            iteration.reset();
        }
    }

    /** The offered load of {@link #bursty}: when the next burst may start. */
    @State(Scope.Thread)
    public static class Arrivals {

        /** The average rate as a fraction of the default layout's cap of 4,096,000 IDs/s. */
        @Param({"0.5", "0.8"})
        public double load;

        private long periodNanos;
        private long nextBurstNanos;

        @Setup(Level.Iteration)
        public void start() {
            if (!(load > 0 && load <= 1)) {
                throw new IllegalArgumentException("load must be in (0, 1]: " + load);
            }
            periodNanos = Math.round(CALLS * 1e9 / (load * Layout.SNOWFLAKE.bits().idsPerSecondPerWorker()));
            nextBurstNanos = SystemClock.INSTANCE.monotonicNanos();
        }

        /**
         * Spins until the next burst is due. Bursts are spaced start to start; one that starts late
         * (the previous burst overran its period) pushes the rest back rather than being made up for,
         * so the offered load never exceeds {@code load}; the score shows the rate actually offered.
         */
        void awaitNextBurst() {
            final long due = nextBurstNanos;
            long now = SystemClock.INSTANCE.monotonicNanos();
            while (now < due) {
                Thread.onSpinWait();
                now = SystemClock.INSTANCE.monotonicNanos();
            }
            nextBurstNanos = Math.max(due, now) + periodNanos;
        }
    }

    /** The offered load of {@link #steady}: one call every {@code 1 / rate} seconds, spinning in between. */
    @State(Scope.Thread)
    public static class Pacing {

        /** Calls per second. */
        @Param({"1000000"})
        public long rate;

        private long periodNanos;
        private long nextCallNanos;

        @Setup(Level.Iteration)
        public void start() {
            if (rate < 1 || rate > 100_000_000) {
                throw new IllegalArgumentException("rate must be in [1, 100000000]: " + rate);
            }
            periodNanos = 1_000_000_000L / rate;
            nextCallNanos = SystemClock.INSTANCE.monotonicNanos();
        }

        /**
         * Spins until the next call is due. Calls keep their schedule: a late call does not push the later
         * ones back, so the offered rate stays {@code rate}.
         */
        void awaitNextCall() {
            final long due = nextCallNanos;
            while (SystemClock.INSTANCE.monotonicNanos() < due) {
                Thread.onSpinWait();
            }
            nextCallNanos = due + periodNanos;
        }
    }

    /** The trial's merged measurement histogram, reported once at the end. */
    @State(Scope.Benchmark)
    public static class Report {

        /** The system property naming the JSON-lines file the percentiles are appended to. */
        public static final String FILE_PROPERTY = "flakeproof.everycall";

        /** Where the lines go when the property is not set, relative to the working directory. */
        static final String DEFAULT_FILE = "jmh/results/everycall.jsonl";

        /** Longest time a histogram tracks: 60 s, far beyond any one call in a 1 s iteration. */
        private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

        private final Histogram trial = newHistogram();
        private BenchmarkParams benchmark;

        static Histogram newHistogram() {
            return new Histogram(HIGHEST_NANOS, 3);
        }

        @Setup(Level.Trial)
        public void begin(BenchmarkParams params) {
            benchmark = params;
        }

        synchronized void add(Histogram iteration) {
            trial.add(iteration);
        }

        @TearDown(Level.Trial)
        public synchronized void publish() {
            final CallLatencies latencies = CallLatencies.of(benchmark, trial);
            System.out.println(latencies.describe());
            latencies.appendTo(System.getProperty(FILE_PROPERTY, DEFAULT_FILE));
        }
    }
}
