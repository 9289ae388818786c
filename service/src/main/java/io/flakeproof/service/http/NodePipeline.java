package io.flakeproof.service.http;

import io.flakeproof.service.IdNode;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The channel pipeline of the node, one place for the server and its tests:
 * <pre>
 *   idle        IdleStateHandler: an event after idleTimeout with nothing read and no write progress
 *   decoder     NodeRequestDecoder: bytes to requests; versions, the request timeout; line 4 KiB, headers 8 KiB
 *   encoder     HttpResponseEncoder: responses to bytes
 *   limit       ConnectionLimit: past maxConnections, a 503 and a close
 *   keep-alive  HttpServerKeepAliveHandler: Connection headers; closes after a response marked close
 *   aggregator  JsonErrorAggregator: whole requests of at most maxRequestBytes; refusals as failed requests
 *   ids         NodeRequestHandler: answers each connection's requests one at a time, in order
 * </pre>
 * Every handler runs on the channel's event loop and none blocks; only the answering, on the mint
 * executor, may. The parts shared by every channel (the routes, the metrics, the in-flight and open
 * connection counts, the answer budget) are made once here.
 */
final class NodePipeline {

    private final HttpSettings settings;
    private final HttpMetrics metrics;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AnswerBudget budget;
    private final NodeRoutes routes;

    /**
     * @throws IllegalArgumentException if {@code registry} already holds the HTTP metrics
     */
    NodePipeline(IdNode node, HttpSettings settings, PrometheusRegistry registry) {
        this.settings = settings;
        this.budget = new AnswerBudget(settings.maxAnswerBytes());
        this.metrics = new HttpMetrics(registry, inFlight, openConnections, budget);
        this.routes = new NodeRoutes(node, settings.maxCount(), registry, budget);
    }

    /**
     * Adds the node's handlers to a channel's pipeline.
     *
     * @param mintExecutor the executor, shared by every channel, that answers requests which may block;
     *                     null answers them on the channel's event loop, which only tests on an
     *                     {@code EmbeddedChannel} may do
     */
    void install(ChannelPipeline pipeline, EventExecutor mintExecutor) {
        pipeline.addLast("idle", new IdleStateHandler(true, 0, 0, settings.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
        pipeline.addLast("decoder", new NodeRequestDecoder(settings.requestTimeout()));
        pipeline.addLast("encoder", new HttpResponseEncoder());
        pipeline.addLast("limit", new ConnectionLimit(openConnections, settings.maxConnections(), metrics));
        pipeline.addLast("keep-alive", new HttpServerKeepAliveHandler());
        pipeline.addLast("aggregator", new JsonErrorAggregator(settings.maxRequestBytes()));
        pipeline.addLast("ids", new NodeRequestHandler(routes, metrics, inFlight, budget, mintExecutor,
                settings.maxPipelined()));
    }

    InFlightRequests inFlight() {
        return inFlight;
    }
}
