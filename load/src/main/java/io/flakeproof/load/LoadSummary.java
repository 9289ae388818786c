package io.flakeproof.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of a load run. Latencies are microseconds in the histograms and milliseconds in the
 * text and JSON.
 *
 * @param plan        what was run
 * @param requests    requests the schedule held
 * @param succeeded   requests answered 200 with the IDs asked for
 * @param failures    failed requests by kind; they add up to {@code requests - succeeded}
 * @param elapsedNanos from the first intended send to the last answer
 * @param latency     successful requests, from intended send to answer: corrected for coordinated omission
 * @param serviceTime successful requests, from actual send to answer: not corrected, shown for contrast
 * @param sendDelay   every sent measured request, from intended to actual send: waiting for a free
 *                    connection, plus the load generator's own pacing lateness
 */
record LoadSummary(LoadPlan plan, long requests, long succeeded, Map<Failure, Long> failures, long elapsedNanos,
                          Histogram latency, Histogram serviceTime, Histogram sendDelay) {

    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99_9"};

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * The runs taken together as one run of {@code plan}: requests, failures and time added up, the
     * histograms merged (so the percentiles are those of every request of every run, not an average of
     * the runs' percentiles).
     */
    static LoadSummary combine(LoadPlan plan, List<LoadSummary> runs) {
        final Histogram latency = new Histogram(Measurements.HIGHEST_MICROS, 3);
        final Histogram serviceTime = new Histogram(Measurements.HIGHEST_MICROS, 3);
        final Histogram sendDelay = new Histogram(Measurements.HIGHEST_MICROS, 3);
        final Map<Failure, Long> failures = new EnumMap<>(Failure.class);
        long requests = 0;
        long succeeded = 0;
        long elapsed = 0;
        for (LoadSummary run : runs) {
            requests += run.requests;
            succeeded += run.succeeded;
            elapsed += run.elapsedNanos;
            run.failures.forEach((kind, n) -> failures.merge(kind, n, Long::sum));
            latency.add(run.latency);
            serviceTime.add(run.serviceTime);
            sendDelay.add(run.sendDelay);
        }
        return new LoadSummary(plan, requests, succeeded, failures, Math.max(1, elapsed), latency, serviceTime, sendDelay);
    }

    /** Failed requests of every kind. */
    long failed() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Successful requests per second over the run. */
    double achievedRate() {
        return succeeded * 1e9 / elapsedNanos;
    }

    /** IDs received per second over the run. */
    double idsPerSecond() {
        return achievedRate() * plan.count();
    }

    /** The corrected p99, in microseconds: what {@link Gate} judges. */
    long p99Micros() {
        return latency.getValueAtPercentile(99);
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%,d of %,d requests succeeded in %.3f s: %,.1f req/s, %,.0f IDs/s; %,d failed%s%n",
                succeeded, requests, elapsedNanos / 1e9, achievedRate(), idsPerSecond(), failed(), failureDetail());
        out.println("latency from intended send (corrected for coordinated omission), ms:" + percentiles(latency));
        out.println("service time from actual send (not corrected; for contrast), ms:    " + percentiles(serviceTime));
        out.println("send delay behind schedule (queueing for a connection, pacing), ms:  " + percentiles(sendDelay));
    }

    /**
     * One line: how much the node's latency percentiles exceed this run's (the floor's), in ms.
     * What is left after the floor is the node's own, plus the two processes competing for cores.
     */
    String overheadLine(LoadSummary node) {
        final StringBuilder line = new StringBuilder("the node over the floor (latency, ms):");
        for (int i = 0; i < PERCENTILES.length; i++) {
            line.append(' ').append(PERCENTILE_NAMES[i].replace('_', '.')).append(' ')
                    .append(signedMillis(node.latencyOver(this, PERCENTILES[i])));
        }
        return line.append(" max ").append(signedMillis(node.latency.getMaxValue() - latency.getMaxValue())).toString();
    }

    /**
     * Writes the summary, the gate's verdict if there is one, and the floor's run if there was one
     * (as {@code floor}, with the same fields, and the node's overhead over it, its turns merged), as a
     * JSON object to {@code file}. A verdict over the floor also writes what it was judged on: the
     * node's p99 over the floor's in each pair of turns ({@code overByTurn}, in microseconds).
     */
    void writeJson(Path file, Gate gate, Gate.Verdict verdict, LoadSummary floor, String floorServer, List<Long> overByTurn)
            throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             JsonGenerator json = JSON.createGenerator(writer).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            writeFields(json);
            if (gate != null) {
                json.writeObjectFieldStart("gate");
                json.writeNumberField("p99_ms", gate.p99Millis());
                json.writeBooleanField("passed", verdict.passed());
                json.writeStringField("verdict", verdict.line());
                json.writeBooleanField("judged_over_floor", verdict.overFloor());
                if (verdict.overFloor()) {
                    // What the verdict was on: per pair of turns, the node's p99 minus the floor's.
                    json.writeArrayFieldStart("over_floor_by_turn_ms");
                    for (long micros : overByTurn) {
                        json.writeNumber(micros / 1000.0);
                    }
                    json.writeEndArray();
                }
                json.writeEndObject();
            }
            if (floor != null) {
                json.writeObjectFieldStart("floor");
                json.writeStringField("server", floorServer);
                floor.writeFields(json);
                json.writeEndObject();
                json.writeObjectFieldStart("over_floor_ms");
                for (int i = 0; i < PERCENTILES.length; i++) {
                    json.writeNumberField(PERCENTILE_NAMES[i], latencyOver(floor, PERCENTILES[i]) / 1000.0);
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        }
    }

    private void writeFields(JsonGenerator json) throws IOException {
        json.writeStringField("target", plan.describeTarget());
        json.writeNumberField("rate", plan.rate());
        json.writeNumberField("duration_s", plan.duration().toSeconds());
        json.writeNumberField("count", plan.count());
        json.writeNumberField("connections", plan.connections());
        json.writeNumberField("requests", requests);
        json.writeNumberField("succeeded", succeeded);
        json.writeNumberField("failed", failed());
        json.writeObjectFieldStart("failed_by_kind");
        for (Map.Entry<Failure, Long> failure : failures.entrySet()) {
            json.writeNumberField(failure.getKey().label(), failure.getValue());
        }
        json.writeEndObject();
        json.writeNumberField("elapsed_s", round3(elapsedNanos / 1e9));
        json.writeNumberField("achieved_rate", round3(achievedRate()));
        json.writeNumberField("ids_per_second", round3(idsPerSecond()));
        writePercentiles(json, "latency_ms", latency);
        writePercentiles(json, "service_time_ms", serviceTime);
        writePercentiles(json, "send_delay_ms", sendDelay);
    }

    /** Microseconds as milliseconds with three decimals: {@code 1234} is {@code 1.234}. */
    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    /** This run's latency at {@code percentile} minus {@code floor}'s, in microseconds. */
    private long latencyOver(LoadSummary floor, double percentile) {
        return latency.getValueAtPercentile(percentile) - floor.latency.getValueAtPercentile(percentile);
    }

    /** Microseconds as signed milliseconds with three decimals: {@code -1234} is {@code -1.234}, {@code 0} is {@code +0.000}. */
    static String signedMillis(long micros) {
        return (micros >= 0 ? "+" : "-") + millis(Math.abs(micros));
    }

    private String failureDetail() {
        final StringBuilder detail = new StringBuilder();
        failures.forEach((kind, n) -> {
            if (n > 0) {
                detail.append(detail.length() == 0 ? " (" : ", ").append(kind.label()).append(' ').append(n);
            }
        });
        return detail.length() == 0 ? "" : detail.append(')').toString();
    }

    private static String percentiles(Histogram histogram) {
        final StringBuilder line = new StringBuilder();
        for (int i = 0; i < PERCENTILES.length; i++) {
            line.append(' ').append(PERCENTILE_NAMES[i].replace('_', '.')).append(' ')
                    .append(millis(histogram.getValueAtPercentile(PERCENTILES[i])));
        }
        return line.append(" max ").append(millis(histogram.getMaxValue())).toString();
    }

    private static void writePercentiles(JsonGenerator json, String field, Histogram histogram) throws IOException {
        json.writeObjectFieldStart(field);
        for (int i = 0; i < PERCENTILES.length; i++) {
            json.writeNumberField(PERCENTILE_NAMES[i], histogram.getValueAtPercentile(PERCENTILES[i]) / 1000.0);
        }
        json.writeNumberField("max", histogram.getMaxValue() / 1000.0);
        json.writeEndObject();
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
