package io.flakeproof.service.http;

import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SystemClock;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a channel: answers each whole request with {@link NodeRoutes} and writes one
 * response per request.
 *
 * <p>{@link #channelRead} runs on the event loop. What it can answer there without blocking (errors,
 * decoding, a single ID that needs no wait for the clock) it answers at once; everything else goes
 * to this channel's mint executor, one thread of the mint executor group picked when the channel
 * opened, where answering may block (see {@link HttpNodeServer}). The executor runs tasks in order,
 * one at a time, and the fast path is taken only while none of the connection's requests is with
 * the executor, so a connection's requests are answered in the order they came, as HTTP/1.1
 * pipelining needs.
 * (Netty 4.2 deprecates handing a whole handler to another executor with
 * {@code pipeline.addLast(group, name, handler)}; this is the explicit off-loading it recommends.)
 *
 * <p>Every answer that is not a 200 is JSON {@code {"error":"..."}}: 400 for a bad parameter, 404
 * for an unknown path, 405 (with {@code Allow}) for another method on a known path, 503 (with
 * {@code Retry-After}) when the node cannot mint, 500 for anything unexpected (logged; the body
 * never holds a stack trace). A request the decoder could not parse gets a 400, 414 or 431 and
 * closes its connection, whose byte stream can no longer be trusted.
 */
final class NodeRequestHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRequestHandler.class);

    /** Retry-After, in seconds, for a refusal that gives no hint (a released or lost lease). */
    static final int DEFAULT_RETRY_AFTER_SECONDS = 5;

    private final NodeRoutes routes;
    private final HttpMetrics metrics;
    private final InFlightRequests inFlight;
    /** Where requests are answered; null answers them on the event loop, which only tests may do. */
    private final EventExecutor mintExecutor;
    /**
     * Requests of this connection handed to the mint executor whose response is not written yet.
     * Touched only on the channel's event loop (the write listener runs there).
     */
    private int deferred;

    NodeRequestHandler(NodeRoutes routes, HttpMetrics metrics, InFlightRequests inFlight, EventExecutor mintExecutor) {
        this.routes = routes;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.mintExecutor = mintExecutor;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        final FullHttpRequest request = (FullHttpRequest) msg;
        // From here, so that the latency recorded includes the wait for the mint executor.
        final long receivedNanos = SystemClock.INSTANCE.monotonicNanos();
        inFlight.begin();
        if (mintExecutor == null) {
            answer(ctx, request, receivedNanos, true);
            return;
        }
        // The fast path: what can be answered without blocking is answered here, saving two thread
        // hand-offs; but only when no earlier request of this connection is still on its way back
        // from the mint executor, so that responses keep the order of the requests.
        if (deferred == 0 && answer(ctx, request, receivedNanos, false)) {
            return;
        }
        deferred++;
        try {
            mintExecutor.execute(() -> answer(ctx, request, receivedNanos, true));
        } catch (RejectedExecutionException e) { // the server is stopping: no answer, and no more requests
            deferred--;
            request.release();
            inFlight.end();
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Connection resets and the like: nothing to answer, and nothing a client should see.
        LOG.debug("closing {}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    /** Seconds a client should wait before retrying: the hint rounded up, at least 1; 5 without a hint. */
    static int retryAfterSeconds(MintRefusedException refusal) {
        final long millis = refusal.retryAfterMillis();
        if (millis < 0) {
            return DEFAULT_RETRY_AFTER_SECONDS;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (millis + 999) / 1000));
    }

    /**
     * Answers one request, writes the response and releases the request. Without {@code mayWait}
     * (on the event loop), returns false and leaves the request untouched when answering might block.
     */
    private boolean answer(ChannelHandlerContext ctx, FullHttpRequest request, long receivedNanos, boolean mayWait) {
        final ByteBufAllocator alloc = ctx.alloc();
        Route route = Route.UNKNOWN;
        FullHttpResponse response = null;
        boolean left = false;
        try {
            if (request.decoderResult().isFailure()) {
                response = Responses.closing(malformed(alloc, request.decoderResult().cause()));
            } else {
                final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
                route = Route.of(uri.path());
                response = routes.answer(alloc, route, request, uri, mayWait);
                left = response == null && !mayWait;
            }
        } catch (RequestRejected e) {
            response = Responses.error(alloc, e.status(), e.getMessage());
        } catch (MintRefusedException e) {
            LOG.debug("refused {} {}: {}", request.method(), request.uri(), e.getMessage());
            response = Responses.error(alloc, HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds(e));
        } catch (RuntimeException e) {
            LOG.error("failed to answer {} {}", request.method(), request.uri(), e);
            response = Responses.error(alloc, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        } finally {
            if (!left) {
                request.release();
                if (response == null) {
                    inFlight.end(); // an Error escaped: nothing will be written
                }
            }
        }
        if (left) {
            return false;
        }
        send(ctx, route, response, receivedNanos, mayWait && mintExecutor != null);
        return true;
    }

    private static FullHttpResponse malformed(ByteBufAllocator alloc, Throwable cause) {
        final HttpResponseStatus status = cause instanceof TooLongHttpLineException
                ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException
                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
        return Responses.error(alloc, status, "malformed request: " + cause.getMessage());
    }

    /** Writes the response; once written, records it and ends the request. Closes while draining. */
    private void send(ChannelHandlerContext ctx, Route route, FullHttpResponse response, long receivedNanos,
            boolean fromMintExecutor) {
        if (inFlight.draining()) {
            Responses.closing(response);
        }
        final int status = response.status().code();
        // From the mint executor, Netty hands the write to the channel's event loop.
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            metrics.answered(route, status, SystemClock.INSTANCE.monotonicNanos() - receivedNanos);
            inFlight.end();
            if (fromMintExecutor) {
                deferred--; // on the event loop, like every other touch of it
            }
            if (!written.isSuccess()) {
                LOG.debug("could not write a {} response to {}: {}", status, written.channel(), written.cause().toString());
            }
        });
    }
}
