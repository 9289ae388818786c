package io.flakeproof.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One implementation called back to back, by one thread and by two threads sharing it, in two modes
 * ({@code jmh/bench} runs them as separate suites with {@code -bm} and {@code -tu}):
 * <ul>
 *   <li><b>Throughput</b>, IDs per second; with two threads JMH reports their sum. The capped
 *       generators should sit at their cap, 4,096,000 IDs/s, whatever the thread count; the
 *       uncapped ones show their raw speed and how it scales, or not, under contention on one
 *       instance.</li>
 *   <li><b>SampleTime</b>, JMH's latency percentiles, kept beside {@link NextIdEveryCall} because
 *       they disagree: JMH times one call in every 2^k, and a stride that divides 4,096 lands on the
 *       same position of every tick of a capped generator, so it sees the tick-boundary stall in
 *       every sample or in none. See README.md, "Why every call is timed".</li>
 * </ul>
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NextIdBenchmark {

    @Benchmark
    @Threads(1)
    public long oneThread(PeerState peer) {
        return peer.source().next();
    }

    @Benchmark
    @Threads(2)
    public long twoThreads(PeerState peer) {
        return peer.source().next();
    }
}
