package io.flakeproof.service.http;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.service.IdNode;
import io.flakeproof.service.StaticNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The real {@link HttpNodeServer} on a loopback port of its own, serving a node on the system clock,
 * with what it writes to the log (slf4j-simple writes to {@code System.err}) kept for the test to read.
 */
final class LoopbackNode implements AutoCloseable {

    final SnowflakeGenerator generator = SnowflakeGenerator.embedded(BitLayout.snowflake(), 0, 7);
    final PrometheusRegistry registry = new PrometheusRegistry();
    final HttpNodeServer server;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    LoopbackNode(HttpSettings settings) {
        this(settings, null);
    }

    /** Serves {@code node}, or the node of {@link #generator} when null. */
    LoopbackNode(HttpSettings settings, IdNode node) {
        final PrintStream tee = new PrintStream(new TeeStream(originalErr, log), true, StandardCharsets.UTF_8);
        System.setErr(tee);
        server = HttpNodeServer.start(node == null ? new StaticNode(generator) : node, settings, registry);
    }

    static HttpSettings anyPort() {
        return new HttpSettings("127.0.0.1", 0, HttpSettings.DEFAULT_MAX_COUNT, HttpSettings.DEFAULT_MAX_REQUEST_BYTES);
    }

    int port() {
        return server.port();
    }

    RawConnection connect() {
        return RawConnection.open(port());
    }

    /**
     * The minted count once it has not moved for half a second, polled every 100 ms for at most 30 s:
     * for clients that never read, the point where every connection holds all it can.
     */
    long awaitMintingStops() throws InterruptedException {
        long last = -1;
        int unchanged = 0;
        for (int poll = 0; poll < 300 && unchanged < 5; poll++) {
            Thread.sleep(100);
            final long now = generator.idsMinted();
            unchanged = now == last && now > 0 ? unchanged + 1 : 0;
            last = now;
        }
        if (unchanged < 5) {
            throw new AssertionError("minting did not stop within 30 s: " + last + " IDs minted");
        }
        return last;
    }

    /** What the node logged since it started. */
    String log() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            System.setErr(originalErr);
        }
    }

    /** Writes to the real stream and keeps a copy. */
    private static final class TeeStream extends java.io.OutputStream {
        private final PrintStream out;
        private final ByteArrayOutputStream copy;

        TeeStream(PrintStream out, ByteArrayOutputStream copy) {
            this.out = out;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            out.write(b);
            synchronized (copy) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            out.write(b, off, len);
            synchronized (copy) {
                copy.write(b, off, len);
            }
        }
    }
}
