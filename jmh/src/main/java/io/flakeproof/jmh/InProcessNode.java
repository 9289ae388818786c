package io.flakeproof.jmh;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.IdRange;
import io.flakeproof.generator.SnowflakeGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node in the benchmark's own process for the client to refill from: the real generator behind the
 * node's two routes the client uses, {@code POST /ids/ranges?count=N} and {@code GET /health}, with
 * the same JSON, on the JDK's HTTP server over loopback (the {@code jmh} module does not depend on the
 * service; the client tests run against the service's own server). It counts the range requests it
 * receives and the IDs it serves, which is how a benchmark shows the load the client puts on a node.
 */
final class InProcessNode implements AutoCloseable {

    private final SnowflakeGenerator generator;
    private final HttpServer server;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        final Thread t = new Thread(task, "in-process-node");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong served = new AtomicLong();

    InProcessNode(BitLayout layout) {
        // Without TCP_NODELAY the JDK's server sends headers and body in two segments and the second
        // waits for the delayed ACK of the first (about 40 ms); the real node sets it too.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        generator = SnowflakeGenerator.embedded(layout, 0, 0);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(thread);
        server.createContext("/ids/ranges", this::ranges);
        server.createContext("/health", this::health);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Range requests received so far. */
    long requests() {
        return requests.get();
    }

    /** IDs served so far. */
    long served() {
        return served.get();
    }

    private void ranges(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        final String query = exchange.getRequestURI().getQuery();
        final long count = Long.parseLong(query.substring(query.indexOf("count=") + "count=".length()));
        final List<IdRange> ranges = generator.nextRanges(count);
        served.addAndGet(count);
        final StringBuilder body = new StringBuilder("{\"ranges\":[");
        for (int i = 0; i < ranges.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"first\":").append(ranges.get(i).firstId())
                    .append(",\"count\":").append(ranges.get(i).count()).append('}');
        }
        respond(exchange, body.append("]}").toString());
    }

    private void health(HttpExchange exchange) throws IOException {
        final BitLayout layout = generator.layout();
        respond(exchange, "{\"status\":\"ok\",\"layout\":{\"bits\":\"" + layout.bits() + "\",\"tick_ms\":"
                + layout.tickMillis() + ",\"epoch\":\"" + layout.epoch() + "\"}}");
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
