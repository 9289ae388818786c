package io.flakeproof.service.http;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.Lease;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.StaticLease;
import io.flakeproof.service.IdNode;
import io.flakeproof.service.StaticNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The node's pipeline on an {@link EmbeddedChannel}, with the request handler inline: requests go in
 * as raw HTTP/1.1 text, responses come out decoded. Deterministic over a {@link ManualClock}.
 */
final class NodeChannel {

    /** When every test's clock reads at first: 5,375,167,123 ms (ticks of the snowflake layout) after the epoch. */
    static final Instant NOW = Instant.parse("2025-03-04T05:06:07.123Z");

    /** The worker of {@link #staticNode}. */
    static final long WORKER = 7;

    final PrometheusRegistry registry = new PrometheusRegistry();
    final EmbeddedChannel channel = new EmbeddedChannel();
    private final NodePipeline pipeline;

    NodeChannel(IdNode node, HttpSettings settings) {
        pipeline = new NodePipeline(node, settings, registry);
        pipeline.install(channel.pipeline(), null);
    }

    NodeChannel(IdNode node) {
        this(node, HttpSettings.defaults());
    }

    /** A node on the snowflake layout, datacenter 0, worker 7, the default drift policy, on {@code clock}. */
    static StaticNode staticNode(ManualClock clock) {
        return new StaticNode(generator(BitLayout.snowflake(), new StaticLease(0, WORKER), clock));
    }

    static SnowflakeGenerator generator(BitLayout layout, Lease lease, ManualClock clock) {
        return new SnowflakeGenerator(layout, lease, clock, DriftPolicy.DEFAULT);
    }

    InFlightRequests inFlight() {
        return pipeline.inFlight();
    }

    /** One request without a body, and its one response. */
    Reply send(String method, String uri, String... headerLines) {
        final StringBuilder raw = new StringBuilder(method).append(' ').append(uri).append(" HTTP/1.1\r\nHost: node\r\n");
        for (String line : headerLines) {
            raw.append(line).append("\r\n");
        }
        final List<Reply> replies = sendRaw(raw.append("\r\n").toString());
        if (replies.size() != 1) {
            throw new AssertionError("expected one response to " + method + " " + uri + ", got " + replies.size());
        }
        return replies.get(0);
    }

    Reply post(String uri, String... headerLines) {
        return send("POST", uri, headerLines);
    }

    Reply get(String uri, String... headerLines) {
        return send("GET", uri, headerLines);
    }

    /** Raw bytes in, every complete response out, decoded as responses to requests that may have a body. */
    List<Reply> sendRaw(String request) {
        return exchange(request, new HttpResponseDecoder());
    }

    /** A HEAD request: its response has a Content-Length but never a body. */
    Reply head(String uri) {
        final List<Reply> replies = exchange("HEAD " + uri + " HTTP/1.1\r\nHost: node\r\n\r\n", new HttpResponseDecoder() {
            @Override
            protected boolean isContentAlwaysEmpty(HttpMessage msg) {
                return true;
            }
        });
        if (replies.size() != 1) {
            throw new AssertionError("expected one response to HEAD " + uri + ", got " + replies.size());
        }
        return replies.get(0);
    }

    private List<Reply> exchange(String request, HttpResponseDecoder decoder) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
        final EmbeddedChannel client = new EmbeddedChannel(decoder, new HttpObjectAggregator(64 << 20));
        for (Object bytes = channel.readOutbound(); bytes != null; bytes = channel.readOutbound()) {
            client.writeInbound(bytes);
        }
        final List<Reply> replies = new ArrayList<>();
        for (FullHttpResponse response = client.readInbound(); response != null; response = client.readInbound()) {
            try {
                replies.add(new Reply(response.status().code(), response.headers().copy(),
                        ByteBufUtil.getBytes(response.content())));
            } finally {
                response.release();
            }
        }
        client.finishAndReleaseAll();
        return replies;
    }

    /** A decoded response. */
    record Reply(int status, HttpHeaders headers, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(CharSequence name) {
            return headers.get(name);
        }

        /** The IDs of a {@code {"ids":[...]}} body, numbers or strings. */
        long[] jsonIds() {
            final String json = text();
            final String list = json.substring(json.indexOf('[') + 1, json.lastIndexOf(']'));
            return list.isEmpty() ? new long[0]
                    : Arrays.stream(list.split(",")).mapToLong(id -> Long.parseLong(id.replace("\"", ""))).toArray();
        }

        /** The body as 8-byte big-endian longs. */
        long[] longs() {
            final ByteBuf buffer = Unpooled.wrappedBuffer(body);
            final long[] values = new long[body.length / Long.BYTES];
            for (int i = 0; i < values.length; i++) {
                values[i] = buffer.readLong();
            }
            return values;
        }
    }
}
