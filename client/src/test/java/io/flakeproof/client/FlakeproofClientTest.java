package io.flakeproof.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flakeproof.generator.BitLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The client against real nodes over real sockets, and against nodes that misbehave on purpose. */
class FlakeproofClientTest {

    /**
     * Timeouts for tests that expect IDs: on a starved machine the defaults (500 ms a request, 1 s for
     * an ID) expired before a loopback node answered, and tests failed on timing alone.
     */
    private static final Duration PATIENT = Duration.ofSeconds(10);


    @Test
    void handsOutEachIdOnceAcrossThreadsFromTheNodesWorkers() throws Exception {
        try (RealNode one = new RealNode(1); RealNode two = new RealNode(2);
                FlakeproofClient client = FlakeproofClient.builder().nodes(one.uri(), two.uri()).requestTimeout(PATIENT)
                        .maxWait(PATIENT).build()) {
            final Set<Long> ids = ConcurrentHashMap.newKeySet();
            final int threads = 4;
            final int perThread = 50_000;
            final CountDownLatch start = new CountDownLatch(1);
            final List<CompletableFuture<Void>> callers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final boolean batches = t % 2 == 0;
                callers.add(CompletableFuture.runAsync(() -> {
                    awaitQuietly(start);
                    for (int i = 0; i < perThread; ) {
                        if (batches) {
                            for (long id : client.nextIds(100)) {
                                assertThat(ids.add(id)).as("fresh ID %d", id).isTrue();
                            }
                            i += 100;
                        } else {
                            assertThat(ids.add(client.nextId())).isTrue();
                            i++;
                        }
                    }
                }));
            }
            start.countDown();
            for (CompletableFuture<Void> caller : callers) {
                caller.get(30, TimeUnit.SECONDS);
            }
            assertThat(ids).hasSize(threads * perThread);
            final FleetLayout layout = client.layout();
            assertThat(layout.bits()).isEqualTo(RealNode.LAYOUT.bits());
            final Set<Long> workers = new HashSet<>();
            for (long id : ids) {
                workers.add(layout.decode(id).workerId());
            }
            assertThat(workers).isSubsetOf(1L, 2L);
            final ClientStats stats = client.stats();
            assertThat(stats.idsReceived()).isGreaterThanOrEqualTo(threads * perThread);
            assertThat(stats.failedRequests()).isZero();
        }
    }

    @Test
    void sizesRequestsToTheConsumptionRate() {
        try (RealNode node = new RealNode(3);
                FlakeproofClient client = FlakeproofClient.builder().nodes(node.uri()).batch(1_000, 200_000)
                        .requestTimeout(PATIENT).maxWait(PATIENT).build()) {
            final int total = 3_000_000;
            long smallest = Long.MAX_VALUE;
            for (int i = 0; i < total; i++) {
                smallest = Math.min(smallest, client.nextId());
            }
            assertThat(smallest).isPositive();
            // At the minimum batch that would be 3,000 requests; sized to the rate, it is a few dozen.
            assertThat(client.stats().requests()).isLessThan(total / 10_000);
        }
    }

    @Test
    void failsOverFromANodeThatRefusesConnections() throws Exception {
        final URI dead = deadNode();
        // No hedge goes out during the test (1 min) and the second node does not time out (10 s), so each
        // refusal is a failover: with the 50 ms default, a refusal that came back after the refill's hedge
        // was out had counted as a failure and no failover, once in 7 runs on a loaded machine.
        try (RealNode node = new RealNode(4);
                FlakeproofClient client = FlakeproofClient.builder().nodes(dead, node.uri()).batch(10, 10)
                        .hedgeAfter(Duration.ofMinutes(1)).requestTimeout(Duration.ofSeconds(10))
                        .maxWait(Duration.ofSeconds(10)).build()) {
            for (int i = 0; i < 1_000; i++) {
                client.nextId();
            }
            // The first refill goes to the first node, whose refusal may come after the second node's answers.
            awaitTrue(() -> client.stats().failedRequests() > 0);
            final ClientStats stats = client.stats();
            assertThat(stats.hedges()).isZero();
            assertThat(stats.failovers()).isEqualTo(stats.failedRequests());
            assertThat(stats.nodes().get(0).lastFailure()).startsWith("cannot connect");
        }
    }

    @Test
    void opensTheCircuitOfANodeThatKeepsFailingAndStopsAskingIt() {
        try (ScriptedNode failing = new ScriptedNode(503, "{\"error\":\"no lease\"}", false);
                RealNode node = new RealNode(5);
                FlakeproofClient client = FlakeproofClient.builder().nodes(failing.uri(), node.uri()).batch(10, 10)
                        .circuitBreaker(3, Duration.ofHours(1)).build()) {
            for (int i = 0; i < 2_000; i++) {
                client.nextId();
            }
            final ClientStats stats = client.stats();
            assertThat(stats.circuitOpenings()).isEqualTo(1);
            assertThat(stats.nodes().get(0).circuitOpen()).isTrue();
            assertThat(stats.nodes().get(0).lastFailure()).isEqualTo("status 503: {\"error\":\"no lease\"}");
            // Three failures open it; requests already in flight then may still reach it.
            assertThat(failing.rangeRequests()).isBetween(3, 2 + FlakeproofClient.MAX_IN_FLIGHT);
        }
    }

    @Test
    void hedgesARefillThatIsLateOnAnotherNode() {
        try (ScriptedNode frozen = new ScriptedNode(200, "{}", true);
                RealNode node = new RealNode(6);
                FlakeproofClient client = FlakeproofClient.builder().nodes(frozen.uri(), node.uri())
                        .hedgeAfter(Duration.ofMillis(20)).requestTimeout(Duration.ofSeconds(30))
                        .maxWait(Duration.ofSeconds(10)).build()) {
            // The first refill goes to the first node, which holds it; the hedge to the second answers.
            final long id = client.nextId();
            assertThat(client.layout().decode(id).workerId()).isEqualTo(6);
            assertThat(frozen.rangeRequests()).isPositive();
            // The request the frozen node holds may be a background refill whose 20 ms hedge timer has not
            // fired yet when the first ID comes back: wait for it, at most 5 s.
            final long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (client.stats().hedges() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            final ClientStats stats = client.stats();
            // Later refills may meet the frozen node too, and be hedged as well; none fails within 30 s.
            assertThat(stats.hedges()).isPositive();
            assertThat(stats.failedRequests()).isZero();
        }
    }

    @Test
    void neverHandsOutAMalformedAnswer() throws Exception {
        final String wrongCount = "{\"ranges\":[{\"first\":4096,\"count\":7}]}";
        try (ScriptedNode liar = new ScriptedNode(200, wrongCount, false);
                FlakeproofClient client = FlakeproofClient.builder().nodes(liar.uri())
                        .requestTimeout(PATIENT).maxWait(Duration.ofMillis(200)).build()) {
            awaitTrue(() -> client.stats().failedRequests() > 0);
            assertThatThrownBy(client::nextId)
                    .isInstanceOf(FlakeproofUnavailableException.class)
                    .hasMessageContaining("no ID within 200 ms")
                    .hasMessageContaining(liar.uri() + " (")
                    .hasMessageMatching(".*malformed answer: the ranges hold 7 IDs, not the \\d+ asked for.*");
            assertThat(client.stats().idsReceived()).isZero();
        }
    }

    @Test
    void waitsAtMostMaxWaitThenNamesEveryNodeAndWhy() throws Exception {
        final URI first = deadNode();
        final URI second = deadNode();
        try (FlakeproofClient client = FlakeproofClient.builder().nodes(first, second)
                .maxWait(Duration.ofMillis(300)).build()) {
            awaitTrue(() -> client.stats().nodes().stream().allMatch(node -> node.lastFailure() != null));
            final long start = System.nanoTime();
            final FlakeproofUnavailableException thrown =
                    (FlakeproofUnavailableException) org.assertj.core.api.Assertions.catchThrowable(client::nextId);
            final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(thrown).isNotNull();
            assertThat(waitedMs).isBetween(300L, 10_000L);
            assertThat(thrown.failures()).extracting(FlakeproofUnavailableException.NodeFailure::node)
                    .containsExactly(first, second);
            assertThat(thrown.failures()).allSatisfy(failure -> assertThat(failure.reason()).contains("cannot connect"));
            assertThat(client.stats().waits()).isEqualTo(1);
        }
    }

    @Test
    void dropsRangesThatReachTheMaximumAge() throws Exception {
        final AtomicLong ticker = new AtomicLong(1_000_000_000L);
        try (RealNode node = new RealNode(7);
                FlakeproofClient client = FlakeproofClient.builder().nodes(node.uri()).ticker(ticker::get)
                        .maxAge(Duration.ofSeconds(1)).batch(1_000, 1_000).build()) {
            // The frozen ticker measures no consumption, and no call has waited, so the client keeps its
            // minimum: one batch of 1,000, and another once the first ID is taken.
            awaitTrue(() -> client.stats().bufferedIds() == 1_000);
            final long first = client.nextId();
            awaitTrue(() -> client.stats().idsReceived() == 2_000 && client.stats().requests() == 2);
            assertThat(client.stats().bufferedIds()).isEqualTo(1_999);

            ticker.addAndGet(Duration.ofSeconds(1).toNanos());
            awaitTrue(() -> client.stats().idsDroppedStale() == 1_999);
            final long fresh = client.nextId();
            assertThat(fresh).isGreaterThan(first);
            assertThat(client.stats().requests()).isGreaterThan(2);
        }
    }

    @Test
    void closeWakesAWaitingCallerWithAnIllegalStateException() throws Exception {
        try (FlakeproofClient client = FlakeproofClient.builder().nodes(deadNode())
                .maxWait(Duration.ofMinutes(1)).build()) {
            final CompletableFuture<Long> caller = CompletableFuture.supplyAsync(client::nextId);
            awaitTrue(() -> client.stats().waits() == 1);
            client.close();
            assertThatThrownBy(() -> caller.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseMessage("the client is closed");
        }
    }

    @Test
    void decodesWithTheLayoutANodeReports() {
        try (RealNode node = new RealNode(9);
                FlakeproofClient client = FlakeproofClient.builder().nodes(node.uri()).requestTimeout(PATIENT)
                        .maxWait(PATIENT).build()) {
            final long id = client.nextId();
            final FleetLayout.Decoded decoded = client.layout().decode(id);
            final BitLayout expected = RealNode.LAYOUT;
            assertThat(decoded.workerId()).isEqualTo(9);
            assertThat(decoded.tick()).isEqualTo(expected.tickOf(id));
            assertThat(decoded.sequence()).isEqualTo(expected.sequenceOf(id));
            assertThat(decoded.timestamp()).isEqualTo(expected.decode(id).timestamp());
        }
    }

    @Test
    void rejectsBadInputNamingTheValueAndTheBound() {
        assertThatThrownBy(() -> FlakeproofClient.builder().nodes())
                .hasMessage("nodes must name at least 1 node: 0 given");
        assertThatThrownBy(() -> FlakeproofClient.builder().build())
                .hasMessage("nodes must name at least 1 node: 0 given");
        assertThatThrownBy(() -> FlakeproofClient.builder().nodes(URI.create("ftp://id1:8080")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node must be an http or https URI with a host: ftp://id1:8080");
        assertThatThrownBy(() -> FlakeproofClient.builder().nodes(URI.create("id1:8080")))
                .hasMessage("node must be an http or https URI with a host: id1:8080");
        assertThatThrownBy(() -> FlakeproofClient.builder().maxAge(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAge must be in [PT0.001S, PT1H]: PT-1S");
        assertThatThrownBy(() -> FlakeproofClient.builder().maxWait(Duration.ofMillis(-5)))
                .hasMessage("maxWait must be in [PT0S, PT1H]: PT-0.005S");
        assertThatThrownBy(() -> FlakeproofClient.builder().requestTimeout(Duration.ZERO))
                .hasMessage("requestTimeout must be in [PT0.001S, PT1M]: PT0S");
        assertThatThrownBy(() -> FlakeproofClient.builder().batch(0, 10))
                .hasMessage("minBatch must be in [1, 1000000]: 0");
        assertThatThrownBy(() -> FlakeproofClient.builder().batch(100, 10))
                .hasMessage("maxBatch must be in [100, 1000000]: 10");
        assertThatThrownBy(() -> FlakeproofClient.builder().circuitBreaker(0, Duration.ofSeconds(1)))
                .hasMessage("breaker failures must be in [1, 1000]: 0");
        try (FlakeproofClient client = FlakeproofClient.builder().nodes(URI.create("http://127.0.0.1:1")).build()) {
            assertThatThrownBy(() -> client.nextIds(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("count must be in [1, 1000000]: 0");
            assertThatThrownBy(() -> client.nextIds(1_000_001)).hasMessage("count must be in [1, 1000000]: 1000001");
        }
    }

    /** A loopback URI on which nothing listens: connections are refused. */
    private static URI deadNode() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    /** Polls {@code condition} every millisecond for up to 10 s; fails if it never holds. */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition within 10 s").isNegative();
            Thread.sleep(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
