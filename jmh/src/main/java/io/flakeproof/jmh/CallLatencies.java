package io.flakeproof.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The every-call latencies of one trial of {@link NextIdEveryCall}, in nanoseconds: a console line
 * and a JSON line that carries the whole histogram (HdrHistogram's compressed encoding, Base64), so
 * a report can redraw any percentile later.
 *
 * @param benchmark the benchmark's full name
 * @param params    its JMH parameters, such as {@code impl} and {@code load}
 * @param threads   how many threads shared the implementation
 * @param histogram every measured call, in nanoseconds
 */
record CallLatencies(String benchmark, Map<String, String> params, int threads, Histogram histogram) {

    /** The percentiles reported, with their JSON names. */
    private static final Map<String, Double> PERCENTILES = Map.of(
            "p50", 50.0, "p90", 90.0, "p99", 99.0, "p99_9", 99.9, "p99_99", 99.99);

    private static final String[] ORDER = {"p50", "p90", "p99", "p99_9", "p99_99"};

    private static final JsonFactory JSON = new JsonFactory();

    static CallLatencies of(BenchmarkParams benchmark, Histogram histogram) {
        final Map<String, String> params = new LinkedHashMap<>();
        for (String key : benchmark.getParamsKeys()) {
            params.put(key, benchmark.getParam(key));
        }
        return new CallLatencies(benchmark.getBenchmark(), params, benchmark.getThreads(), histogram.copy());
    }

    /** One line: {@code every call: NAME {impl=..} x2 threads: N calls, ns p50 .. max ..}. */
    String describe() {
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "every call: %s %s x%d thread%s: %,d calls, ns",
                shortName(), params, threads, threads == 1 ? "" : "s", histogram.getTotalCount()));
        for (String name : ORDER) {
            line.append(' ').append(name.replace('_', '.')).append(' ')
                    .append(histogram.getValueAtPercentile(PERCENTILES.get(name)));
        }
        return line.append(" max ").append(histogram.getMaxValue()).toString();
    }

    /** Appends the JSON line to {@code file}, creating it and its directory if needed. */
    void appendTo(String file) {
        final Path path = Path.of(file);
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, toJson() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append every-call latencies to " + path.toAbsolutePath(), e);
        }
    }

    String toJson() {
        final StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("benchmark", benchmark);
            json.writeObjectFieldStart("params");
            for (Map.Entry<String, String> param : params.entrySet()) {
                json.writeStringField(param.getKey(), param.getValue());
            }
            json.writeEndObject();
            json.writeNumberField("threads", threads);
            json.writeStringField("unit", "ns");
            json.writeNumberField("calls", histogram.getTotalCount());
            json.writeNumberField("mean", Math.round(histogram.getMean() * 10) / 10.0);
            for (String name : ORDER) {
                json.writeNumberField(name, histogram.getValueAtPercentile(PERCENTILES.get(name)));
            }
            json.writeNumberField("max", histogram.getMaxValue());
            json.writeStringField("histogram", encode(histogram));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private String shortName() {
        final int method = benchmark.lastIndexOf('.');
        final int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /** HdrHistogram's compressed form, which {@code Histogram.decodeFromCompressedByteBuffer} reads back. */
    private static String encode(Histogram histogram) {
        final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }
}
