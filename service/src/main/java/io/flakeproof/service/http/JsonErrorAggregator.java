package io.flakeproof.service.http;

import io.flakeproof.generator.SystemClock;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Netty's aggregator with the node's 413: a JSON body naming the size and the limit, and the
 * connection closed after it.
 *
 * <p>Netty's own 413 has an empty body, and for a declared {@code Content-Length} on a keep-alive
 * connection it keeps the connection open. Closing instead is the one handling that is right in every
 * case: the rest of the body may already be on the wire, and the decoder cannot tell where the next
 * request begins in it. An oversized body announced with {@code Expect: 100-continue} gets the same
 * 413 rather than Netty's empty 417, so a client sees one answer to one problem.
 */
final class JsonErrorAggregator extends HttpObjectAggregator {

    private final HttpMetrics metrics;

    JsonErrorAggregator(int maxRequestBytes, HttpMetrics metrics) {
        super(maxRequestBytes);
        this.metrics = metrics;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (HttpUtil.getContentLength(start, -1L) > maxContentLength) {
            return null; // no 100 Continue and no 417: handleOversizedMessage answers
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        final long startNanos = SystemClock.INSTANCE.monotonicNanos();
        final Route route = Route.of(new QueryStringDecoder(((HttpRequest) oversized).uri()).path());
        final long declared = HttpUtil.getContentLength(oversized, -1L);
        final String message = (declared >= 0 ? "request body of " + declared + " bytes" : "request body")
                + " exceeds the limit of " + maxContentLength() + " bytes";
        final FullHttpResponse response = Responses.closing(
                Responses.error(ctx.alloc(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, message));
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            metrics.answered(route, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code(),
                    SystemClock.INSTANCE.monotonicNanos() - startNanos);
            ctx.close();
        });
    }
}
