package io.flakeproof.service.http;

import io.flakeproof.generator.IdRange;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.service.IdNode;
import io.flakeproof.service.NodeHealth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What the node answers to a well-formed request: the route table applied. Shared by every channel
 * and thread-safe (it holds no mutable state of its own). Minting may block; see {@link HttpNodeServer}.
 *
 * <p>Throws {@link RequestRejected} for a 400 or 404 and lets
 * {@link io.flakeproof.generator.MintRefusedException} through for a 503; {@link NodeRequestHandler}
 * turns both into responses. An answer says how many IDs it holds, so that the handler counts them
 * as delivered only once they are written.
 */
final class NodeRoutes {

    private static final PrometheusTextFormatWriter METRICS_FORMAT = PrometheusTextFormatWriter.create();

    private final IdNode node;
    private final int maxCount;
    private final PrometheusRegistry registry;
    private final AnswerBudget budget;

    NodeRoutes(IdNode node, int maxCount, PrometheusRegistry registry, AnswerBudget budget) {
        this.node = node;
        this.maxCount = maxCount;
        this.registry = registry;
        this.budget = budget;
    }

    /**
     * A response, the number of IDs minted for it, and the bytes of the {@link AnswerBudget} it holds
     * until it is written (0 for all but ID answers).
     */
    record Outcome(FullHttpResponse response, long ids, long budgetBytes) {
        Outcome(FullHttpResponse response) {
            this(response, 0, 0);
        }
    }

    /**
     * The answer to {@code request}, whose path is {@code route}. Without {@code mayWait}, null when
     * answering might block: only errors, decoding, health and single IDs that need no wait for the
     * clock are answered then (the event loop's fast path); everything else is left for a thread that
     * may wait.
     */
    Outcome answer(ByteBufAllocator alloc, Route route, FullHttpRequest request, QueryStringDecoder uri,
            boolean mayWait) {
        if (route == Route.UNKNOWN) {
            throw new RequestRejected(HttpResponseStatus.NOT_FOUND,
                    "no route for " + uri.path() + "; routes: " + Route.describeAll());
        }
        if (!route.method().equals(request.method())) {
            final FullHttpResponse response = Responses.error(alloc, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method " + request.method() + " is not allowed on " + route.label() + "; allowed: "
                            + route.method());
            response.headers().set(HttpHeaderNames.ALLOW, route.method().name());
            return new Outcome(response);
        }
        if (!mayWait && (route == Route.RANGES || route == Route.METRICS)) {
            return null;
        }
        switch (route) {
            case IDS:
                return ids(alloc, request, uri, mayWait);
            case RANGES:
                return ranges(alloc, uri);
            case DECODE:
                final long id = RequestParams.id(Route.idSegment(uri.path()));
                return new Outcome(Responses.json(HttpResponseStatus.OK,
                        JsonBodies.decoded(alloc, node.layout().decode(id))));
            case HEALTH: // reads volatile state and takes one short lock: never blocks
                final NodeHealth health = node.health();
                final boolean ready = health.status() == NodeHealth.Status.OK
                        || health.status() == NodeHealth.Status.DEGRADED;
                return new Outcome(Responses.json(!ready ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK, JsonBodies.health(alloc, health)));
            case METRICS:
                return new Outcome(metrics(alloc));
            default:
                throw new IllegalStateException("no answer for route " + route);
        }
    }

    /**
     * All or nothing: {@code nextIds} either returns every ID or throws, and then the client gets a 503.
     * Batches of more than a tick's sequence are paced ({@link PacedBatches}). The answer's buffer is
     * taken from the {@link AnswerBudget} before anything is minted: over it, a 503.
     * With {@code Accept: application/octet-stream} the body is the IDs as 8-byte big-endian longs, and
     * {@code format} (still checked) does not apply.
     */
    private Outcome ids(ByteBufAllocator alloc, FullHttpRequest request, QueryStringDecoder uri, boolean mayWait) {
        final int count = RequestParams.count(uri, maxCount);
        final boolean asStrings = RequestParams.idsAsStrings(uri);
        final boolean binary = RequestParams.prefersOctetStream(request.headers());
        if (!mayWait && count > 1) {
            return null;
        }
        final long answerBytes = binary ? (long) count * Long.BYTES : JsonBodies.idsCapacity(count);
        if (!budget.tryTake(answerBytes)) {
            throw new RequestRejected(HttpResponseStatus.SERVICE_UNAVAILABLE, "the node holds " + budget.held()
                    + " bytes of answers not yet written to their clients, at most " + budget.maxBytes()
                    + ": try again");
        }
        boolean handedOver = false;
        try {
            final long[] ids;
            if (mayWait) {
                ids = PacedBatches.nextIds(node.generator(), count);
            } else {
                final long id = node.generator().tryNextId();
                if (id == SnowflakeGenerator.WOULD_WAIT) {
                    return null;
                }
                ids = new long[] {id};
            }
            final FullHttpResponse response;
            if (binary) {
                final ByteBuf body = alloc.buffer(count * Long.BYTES);
                for (long id : ids) {
                    body.writeLong(id); // big-endian, as ByteBuf always writes
                }
                response = Responses.of(HttpResponseStatus.OK, body, HttpHeaderValues.APPLICATION_OCTET_STREAM);
            } else {
                response = Responses.json(HttpResponseStatus.OK, JsonBodies.ids(alloc, ids, asStrings));
            }
            handedOver = true;
            return new Outcome(response, count, answerBytes);
        } finally {
            if (!handedOver) {
                budget.giveBack(answerBytes);
            }
        }
    }

    private Outcome ranges(ByteBufAllocator alloc, QueryStringDecoder uri) {
        final int count = RequestParams.count(uri, maxCount);
        final boolean asStrings = RequestParams.idsAsStrings(uri);
        final List<IdRange> ranges = PacedBatches.nextRanges(node.generator(), count);
        return new Outcome(Responses.json(HttpResponseStatus.OK, JsonBodies.ranges(alloc, ranges, asStrings)), count, 0);
    }

    private FullHttpResponse metrics(ByteBufAllocator alloc) {
        final ByteBuf body = alloc.buffer();
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            METRICS_FORMAT.write(out, registry.scrape());
        } catch (IOException e) {
            body.release();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        return Responses.of(HttpResponseStatus.OK, body, METRICS_FORMAT.getContentType());
    }
}
