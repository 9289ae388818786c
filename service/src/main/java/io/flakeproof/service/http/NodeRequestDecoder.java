package io.flakeproof.service.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Netty's request decoder with three of the node's rules: the HTTP version, the request timeout, and
 * a close after a request framed both by chunks and by a length.
 *
 * <ul>
 *   <li><b>Version.</b> Only {@code HTTP/1.1} and {@code HTTP/1.0}, spelt exactly (the name is
 *       case-sensitive), are decoded. Another version of the form {@code HTTP/d.d} is a 505, anything else
 *       a 400; either comes as a failed request, which the handler answers and then closes.</li>
 *   <li><b>Request timeout.</b> A request must arrive whole within {@code requestTimeout} of the moment the
 *       decoder first holds a part of it: bytes of an unfinished request line or headers, or headers whose
 *       body has not all come. That covers slow headers and bodies shorter than their length, however the
 *       client spaces its bytes. Past the timeout the decoder passes on a failed request (a 408, answered in
 *       order after the connection's earlier requests) and ignores the rest of the stream. The clock does not
 *       run against the client while the node has stopped reading it (its queue of requests is full).</li>
 *   <li><b>Chunked with a length.</b> Netty drops the {@code Content-Length} of such a request; the node
 *       also closes the connection after answering it, as RFC 9112 section 6.1 asks, since a proxy in front
 *       may have framed it the other way.</li>
 * </ul>
 * Decoder limits are Netty's defaults: a request line of at most 4 KiB, headers of at most 8 KiB.
 */
final class NodeRequestDecoder extends HttpRequestDecoder {

    /** {@code HTTP/} and one digit, a dot, one digit: a version, though not one the node speaks. */
    private static final Pattern OTHER_VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");

    private final long timeoutNanos;
    /** Headers of a request were decoded and its last content was not yet. */
    private boolean inMessage;
    /** The request timeout passed: everything after it is ignored until the node closes the connection. */
    private boolean timedOut;
    private ScheduledFuture<?> deadline;

    NodeRequestDecoder(Duration requestTimeout) {
        super(new HttpDecoderConfig());
        this.timeoutNanos = requestTimeout.toNanos();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (timedOut) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        final int before = out.size();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            final Object decoded = out.get(i);
            if (decoded instanceof HttpMessage) {
                inMessage = true;
            }
            if (decoded instanceof LastHttpContent) {
                inMessage = false;
            }
        }
        if (inMessage || buffer.isReadable()) {
            armDeadline(ctx);
        } else {
            cancelDeadline();
        }
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) throws Exception {
        final String version = initialLine[2];
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            if (OTHER_VERSION.matcher(version).matches()) {
                throw new RequestRejected(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP version '" + version
                        + "' is not supported: the node speaks HTTP/1.1 and HTTP/1.0");
            }
            throw RequestRejected.badRequest("malformed request: the HTTP version must be HTTP/1.1 or HTTP/1.0: '"
                    + version + "'");
        }
        return super.createMessage(initialLine);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        super.handlerRemoved0(ctx);
    }

    private void armDeadline(ChannelHandlerContext ctx) {
        if (deadline == null) {
            deadline = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** On the event loop, {@code requestTimeout} after the decoder began to hold a part of a request. */
    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            armDeadline(ctx); // the node stopped reading this client: the wait is the node's, not the client's
            return;
        }
        timedOut = true;
        final FullHttpRequest timeout = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/",
                Unpooled.EMPTY_BUFFER);
        timeout.setDecoderResult(DecoderResult.failure(new RequestRejected(HttpResponseStatus.REQUEST_TIMEOUT,
                "request not received whole within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms")));
        ctx.fireChannelRead(timeout);
        ctx.fireChannelReadComplete();
    }
}
