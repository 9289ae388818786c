package io.flakeproof.service;

import static io.flakeproof.registry.ZooKeeperFixture.assertDistinct;
import static io.flakeproof.registry.ZooKeeperFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.SystemClock;
import io.flakeproof.registry.ZooKeeperFixture;
import io.flakeproof.service.http.HttpNodeServer;
import io.flakeproof.service.http.HttpSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four nodes over HTTP against a three-server ensemble on loopback: concurrent singles and batches
 * of 10,000 are distinct, each client's IDs increase, every node has its own worker; after a
 * server-side session expiry of one node, the node takes its worker back in a new term above its old
 * ceiling, and every ID stays distinct.
 */
class FleetTest {

    /** Four workers, so that the expired node's worker is the only one free when it comes back. */
    private static final BitLayout FOUR_WORKERS = new BitLayout(41, 0, 2, 20, 1, BitLayout.DEFAULT_EPOCH.toEpochMilli());
    private static final int NODES = 4;

    @TempDir
    File dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void fourNodesMintDistinctIdsAndStayDistinctAcrossAnExpiry() throws Exception {
        final List<InstanceSpec> specs = List.of(ZooKeeperFixture.loopbackSpec(new File(dir, "zk1")),
                ZooKeeperFixture.loopbackSpec(new File(dir, "zk2")), ZooKeeperFixture.loopbackSpec(new File(dir, "zk3")));
        final List<LeasedNode> nodes = new ArrayList<>();
        final List<HttpNodeServer> servers = new ArrayList<>();
        final ExecutorService clients = Executors.newFixedThreadPool(2 * NODES);
        // Closed last, after the nodes have released their workers.
        final TestingCluster ensemble = new TestingCluster(specs);
        try {
            ensemble.start();
            for (int i = 0; i < NODES; i++) {
                final LeasedNode node = LeasedNode.start(FOUR_WORKERS, ensemble.getConnectString(), null, 0,
                        ZooKeeperFixture.settings("fleet", "node" + i), ZooKeeperFixture.SESSION, SystemClock.INSTANCE);
                nodes.add(node);
                servers.add(HttpNodeServer.start(node, new HttpSettings("127.0.0.1", 0, 100_000,
                        HttpSettings.DEFAULT_MAX_REQUEST_BYTES), new PrometheusRegistry()));
            }

            final List<List<Long>> before = mintEverywhere(servers, clients);
            final List<Long> all = before.stream().flatMap(List::stream).collect(Collectors.toList());
            assertDistinct(all);
            final List<Long> workers = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                final Set<Long> ofNode = before.get(2 * i).stream().map(FOUR_WORKERS::workerOf).collect(Collectors.toSet());
                ofNode.addAll(before.get(2 * i + 1).stream().map(FOUR_WORKERS::workerOf).collect(Collectors.toSet()));
                assertThat(ofNode).as("node %d mints as one worker", i).hasSize(1);
                workers.addAll(ofNode);
            }
            assertThat(workers).as("every node has its own worker").doesNotHaveDuplicates();

            // Node 0's session ends on the server: it loses its term, and takes its worker back above its ceiling.
            final LeasedNode expired = nodes.get(0);
            final long oldWorker = expired.health().workerId();
            final long oldCeiling = expired.generator().lease().ceilingTick();
            final var oldGenerator = expired.generator();
            ZooKeeperFixture.expireSessionOnServer(expired.client());
            await("node 0's new term", Duration.ofSeconds(20), () -> expired.lease().generator() != oldGenerator);
            assertThat(expired.health().workerId()).isEqualTo(oldWorker);
            assertThat(expired.generator().lease().floorTick()).isGreaterThanOrEqualTo(oldCeiling);

            final List<List<Long>> after = mintEverywhere(servers, clients);
            after.get(0).forEach(id -> assertThat(FOUR_WORKERS.tickOf(id)).isGreaterThan(oldCeiling));
            after.forEach(all::addAll);
            assertDistinct(all);
            System.out.printf("fleet: %d IDs from %d nodes, all distinct; node 0 back on worker %d above tick %d%n",
                    all.size(), NODES, oldWorker, oldCeiling);
        } finally {
            clients.shutdownNow();
            servers.forEach(HttpNodeServer::close);
            nodes.forEach(LeasedNode::close);
            ensemble.close();
        }
    }

    /**
     * Two clients per node at once: one sends 200 single-ID requests, one 5 batches of 10,000. Each
     * client's IDs must increase. Returns the IDs per client: node i's at 2i (singles) and 2i+1 (batches).
     */
    private List<List<Long>> mintEverywhere(List<HttpNodeServer> servers, ExecutorService clients) throws Exception {
        final List<Future<List<Long>>> futures = new ArrayList<>();
        for (HttpNodeServer server : servers) {
            futures.add(clients.submit(client(server.port(), 1, 200)));
            futures.add(clients.submit(client(server.port(), 10_000, 5)));
        }
        final List<List<Long>> perClient = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            final List<Long> ids = f.get();
            for (int i = 1; i < ids.size(); i++) {
                assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
            }
            perClient.add(ids);
        }
        return perClient;
    }

    private Callable<List<Long>> client(int port, int count, int requests) {
        return () -> {
            final List<Long> ids = new ArrayList<>();
            final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ids?count=" + count))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
            for (int r = 0; r < requests; r++) {
                final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                final List<Long> got = parseIds(response.body());
                assertThat(got).hasSize(count);
                ids.addAll(got);
            }
            return ids;
        };
    }

    /** {@code {"ids":[1,2,3]}} -> [1, 2, 3]. */
    static List<Long> parseIds(String body) {
        final int open = body.indexOf('[');
        final int close = body.lastIndexOf(']');
        final List<Long> ids = new ArrayList<>();
        for (String part : body.substring(open + 1, close).split(",")) {
            if (!part.isBlank()) {
                ids.add(Long.parseLong(part.strip()));
            }
        }
        return ids;
    }
}
