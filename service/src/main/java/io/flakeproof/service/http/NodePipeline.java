package io.flakeproof.service.http;

import io.flakeproof.service.IdNode;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.EventExecutorGroup;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The channel pipeline of the node, one place for the server and its tests:
 * <pre>
 *   codec       HttpServerCodec: bytes to requests, responses to bytes; bounds the request line (4 KiB) and headers (8 KiB)
 *   keep-alive  HttpServerKeepAliveHandler: Connection headers; closes after a response marked close
 *   aggregator  JsonErrorAggregator: whole requests of at most maxRequestBytes, else a JSON 413
 *   ids         NodeRequestHandler: hands each request to the channel's mint executor, which answers it
 * </pre>
 * Every handler runs on the channel's event loop and none blocks; only the answering, on the mint
 * executor, may. The parts shared by every channel (the routes, the metrics, the in-flight count) are
 * made once here.
 */
final class NodePipeline {

    private final int maxRequestBytes;
    private final HttpMetrics metrics;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final NodeRoutes routes;

    /**
     * @throws IllegalArgumentException if {@code registry} already holds the HTTP metrics
     */
    NodePipeline(IdNode node, HttpSettings settings, PrometheusRegistry registry) {
        this.maxRequestBytes = settings.maxRequestBytes();
        this.metrics = new HttpMetrics(registry, inFlight);
        this.routes = new NodeRoutes(node, settings.maxCount(), registry, metrics);
    }

    /**
     * Adds the node's handlers to a channel's pipeline.
     *
     * @param mintGroup the group whose next executor answers this channel's requests; null answers them
     *                  on the channel's event loop, which only tests on an {@code EmbeddedChannel} may do
     */
    void install(ChannelPipeline pipeline, EventExecutorGroup mintGroup) {
        pipeline.addLast("codec", new HttpServerCodec());
        pipeline.addLast("keep-alive", new HttpServerKeepAliveHandler());
        pipeline.addLast("aggregator", new JsonErrorAggregator(maxRequestBytes, metrics));
        pipeline.addLast("ids", new NodeRequestHandler(routes, metrics, inFlight, mintGroup == null ? null : mintGroup.next()));
    }

    InFlightRequests inFlight() {
        return inFlight;
    }
}
