package io.flakeproof.jmh;

import io.flakeproof.generator.IdRange;
import io.flakeproof.generator.SnowflakeGenerator;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batches: {@code nextIds(k)} fills an array of {@code k} IDs, {@code nextRanges(k)} returns them as
 * ranges of consecutive longs, each with one CAS per tick touched. {@code @OperationsPerInvocation(k)}
 * makes every score IDs per second, comparable with {@link NextIdBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@State(Scope.Benchmark)
public class BatchThroughput {

    @Param
    public Layout layout;

    private SnowflakeGenerator generator;

    @Setup(Level.Trial)
    public void create() {
        generator = layout.newGenerator();
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public long[] nextIds10() {
        return generator.nextIds(10);
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public long[] nextIds100() {
        return generator.nextIds(100);
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public long[] nextIds1000() {
        return generator.nextIds(1000);
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public List<IdRange> nextRanges10() {
        return generator.nextRanges(10);
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public List<IdRange> nextRanges100() {
        return generator.nextRanges(100);
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public List<IdRange> nextRanges1000() {
        return generator.nextRanges(1000);
    }
}
