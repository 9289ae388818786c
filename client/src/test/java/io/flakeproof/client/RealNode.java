package io.flakeproof.client;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.service.StaticNode;
import io.flakeproof.service.http.HttpNodeServer;
import io.flakeproof.service.http.HttpSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;

/** The real HTTP node (Netty server, real generator) on a fixed worker and any free loopback port. */
final class RealNode implements AutoCloseable {

    /** A test layout with room for many IDs per tick: 41/0/4/18, 262,144 IDs per 1 ms tick per worker. */
    static final BitLayout LAYOUT = new BitLayout(41, 0, 4, 18, 1, BitLayout.DEFAULT_EPOCH.toEpochMilli());

    private final HttpNodeServer server;

    RealNode(long worker) {
        server = HttpNodeServer.start(new StaticNode(SnowflakeGenerator.embedded(LAYOUT, 0, worker)),
                new HttpSettings("127.0.0.1", 0, HttpSettings.MAX_COUNT_LIMIT, HttpSettings.DEFAULT_MAX_REQUEST_BYTES),
                new PrometheusRegistry());
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.close();
    }
}
