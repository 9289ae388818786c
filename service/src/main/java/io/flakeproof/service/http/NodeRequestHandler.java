package io.flakeproof.service.http;

import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SystemClock;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a channel: queues the connection's whole requests, answers them one at a time
 * in order with {@link NodeRoutes}, and writes one response per request.
 *
 * <h2>One request of a connection at a time</h2>
 * Every field is touched only on the channel's event loop. A request is taken from the queue only when
 * the response to the one before it has been written to the socket (its write future is done), so a
 * connection holds at most one response, and responses keep the order of the requests, as HTTP/1.1
 * pipelining needs. What can be answered without blocking (errors, decoding, health, a single ID that
 * needs no wait for the clock) is answered on the event loop; everything else goes to the mint
 * executor, shared by every connection, where answering may block (see {@link HttpNodeServer}). Since a
 * connection has at most one task there, a connection with a queue of large batches takes one thread
 * at a time and the others' requests do not wait behind its queue.
 *
 * <h2>Backpressure</h2>
 * When {@code maxPipelined} requests are queued or being answered, the handler stops reading the
 * connection ({@code autoRead} off) until an answer is written. A client that sends requests and does
 * not read answers therefore holds: one response in the socket's write path, its queued requests (at
 * most {@code maxPipelined}, plus those already decoded from the last read of at most 64 KiB), and
 * whatever the kernel's socket buffers took. Nothing is minted for a request until its turn comes,
 * and not at all once the connection is closed; IDs minted for a response that then cannot be written
 * are counted as undelivered, apart from those served.
 *
 * <h2>Ending a connection</h2>
 * The connection ends after a response marked {@code Connection: close}: one to a request that asks
 * for it (or to HTTP/1.0 without keep-alive), one to a request the decoder or the aggregator refused
 * (400, 408, 413, 414, 417, 431, 505: the byte stream can no longer be trusted), and every response
 * while the server drains. Requests queued behind it are dropped unanswered and unminted. A half-close
 * by the client ({@code shutdown(SHUT_WR)}) answers every request received, then closes. The idle
 * timeout closes a connection that neither read nor wrote for that long: an idle keep-alive
 * connection, or one whose client stopped reading its answers.
 *
 * <p>Every answer that is not a 200 is JSON {@code {"error":"..."}}: 400 for a bad parameter, 404
 * for an unknown path, 405 (with {@code Allow}) for another method on a known path, 503 (with
 * {@code Retry-After}) when the node cannot mint or its {@link AnswerBudget} is spent, 500 for anything
 * unexpected (never from bad input; logged with its stack trace at most once a minute, at DEBUG
 * otherwise; the body never holds it). Bad input is logged at DEBUG only.
 */
