package io.flakeproof.service.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cap on open connections. Each channel has its own instance over the server's one count; a
 * connection that would take the count over {@code maxConnections} is answered at once with a 503
 * ({@code Retry-After: 1}, a JSON body naming the limit) and closed, and reads nothing: the node spends
 * one small write on it, never a request's work.
 */
final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    /** Seconds a refused client should wait before connecting again. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final AtomicInteger open;
    private final int maxConnections;
    private final HttpMetrics metrics;
    private boolean counted;
    private boolean refused;

    ConnectionLimit(AtomicInteger open, int maxConnections, HttpMetrics metrics) {
        this.open = open;
        this.maxConnections = maxConnections;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counted = true;
        if (open.incrementAndGet() <= maxConnections) {
            ctx.fireChannelActive();
            return;
        }
        refused = true;
        ctx.channel().config().setAutoRead(false);
        metrics.connectionRefused();
        final FullHttpResponse response = Responses.closing(Responses.error(ctx.alloc(),
                HttpResponseStatus.SERVICE_UNAVAILABLE, "too many connections: the node holds at most "
                        + maxConnections + " open"));
        response.headers().setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            counted = false;
            open.decrementAndGet();
        }
        ctx.fireChannelInactive();
    }
}
