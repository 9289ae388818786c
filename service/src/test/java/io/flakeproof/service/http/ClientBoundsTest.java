package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.service.http.RawConnection.Answer;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bounds on what one client may hold, on the real server: the request timeout for slow headers
 * and short bodies, the idle timeout, the connection cap. Every wait is a blocking read bounded by
 * {@link RawConnection#READ_TIMEOUT_MILLIS}, never a sleep raced against the server.
 */
class ClientBoundsTest {

    private static final String HOST = "Host: node\r\n";

    private static HttpSettings bounds(int maxConnections, Duration requestTimeout, Duration idleTimeout) {
        return LoopbackNode.anyPort().withClientBounds(maxConnections, HttpSettings.DEFAULT_MAX_PIPELINED,
                requestTimeout, idleTimeout);
    }

    @Test
    void answersSlowHeadersWith408AndCloses() {
        try (LoopbackNode node = new LoopbackNode(bounds(8, Duration.ofMillis(200), Duration.ofMinutes(1)));
                RawConnection client = node.connect()) {
            final List<Answer> answers = client.send("GET /health HTTP/1.1\r\nHo").readUntilClosed();

            assertThat(answers).singleElement().satisfies(answer -> {
                assertThat(answer.status()).isEqualTo(408);
                assertThat(answer.text()).isEqualTo("{\"error\":\"request not received whole within 200 ms\"}");
            });
        }
    }

    @Test
    void answersABodyShorterThanItsLengthWith408AndMintsNothing() {
        try (LoopbackNode node = new LoopbackNode(bounds(8, Duration.ofMillis(200), Duration.ofMinutes(1)));
                RawConnection client = node.connect()) {
            final List<Answer> answers = client.send("POST /ids?count=5 HTTP/1.1\r\n" + HOST
                    + "Content-Length: 10\r\n\r\nabc").readUntilClosed();

            assertThat(answers).extracting(Answer::status).containsExactly(408);
            assertThat(node.generator.idsMinted()).isZero();
        }
    }

    @Test
    void answersEarlierRequestsBeforeTheTimeoutOfAnUnfinishedOne() {
        try (LoopbackNode node = new LoopbackNode(bounds(8, Duration.ofMillis(200), Duration.ofMinutes(1)));
                RawConnection client = node.connect()) {
            final List<Answer> answers = client.send("POST /ids?count=3 HTTP/1.1\r\n" + HOST + "\r\n"
                    + "POST /ids?count=3 HTTP/1.1\r\n" + HOST + "Content-Length: 10\r\n\r\nabc").readUntilClosed();

            assertThat(answers).extracting(Answer::status).containsExactly(200, 408);
            assertThat(answers.get(0).ids()).hasSize(3);
        }
    }

    @Test
    void times408AClientThatSendsOneByteAtATime() throws Exception {
        try (LoopbackNode node = new LoopbackNode(bounds(8, Duration.ofMillis(300), Duration.ofMinutes(1)));
                RawConnection client = node.connect()) {
            final byte[] request = ("GET /health HTTP/1.1\r\n" + HOST + "X-Padding: " + "x".repeat(200) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            // The client's own pace, one byte every 20 ms (5 s for the request): not a wait for the server.
            final Thread trickle = new Thread(() -> {
                try {
                    for (byte b : request) {
                        client.send(new byte[] {b});
                        Thread.sleep(20);
                    }
                } catch (InterruptedException | UncheckedIOException e) {
                    // interrupted by the test's end, or the node closed the connection: the trickle stops
                }
            }, "trickle");
            trickle.start();
            try {
                final Answer answer = client.read();
                assertThat(answer.status()).isEqualTo(408);
                assertThat(client.read()).isNull();
            } finally {
                trickle.interrupt();
                trickle.join();
            }
        }
    }

    @Test
    void closesAConnectionIdleForTheIdleTimeout() {
        try (LoopbackNode node = new LoopbackNode(bounds(8, Duration.ofSeconds(10), Duration.ofMillis(200)));
                RawConnection idle = node.connect();
                RawConnection kept = node.connect()) {
            assertThat(kept.send("GET /health HTTP/1.1\r\n" + HOST + "\r\n").read().status()).isEqualTo(200);

            assertThat(idle.closedByNode()).isTrue();
            assertThat(kept.closedByNode()).isTrue();
        }
    }

    @Test
    void closesAClientThatStopsReadingAfterTheIdleTimeoutAndCountsItsIdsUndelivered() throws InterruptedException {
        try (LoopbackNode node = new LoopbackNode(bounds(8, Duration.ofSeconds(10), Duration.ofMillis(300)));
                RawConnection client = RawConnection.open(node.port(), 4096)) {
            client.send("POST /ids?count=100000 HTTP/1.1\r\nHost: node\r\n\r\n".repeat(10));

            assertThat(awaitValue(node, "flakeproof_http_ids_served", 100_000)).as("the first answer written").isTrue();
            assertThat(awaitValue(node, "flakeproof_http_connections_open", 0)).as("the connection closed").isTrue();
            final double undelivered = value(node, "flakeproof_http_ids_undelivered");
            final double served = value(node, "flakeproof_http_ids_served");
            assertThat(undelivered).as("IDs of the answer it stopped reading").isPositive();
            assertThat(served + undelivered).isEqualTo(node.generator.idsMinted());
            assertThat(node.generator.idsMinted()).isLessThan(10 * 100_000);
        }
    }

    @Test
    void answers503WithoutMintingWhenTheAnswersHeldForClientsWouldPassTheBudget() throws InterruptedException {
        final HttpSettings settings = bounds(8, Duration.ofSeconds(10), Duration.ofMinutes(1))
                .withMaxAnswerBytes(8 * 1024 * 1024);
        try (LoopbackNode node = new LoopbackNode(settings)) {
            final List<RawConnection> neverReading = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    neverReading.add(RawConnection.open(node.port(), 4096)
                            .send("POST /ids?count=100000 HTTP/1.1\r\nHost: node\r\n\r\n".repeat(10)));
                }
                // Once their sockets' buffers are full, each holds one answer of 2,200,016 bytes.
                final long minted = node.awaitMintingStops();
                assertThat(value(node, "flakeproof_http_answers_held_bytes")).isEqualTo(3 * 2_200_016);
                try (RawConnection client = node.connect()) {
                    final Answer refused = client.send("POST /ids?count=100000 HTTP/1.1\r\n" + HOST + "\r\n").read();
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.header("retry-after")).isEqualTo("1");
                    assertThat(refused.text()).startsWith("{\"error\":\"the node holds ")
                            .endsWith(" bytes of answers not yet written to their clients, at most 8388608: try again\"}");
                    assertThat(node.generator.idsMinted()).as("minted for the refused request").isEqualTo(minted);
                    assertThat(client.send("POST /ids?count=10 HTTP/1.1\r\n" + HOST + "\r\n").read().ids()).hasSize(10);
                }
            } finally {
                neverReading.forEach(RawConnection::close);
            }
            assertThat(awaitValue(node, "flakeproof_http_answers_held_bytes", 0)).isTrue();
            try (RawConnection client = node.connect()) {
                assertThat(client.send("POST /ids?count=100000 HTTP/1.1\r\n" + HOST + "\r\n").read().ids())
                        .hasSize(100_000);
            }
        }
    }

    @Test
    void refusesAConnectionOverTheCapWith503AndServesAgainOnceOneCloses() {
        try (LoopbackNode node = new LoopbackNode(bounds(3, Duration.ofSeconds(10), Duration.ofMinutes(1)))) {
            final List<RawConnection> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    final RawConnection client = node.connect();
                    open.add(client);
                    assertThat(client.send("GET /health HTTP/1.1\r\n" + HOST + "\r\n").read().status()).isEqualTo(200);
                }
                try (RawConnection refused = node.connect()) {
                    final List<Answer> answers = refused.readUntilClosed();
                    assertThat(answers).singleElement().satisfies(answer -> {
                        assertThat(answer.status()).isEqualTo(503);
                        assertThat(answer.header("retry-after")).isEqualTo("1");
                        assertThat(answer.text())
                                .isEqualTo("{\"error\":\"too many connections: the node holds at most 3 open\"}");
                    });
                }
                open.remove(0).close();
                assertThat(awaitServed(node)).as("a connection is served once one of the three closed").isTrue();
            } finally {
                open.forEach(RawConnection::close);
            }
        }
    }

    /** Polls a metric every 10 ms until it reads {@code expected} (for a counter: at least that), at most 10 s. */
    private static boolean awaitValue(LoopbackNode node, String name, double expected) throws InterruptedException {
        for (int poll = 0; poll < 1000; poll++) {
            final double value = value(node, name);
            if (expected == 0 ? value == 0 : value >= expected) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** The sum of a metric's data points (0 when it has none yet). */
    private static double value(LoopbackNode node, String name) {
        double sum = 0;
        for (MetricSnapshot snapshot : node.registry.scrape()) {
            if (!snapshot.getMetadata().getName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                sum += point instanceof GaugeSnapshot.GaugeDataPointSnapshot
                        ? ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue()
                        : ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
            }
        }
        return sum;
    }

    /** Connects until one is answered 200, at most 100 times: the node counts a close when it sees it. */
    private static boolean awaitServed(LoopbackNode node) {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (RawConnection client = node.connect()) {
                final Answer answer = client.send("GET /health HTTP/1.1\r\n" + HOST + "\r\n").read();
                if (answer != null && answer.status() == 200) {
                    return true;
                }
            } catch (UncheckedIOException refusedMidway) {
                // refused and closed before the request was written: try again
            }
        }
        return false;
    }
}