final class NodeRequestHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRequestHandler.class);

    /** Retry-After, in seconds, for a refusal that gives no hint (a released or lost lease). */
    static final int DEFAULT_RETRY_AFTER_SECONDS = 5;

    /** At most one unexpected failure a minute is logged at ERROR with its stack trace. */
    private static final long ERROR_LOG_PERIOD_NANOS = 60_000_000_000L;

    /** When the next unexpected failure may be logged at ERROR, shared by every connection. */
    private static final AtomicLong NEXT_ERROR_LOG_NANOS = new AtomicLong(Long.MIN_VALUE);

    private final NodeRoutes routes;
    private final HttpMetrics metrics;
    private final InFlightRequests inFlight;
    private final AnswerBudget budget;
    /** Where requests that may block are answered; null answers everything on the event loop, which only tests may do. */
    private final EventExecutor mintExecutor;
    private final int maxPipelined;

    /** Requests received whole and not yet taken up, oldest first. */
    private final ArrayDeque<Received> queue = new ArrayDeque<>();
    /** A request has been taken up and its response is not yet written. */
    private boolean answering;
    /** A response that closes the connection has been sent: nothing more is answered. */
    private boolean ending;
    /** The client half-closed: close once every request received is answered. */
    private boolean inputShut;
    /** {@link #next} is on the stack: a write that completes at once does not recurse into it. */
    private boolean dispatching;

    NodeRequestHandler(NodeRoutes routes, HttpMetrics metrics, InFlightRequests inFlight, AnswerBudget budget,
            EventExecutor mintExecutor, int maxPipelined) {
        this.routes = routes;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.budget = budget;
        this.mintExecutor = mintExecutor;
        this.maxPipelined = maxPipelined;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        final FullHttpRequest request = (FullHttpRequest) msg;
        if (ending) {
            request.release(); // behind a response that closes the connection: never answered
            return;
        }
        // From here, so that the latency recorded includes the wait in the queue and for the mint executor.
        inFlight.begin();
        queue.addLast(new Received(request, SystemClock.INSTANCE.monotonicNanos()));
        next(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
            closeIfDone(ctx);
        } else if (evt instanceof IdleStateEvent) {
            LOG.debug("closing {}: nothing read or written for the idle timeout", ctx.channel());
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        drop();
        ctx.fireChannelInactive();
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
     * Takes up queued requests while none is being answered: each answered at once on the event loop
     * when it can be, else handed to the mint executor, which ends this loop until its response is
     * written. Then reads on or stops reading by the length of the queue.
     */
    private void next(ChannelHandlerContext ctx) {
        if (dispatching) {
            return;
        }
        dispatching = true;
        try {
            while (!answering && !ending && !queue.isEmpty()) {
                final Received received = queue.pollFirst();
                answering = true;
                if (mintExecutor == null) {
                    answer(ctx, received, true);
                } else if (!answer(ctx, received, false)) {
                    toMintExecutor(ctx, received);
                }
            }
        } finally {
            dispatching = false;
        }
        if (ending) {
            drop();
        }
        final boolean full = queue.size() + (answering ? 1 : 0) >= maxPipelined;
        if (ctx.channel().config().isAutoRead() == (full || ending)) {
            ctx.channel().config().setAutoRead(!full && !ending);
        }
        closeIfDone(ctx);
    }

    private void toMintExecutor(ChannelHandlerContext ctx, Received received) {
        try {
            mintExecutor.execute(() -> {
                if (ctx.channel().isActive()) {
                    answer(ctx, received, true);
                } else { // the client left while this request waited: mint nothing for it
                    received.request.release();
                    ctx.executor().execute(() -> answered(ctx));
                }
            });
        } catch (RejectedExecutionException e) { // the server is stopping: no answer, and no more requests
            received.request.release();
            answered(ctx);
            ctx.close();
        }
    }

    /** Closes a half-closed connection once every request it sent is answered. */
    private void closeIfDone(ChannelHandlerContext ctx) {
        if (inputShut && !answering && queue.isEmpty() && ctx.channel().isActive()) {
            ctx.close();
        }
    }

    /** Drops the queued requests unanswered: the connection is ending or gone. */
    private void drop() {
        for (Received received = queue.pollFirst(); received != null; received = queue.pollFirst()) {
            received.request.release();
            inFlight.end();
        }
    }

    /** The request taken up is done with (written, failed, or dropped): on the event loop. */
    private void answered(ChannelHandlerContext ctx) {
        answering = false;
        inFlight.end();
        next(ctx);
    }

    /**
     * Answers one request, writes the response and releases the request. Without {@code mayWait}
     * (on the event loop), returns false and leaves the request untouched when answering might block.
     */
    private boolean answer(ChannelHandlerContext ctx, Received received, boolean mayWait) {
        final FullHttpRequest request = received.request;
        final ByteBufAllocator alloc = ctx.alloc();
        Route route = Route.UNKNOWN;
        FullHttpResponse response = null;
        long ids = 0;
        long budgetBytes = 0;
        boolean left = false;
        try {
            if (request.decoderResult().isFailure()) {
                response = Responses.closing(refused(alloc, request.decoderResult().cause()));
            } else {
                final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
                route = Route.of(RequestParams.path(uri));
                final NodeRoutes.Outcome outcome = routes.answer(alloc, route, request, uri, mayWait);
                left = outcome == null;
                if (!left) {
                    response = outcome.response();
                    ids = outcome.ids();
                    budgetBytes = outcome.budgetBytes();
                }
            }
        } catch (RequestRejected e) {
            LOG.debug("rejected {} {}: {}", request.method(), request.uri(), e.getMessage());
            response = Responses.error(alloc, e.status(), e.getMessage());
            if (e.status().equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) { // the answer budget is spent for now
                response.headers().setInt(HttpHeaderNames.RETRY_AFTER, AnswerBudget.RETRY_AFTER_SECONDS);
            }
        } catch (MintRefusedException e) {
            LOG.debug("refused {} {}: {}", request.method(), request.uri(), e.getMessage());
            response = Responses.error(alloc, HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds(e));
        } catch (RuntimeException e) {
            logUnexpected(request, e);
            response = Responses.error(alloc, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        } finally {
            if (!left && response == null) { // an Error escaped: nothing will be written
                request.release();
                ctx.executor().execute(() -> answered(ctx));
            }
        }
        if (left) {
            return false;
        }
        final boolean keepAlive = HttpUtil.isKeepAlive(request) && !request.decoderResult().isFailure();
        final boolean head = HttpMethod.HEAD.equals(request.method());
        request.release();
        send(ctx, route, head ? withoutBody(response) : response, ids, budgetBytes, keepAlive, received.receivedNanos);
        return true;
    }

    /** The answer to a request the decoder or the aggregator refused. */
    private static FullHttpResponse refused(ByteBufAllocator alloc, Throwable cause) {
        if (cause instanceof RequestRejected) {
            final RequestRejected rejected = (RequestRejected) cause;
            return Responses.error(alloc, rejected.status(), rejected.getMessage());
        }
        final HttpResponseStatus status = cause instanceof TooLongHttpLineException
                ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException
                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
        return Responses.error(alloc, status, "malformed request: " + cause.getMessage());
    }

    /** A HEAD response: the headers (Content-Length included) of the response, and no body. */
    private static FullHttpResponse withoutBody(FullHttpResponse response) {
        final FullHttpResponse head = response.replace(Unpooled.EMPTY_BUFFER);
        response.release();
        return head;
    }

    /**
     * Writes the response from whichever thread answered; once written (on the event loop), records it,
     * counts its IDs as served or undelivered, gives its bytes back to the answer budget, and takes up
     * the next request.
     */
    private void send(ChannelHandlerContext ctx, Route route, FullHttpResponse response, long ids, long budgetBytes,
            boolean keepAlive, long receivedNanos) {
        final boolean closes = !keepAlive || inFlight.draining()
                || HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(response.headers().get(HttpHeaderNames.CONNECTION, ""));
        if (closes) {
            Responses.closing(response);
        }
        final int status = response.status().code();
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            budget.giveBack(budgetBytes);
            metrics.answered(route, status, SystemClock.INSTANCE.monotonicNanos() - receivedNanos);
            if (ids > 0) {
                if (written.isSuccess()) {
                    metrics.served(route, ids);
                } else {
                    metrics.undelivered(route, ids);
                }
            }
            if (!written.isSuccess()) {
                LOG.debug("could not write a {} response to {}: {}", status, written.channel(), written.cause().toString());
            }
            if (closes) {
                ending = true;
            }
            answered(ctx);
        });
    }

    /** An unexpected failure: with its stack trace at most once a minute, so no input can flood the log. */
    private static void logUnexpected(FullHttpRequest request, RuntimeException e) {
        final long now = SystemClock.INSTANCE.monotonicNanos();
        final long next = NEXT_ERROR_LOG_NANOS.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && NEXT_ERROR_LOG_NANOS.compareAndSet(next, now + ERROR_LOG_PERIOD_NANOS)) {
            LOG.error("failed to answer {} {} (further failures within a minute are logged at DEBUG)",
                    request.method(), request.uri(), e);
        } else {
            LOG.debug("failed to answer {} {}", request.method(), request.uri(), e);
        }
    }

    /** A request received whole, and when. */
    private record Received(FullHttpRequest request, long receivedNanos) {
    }
}
