package io.flakeproof.service.http;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The HTTP layer's own metrics. The {@code route} label is a path template of {@link Route} and
 * {@code status} one of the few statuses the node sends, so every label set is bounded.
 * <ul>
 *   <li>{@code flakeproof_http_request_duration_seconds{route,status}}: from the request being whole
 *       on the event loop (so queueing for the mint executor counts) to its response being written;</li>
 *   <li>{@code flakeproof_http_requests_total{route,status}}: responses sent, 413s included;</li>
 *   <li>{@code flakeproof_http_ids_served_total{route}}: IDs delivered: in 200 responses of {@code /ids} and
 *       {@code /ids/ranges} written to their connection;</li>
 *   <li>{@code flakeproof_http_ids_undelivered_total{route}}: IDs minted for a response that could not be
 *       written, because the client left while they were minted (the node mints nothing for a connection
 *       it already knows to be closed);</li>
 *   <li>{@code flakeproof_http_requests_in_flight}: requests received and not yet answered;</li>
 *   <li>{@code flakeproof_http_connections_open} and {@code flakeproof_http_connections_refused_total}:
 *       connections open now, and those refused at the cap;</li>
 *   <li>{@code flakeproof_http_answers_held_bytes}: the {@link AnswerBudget} taken now.</li>
 * </ul>
 */
final class HttpMetrics {

    /**
     * Seconds. Fine below a millisecond, where a healthy node answers and where the load generator's
     * p99 gate lies, coarse up to the longest a mint may wait for the clock (about a second).
     */
    private static final double[] LATENCY_BOUNDS = {
        0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.000_75, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
        1, 2.5};

    /** The statuses whose data points are kept at hand: every status the node sends lies in [100, 600). */
    private static final int MIN_STATUS = 100;
    private static final int STATUSES = 500;

    private final Histogram latency;
    private final Counter requests;
    private final Counter idsServed;
    private final Counter idsUndelivered;
    private final Counter connectionsRefused;
    /**
     * The data points of each (route, status) and route, looked up once: a lookup by label values
     * builds a label list and its iterator, and the status's text, every time (about 260 of the
     * 2,700 bytes a single-ID request allocated). Racing first lookups store the same point.
     */
    private final AtomicReferenceArray<DistributionDataPoint> latencyPoints =
            new AtomicReferenceArray<>(Route.values().length * STATUSES);
    private final AtomicReferenceArray<CounterDataPoint> requestPoints =
            new AtomicReferenceArray<>(Route.values().length * STATUSES);
    private final AtomicReferenceArray<CounterDataPoint> servedPoints = new AtomicReferenceArray<>(Route.values().length);

    /**
     * Registers the metrics in {@code registry}.
     *
     * @throws IllegalArgumentException if the registry already holds them (one HTTP layer per registry)
     */
    HttpMetrics(PrometheusRegistry registry, InFlightRequests inFlight, AtomicInteger openConnections,
            AnswerBudget budget) {
        latency = Histogram.builder()
                .name("flakeproof_http_request_duration_seconds")
                .unit(Unit.SECONDS)
                .help("Time from a request being received whole to its response being written")
                .labelNames("route", "status")
                .classicOnly()
                .classicUpperBounds(LATENCY_BOUNDS)
                .register(registry);
        requests = Counter.builder()
                .name("flakeproof_http_requests")
                .help("HTTP responses sent, by route and status")
                .labelNames("route", "status")
                .register(registry);
        idsServed = Counter.builder()
                .name("flakeproof_http_ids_served")
                .help("IDs delivered in HTTP responses written to their connection, by route")
                .labelNames("route")
                .register(registry);
        idsUndelivered = Counter.builder()
                .name("flakeproof_http_ids_undelivered")
                .help("IDs minted for HTTP responses that could not be written (the client left), by route")
                .labelNames("route")
                .register(registry);
        connectionsRefused = Counter.builder()
                .name("flakeproof_http_connections_refused")
                .help("Connections answered 503 and closed because the node held as many as it may")
                .register(registry);
        GaugeWithCallback.builder()
                .name("flakeproof_http_connections_open")
                .help("HTTP connections open")
                .callback(gauge -> gauge.call(openConnections.get()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("flakeproof_http_answers_held_bytes")
                .unit(Unit.BYTES)
                .help("Bytes of ID answers held until they are written to their connections")
                .callback(gauge -> gauge.call(budget.held()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("flakeproof_http_requests_in_flight")
                .help("HTTP requests received and not yet answered")
                .callback(gauge -> gauge.call(inFlight.count()))
                .register(registry);
    }

    /** A response was written (or failed to be) {@code elapsedNanos} after its request was whole. */
    void answered(Route route, int status, long elapsedNanos) {
        if (status < MIN_STATUS || status >= MIN_STATUS + STATUSES) {
            final String statusLabel = Integer.toString(status);
            latency.labelValues(route.label(), statusLabel).observe(elapsedNanos / 1e9);
            requests.labelValues(route.label(), statusLabel).inc();
            return;
        }
        final int slot = route.ordinal() * STATUSES + (status - MIN_STATUS);
        DistributionDataPoint latencyPoint = latencyPoints.get(slot);
        CounterDataPoint requestsPoint = requestPoints.get(slot);
        if (latencyPoint == null || requestsPoint == null) {
            final String statusLabel = Integer.toString(status);
            latencyPoint = latency.labelValues(route.label(), statusLabel);
            requestsPoint = requests.labelValues(route.label(), statusLabel);
            latencyPoints.set(slot, latencyPoint);
            requestPoints.set(slot, requestsPoint);
        }
        latencyPoint.observe(elapsedNanos / 1e9);
        requestsPoint.inc();
    }

    /** {@code count} IDs of a response of {@code route} were written to its connection. */
    void served(Route route, long count) {
        CounterDataPoint point = servedPoints.get(route.ordinal());
        if (point == null) {
            point = idsServed.labelValues(route.label());
            servedPoints.set(route.ordinal(), point);
        }
        point.inc(count);
    }

    /** {@code count} IDs were minted for a response of {@code route} that could not be written. */
    void undelivered(Route route, long count) {
        idsUndelivered.labelValues(route.label()).inc(count);
    }

    /** A connection was refused at the cap. */
    void connectionRefused() {
        connectionsRefused.inc();
    }
}
