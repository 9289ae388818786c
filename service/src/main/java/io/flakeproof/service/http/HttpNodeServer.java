package io.flakeproof.service.http;

import io.flakeproof.service.IdNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.UnorderedThreadPoolEventExecutor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP/1.1 server on Netty: {@code POST /ids}, {@code POST /ids/ranges},
 * {@code GET /ids/{id}}, {@code GET /health}, {@code GET /metrics} over keep-alive connections.
 *
 * <h2>Threads</h2>
 * One boss event loop accepts; the worker event loops, one per core, read, decode, aggregate and
 * write, and never block. One per core rather than Netty's default of two: CI's gate plan (2,000
 * single IDs/s over 8 connections, the load generator on the same 2 cores) measured p99 0.368, 0.449,
 * 0.766 and 0.524 ms with two loops against 0.476, 0.647, 0.979 and 0.748 ms with four, alternating
 * (load/README.md). Requests that may block are answered on the
 * <em>mint executor</em>, {@value #MINT_THREADS} threads over one shared queue
 * ({@link UnorderedThreadPoolEventExecutor}), because answering may block: a mint waits for the clock
 * when the sequence of a tick is spent or the clock stepped back (bounded by the drift policy, up to
 * about a second), and a batch of 100,000 IDs takes about 25 ms. On an event loop either would stall
 * every connection of that loop. The last handler of each channel hands its requests over explicitly
 * ({@code NodeRequestHandler}), rather than through {@code pipeline.addLast(group, ...)}, which Netty
 * 4.2 deprecates.
 *
 * <p>Why two threads: the generator is one CAS on one {@code AtomicLong}, so more minting threads
 * add contention, not IDs; two let a second request proceed while one waits for the clock. Why one
 * shared queue: each connection has at most one request with the executor at a time (the handler
 * answers a connection's requests one after another, in order, as HTTP/1.1 pipelining needs), so a
 * connection with a queue of large batches holds one thread, not a thread's whole queue, and a request
 * of another connection waits at most for the tasks ahead of it, one per busy connection. Health,
 * decoding, errors and single IDs that need no clock wait are answered on the event loop and never
 * wait for the executor at all. Batches larger than a tick's sequence park between ticks rather than
 * spin ({@code PacedBatches}), so a queue of them does not take a core from the rest.
 *
 * <h2>What a client may hold</h2>
 * The connection cap, the per-connection queue with backpressure, the request and idle timeouts
 * (see {@link HttpSettings}) bound what one client holds: with the defaults, at most 16 queued
 * requests, one response being written (at most {@code maxCount} IDs: about 2.2 MB of JSON strings at
 * 100,000) and the socket's kernel buffers, for at most the idle timeout once it stops reading. The
 * answer budget ({@code AnswerBudget}) bounds the ID answers of all connections together.
 *
 * <h2>Lifecycle</h2>
 * {@link #start} binds or throws; {@link #close} stops gracefully, once: it closes the listening
 * socket, marks responses {@code Connection: close}, waits up to {@value #DRAIN_SECONDS} s for the
 * requests in flight to be answered, closes the remaining (idle) connections and shuts the threads down.
 */
public final class HttpNodeServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpNodeServer.class);

    /** Threads of the mint executor; see the class comment. */
    static final int MINT_THREADS = 2;

    /** The longest {@link #close} waits for requests in flight. */
    static final int DRAIN_SECONDS = 5;

    /** The longest each thread group gets to stop once the requests are drained. */
    private static final long SHUTDOWN_SECONDS = 2;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final EventExecutor mintExecutor;
    private final ChannelGroup channels;
    private final NodePipeline pipeline;
    private final Channel serverChannel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpNodeServer(EventLoopGroup boss, EventLoopGroup workers, EventExecutor mintExecutor,
            ChannelGroup channels, NodePipeline pipeline, Channel serverChannel) {
        this.boss = boss;
        this.workers = workers;
        this.mintExecutor = mintExecutor;
        this.channels = channels;
        this.pipeline = pipeline;
        this.serverChannel = serverChannel;
    }

    /**
     * Serves {@code node} on {@code settings.bind():settings.port()} and registers the HTTP metrics in
     * {@code registry}, which {@code GET /metrics} exposes whole.
     *
     * @throws UncheckedIOException     when the address cannot be bound (port taken, address not local);
     *                                  the message names the address, such as
     *                                  {@code cannot listen on 127.0.0.1:8080: Address already in use}
     * @throws IllegalStateException    when binding fails otherwise (an unresolvable address), named likewise
     * @throws IllegalArgumentException when {@code registry} already holds the HTTP metrics
     */
    public static HttpNodeServer start(IdNode node, HttpSettings settings, PrometheusRegistry registry) {
        final NodePipeline pipeline = new NodePipeline(node, settings, registry);
        final EventLoopGroup boss =
                new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("flakeproof-http-boss"), NioIoHandler.newFactory());
        final EventLoopGroup workers =
                new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                        new DefaultThreadFactory("flakeproof-http"), NioIoHandler.newFactory());
        final EventExecutor mintExecutor =
                new UnorderedThreadPoolEventExecutor(MINT_THREADS, new DefaultThreadFactory("flakeproof-mint"));
        final ChannelGroup channels = new DefaultChannelGroup("flakeproof-http", GlobalEventExecutor.INSTANCE);
        final ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client's half-close (shutdown(SHUT_WR)) is an event, not a close: its requests are still answered.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channels.add(channel);
                        pipeline.install(channel.pipeline(), mintExecutor);
                    }
                });
        final Channel serverChannel;
        try {
            serverChannel = bootstrap.bind(settings.bind(), settings.port()).syncUninterruptibly().channel();
        } catch (Exception e) { // bind rethrows the channel's checked exception (BindException) unchecked
            shutDown(boss, workers, mintExecutor);
            final String message = "cannot listen on " + settings.bind() + ":" + settings.port() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            if (e instanceof IOException) {
                throw new UncheckedIOException(message, (IOException) e);
            }
            throw new IllegalStateException(message, e);
        }
        final HttpNodeServer server = new HttpNodeServer(boss, workers, mintExecutor, channels, pipeline, serverChannel);
        LOG.info("serving HTTP on {}:{}", settings.bind(), server.port());
        return server;
    }

    /** The port the server listens on; the one the system chose when the settings said 0. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Stops gracefully: no new connections, requests in flight answered (up to 5 s), then every
     * connection closed and every thread stopped. Idempotent; returns once the threads are stopped
     * (or after a bounded wait for them). Call it from a thread of its own, never from a handler.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        final InFlightRequests inFlight = pipeline.inFlight();
        inFlight.drain();
        serverChannel.close().awaitUninterruptibly(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        try {
            if (!inFlight.awaitIdle(Duration.ofSeconds(DRAIN_SECONDS))) {
                LOG.warn("stopping with {} requests still in flight after {} s", inFlight.count(), DRAIN_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while draining; stopping with {} requests in flight", inFlight.count());
        }
        channels.close().awaitUninterruptibly(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        shutDown(boss, workers, mintExecutor);
        LOG.info("HTTP server stopped");
    }

    /** Shuts the groups down at once (no quiet period) and waits a bounded time for each. */
    private static void shutDown(EventExecutorGroup... groups) {
        final Future<?>[] terminations = new Future<?>[groups.length];
        for (int i = 0; i < groups.length; i++) {
            terminations[i] = groups[i].shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        }
        for (Future<?> termination : terminations) {
            termination.awaitUninterruptibly(SHUTDOWN_SECONDS + 1, TimeUnit.SECONDS);
        }
    }
}
