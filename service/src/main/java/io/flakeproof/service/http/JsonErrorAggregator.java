package io.flakeproof.service.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Netty's aggregator, whose refusals become failed requests that the handler answers in order, as JSON.
 *
 * <p>Netty's aggregator answers an oversized body (413) and an expectation other than
 * {@code 100-continue} (417) itself, at once, with an empty body: ahead of the answers still due to
 * the connection's earlier pipelined requests. Here each becomes a request whose decoder result is a
 * {@link RequestRejected} with the status and a message naming the value and the bound, passed on in
 * its place; {@code NodeRequestHandler} answers it after the earlier ones and closes the connection.
 * Closing is the one handling right in every case: the rest of an oversized body may already be on the
 * wire, and the decoder cannot tell where the next request begins in it. An oversized body announced
 * with {@code Expect: 100-continue} gets the 413 rather than a 100 Continue, so a client sees one
 * answer to one problem.
 */
final class JsonErrorAggregator extends HttpObjectAggregator {

    /** The {@code Expect} value of the request being aggregated when it is not one the node meets. */
    private String unsupportedExpectation;

    JsonErrorAggregator(int maxRequestBytes) {
        super(maxRequestBytes);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (!start.decoderResult().isSuccess() || unsupportedExpectation(start) != null
                || declaredLength(start) > maxContentLength) {
            return null; // no interim answer: the request goes on, to be answered in order
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    @Override
    protected FullHttpMessage beginAggregation(HttpMessage start, ByteBuf content) throws Exception {
        // Read before Netty removes the Expect header from the aggregated request.
        unsupportedExpectation = unsupportedExpectation(start);
        return super.beginAggregation(start, content);
    }

    @Override
    protected void finishAggregation(FullHttpMessage aggregated) throws Exception {
        super.finishAggregation(aggregated);
        if (unsupportedExpectation != null) {
            aggregated.setDecoderResult(DecoderResult.failure(new RequestRejected(HttpResponseStatus.EXPECTATION_FAILED,
                    "Expect must be 100-continue: '" + unsupportedExpectation + "'")));
            unsupportedExpectation = null;
        }
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        final HttpRequest start = (HttpRequest) oversized;
        final long declared = declaredLength(start);
        final String message = (declared >= 0 ? "request body of " + declared + " bytes" : "request body")
                + " exceeds the limit of " + maxContentLength() + " bytes";
        final FullHttpRequest refused = new DefaultFullHttpRequest(start.protocolVersion(), start.method(), start.uri(),
                Unpooled.EMPTY_BUFFER, start.headers().copy(), new DefaultHttpHeaders());
        refused.setDecoderResult(DecoderResult.failure(
                new RequestRejected(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, message)));
        ctx.fireChannelRead(refused);
    }

    /** The Expect value of an HTTP/1.1 request when it is not {@code 100-continue} (HTTP/1.0 has no Expect); else null. */
    private static String unsupportedExpectation(HttpMessage message) {
        final String expect = message.headers().get(HttpHeaderNames.EXPECT);
        return expect == null || message.protocolVersion().compareTo(HttpVersion.HTTP_1_1) < 0
                || HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect) ? null : expect;
    }

    /** The declared Content-Length; -1 when there is none (or the decoder has already refused it). */
    private static long declaredLength(HttpMessage message) {
        try {
            return HttpUtil.getContentLength(message, -1L);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
