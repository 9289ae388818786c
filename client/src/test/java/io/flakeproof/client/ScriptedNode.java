package io.flakeproof.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node that misbehaves on purpose, over a real socket (the JDK's HTTP server): its ranges answer is
 * a fixed status and body, optionally held until {@link #release}; its health is a fixed body.
 */
final class ScriptedNode implements AutoCloseable {

    static final String HEALTHY = "{\"status\":\"ok\",\"layout\":{\"name\":\"t\",\"bits\":\"41/0/4/18\",\"tick_ms\":1,"
            + "\"epoch\":\"2025-01-01T00:00:00.000Z\"}}";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger rangeRequests = new AtomicInteger();

    ScriptedNode(int rangesStatus, String rangesBody, boolean holdRanges) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/ids/ranges", exchange -> {
            rangeRequests.incrementAndGet();
            if (holdRanges) {
                try {
                    released.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            respond(exchange, rangesStatus, rangesBody);
        });
        server.createContext("/health", exchange -> respond(exchange, 200, HEALTHY));
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int rangeRequests() {
        return rangeRequests.get();
    }

    void release() {
        released.countDown();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
