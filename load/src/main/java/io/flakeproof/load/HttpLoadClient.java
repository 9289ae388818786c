package io.flakeproof.load;

import io.flakeproof.generator.SystemClock;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The sending side of a load run: {@code connections} keep-alive HTTP/1.1 connections on one Netty
 * event loop, one request in flight per connection (no pipelining).
 *
 * <p>The pacing thread only says how many requests are due ({@link #release}); the event loop sends
 * each due request, in order, on the next idle connection. When every connection is busy a due
 * request waits in line, and its latency keeps counting from its intended time: requests are
 * delayed, never skipped. Everything below the public methods runs on the event loop, so its state
 * needs no locks.
 *
 * <p>A connection that closes fails the request on it. It is replaced if it had carried a request,
 * so reconnects are bounded by the requests sent; one that cannot be replaced is gone for the rest of
 * the run, and requests left unsent at the end count as timed out.
 */
final class HttpLoadClient implements AutoCloseable {

    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** Room for the response to the largest request: about 22 bytes per ID, plus headers and slack. */
    private static final int BYTES_PER_ID = 24;

    /** The kernel's usual starting receive buffer, and the most this client asks for. */
    private static final int MIN_RECEIVE_BUFFER = 128 * 1024;
    private static final int MAX_RECEIVE_BUFFER = 4 * 1024 * 1024;

    private final LoadPlan plan;
    /** Where warm-up requests are recorded, then thrown away: they run the measured path exactly. */
    private final Measurements warmup;
    private final Measurements measured;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final Bootstrap bootstrap;
    private final String hostHeader;
    /** Requests before this one are warm-up: sent like the others, never measured. */
    private final long firstMeasured;
    private volatile boolean closing;

    // ---- confined to the event loop ----
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private Schedule schedule;
    /** Requests [0, released) are due. */
    private long released;
    /** Requests [nextToSend, released) are due and waiting for a connection. */
    private long nextToSend;

    private HttpLoadClient(LoadPlan plan, Measurements warmup, Measurements measured) {
        this.plan = plan;
        this.warmup = warmup;
        this.measured = measured;
        this.hostHeader = plan.host() + ":" + plan.port();
        this.firstMeasured = plan.warmupRequests();
        final int maxBody = (int) Math.min(Integer.MAX_VALUE, 1024L + (long) plan.count() * BYTES_PER_ID);
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_RCVBUF, receiveBufferBytes(maxBody))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(maxBody),
                                new Connection());
                    }
                });
    }

    /**
     * A receive buffer that holds four whole answers. With the kernel's starting buffer (128 KB on
     * Linux), an answer of a few hundred KB (a batch of 10,000 IDs is about 190 KB) fills the
     * advertised window; the window update then waits for the delayed-ACK timer, and about 1% of
     * batches of 10,000 took 30-40 ms instead of 1 (measured at 200 requests/s over loopback).
     */
    static int receiveBufferBytes(int maxBody) {
        return (int) Math.min(MAX_RECEIVE_BUFFER, Math.max(MIN_RECEIVE_BUFFER, 4L * maxBody));
    }

    /**
     * Opens every connection of the plan.
     *
     * @throws IOException naming the address and the reason when one cannot be opened
     */
    static HttpLoadClient connect(LoadPlan plan, Measurements warmup, Measurements measured) throws IOException {
        final HttpLoadClient client = new HttpLoadClient(plan, warmup, measured);
        try {
            for (int i = 0; i < plan.connections(); i++) {
                final ChannelFuture opened = client.open();
                if (!opened.awaitUninterruptibly(CONNECT_TIMEOUT_MILLIS + 1_000L) || !opened.isSuccess()) {
                    final Throwable cause = opened.cause();
                    throw new IOException("cannot connect to " + client.hostHeader + ": "
                            + (cause == null ? "timed out" : cause.getMessage()), cause);
                }
            }
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** Fixes the schedule that request numbers refer to; call once, before any {@link #release}. */
    void start(Schedule runSchedule) {
        loop.execute(() -> schedule = runSchedule);
    }

    /** Requests [0, due) are due; sends what it can now and queues the rest. Called by the pacing thread. */
    void release(long due) {
        loop.execute(() -> {
            released = Math.max(released, due);
            pump();
        });
    }

    /** Stops the event loop, dropping whatever is in flight; waits at most a few seconds. */
    @Override
    public void close() {
        closing = true;
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private ChannelFuture open() {
        return bootstrap.connect(plan.host(), plan.port()).addListener((ChannelFutureListener) opened -> {
            if (opened.isSuccess()) {
                idle.add(opened.channel().pipeline().get(Connection.class));
                pump();
            }
        });
    }

    private void pump() {
        while (nextToSend < released) {
            final Connection connection = idle.poll();
            if (connection == null) {
                return;
            }
            connection.send(nextToSend++);
        }
    }

    /**
     * Warm-up requests take the measured path to the letter (status check, body count, recording), so
     * that the first measured request runs code the JIT has already compiled. Measured once: with
     * warm-up answers left unparsed, the first measured second carried a 20-25 ms stall of the load
     * generator itself (send delay max 21-23 ms, in every run).
     */
    private Measurements measurementsOf(long request) {
        return request < firstMeasured ? warmup : measured;
    }

    private FullHttpRequest newRequest() {
        final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, plan.target(),
                Unpooled.EMPTY_BUFFER);
        request.headers().set(HttpHeaderNames.HOST, hostHeader).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return request;
    }

    /** One connection and the request on it, if any. */
    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {

        private Channel channel;
        /** The request in flight, or -1. */
        private long request = -1;
        private long sentNanos;
        /** Whether a request was ever sent on it: only such a connection is replaced when it closes. */
        private boolean used;

        /** At registration, before the connect completes: the connect listener may send at once. */
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        void send(long i) {
            request = i;
            used = true;
            sentNanos = SystemClock.INSTANCE.monotonicNanos();
            measurementsOf(i).sent(schedule.latencyMicros(i, sentNanos));
            channel.writeAndFlush(newRequest()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            final long now = SystemClock.INSTANCE.monotonicNanos();
            final long i = request;
            if (i < 0) {
                ctx.close(); // an answer to nothing: the connection cannot be trusted
                return;
            }
            request = -1;
            final Measurements measurements = measurementsOf(i);
            if (!response.status().equals(HttpResponseStatus.OK)) {
                measurements.failed(Failure.STATUS, now);
            } else if (IdsBody.countIds(new ByteBufInputStream(response.content())) != plan.count()) {
                measurements.failed(Failure.BODY, now);
            } else {
                measurements.succeeded(schedule.latencyMicros(i, now), (now - sentNanos) / 1_000, now);
            }
            if (HttpUtil.isKeepAlive(response)) {
                idle.add(this);
                pump();
            } else {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            idle.remove(this);
            if (!closing) {
                if (request >= 0) {
                    measurementsOf(request).failed(Failure.CONNECTION, SystemClock.INSTANCE.monotonicNanos());
                }
                request = -1;
                if (used) {
                    open();
                }
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
