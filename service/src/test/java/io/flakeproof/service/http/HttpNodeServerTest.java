package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.service.StaticNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The one test over a real socket: binding, the mint executor, and the graceful close. */
class HttpNodeServerTest {

    private static final HttpSettings ANY_PORT = new HttpSettings("127.0.0.1", 0, HttpSettings.DEFAULT_MAX_COUNT,
            HttpSettings.DEFAULT_MAX_REQUEST_BYTES);

    private final StaticNode node = new StaticNode(SnowflakeGenerator.embedded(BitLayout.snowflake(), 0, 7));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void servesIdsOnAPortItChoseAndFinishesTheRequestInFlightWhenClosed() throws Exception {
        final AtomicBoolean armed = new AtomicBoolean();
        final CountDownLatch minting = new CountDownLatch(1);
        final CountDownLatch mayMint = new CountDownLatch(1);
        final DelegatingNode slowNode = new DelegatingNode(node) {
            @Override
            public SnowflakeGenerator generator() {
                if (armed.compareAndSet(true, false)) {
                    minting.countDown();
                    awaitOrFail(mayMint);
                }
                return super.generator();
            }
        };
        final HttpNodeServer server = HttpNodeServer.start(slowNode, ANY_PORT, new PrometheusRegistry());
        assertThat(server.port()).isPositive();

        final HttpResponse<String> first = client.send(post(server, "/ids?count=3"), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(first.body()).matches("\\{\"ids\":\\[\\d+(,\\d+){2}]}");

        // A request whose mint is held until the server is closing.
        armed.set(true);
        final CompletableFuture<HttpResponse<String>> inFlight =
                client.sendAsync(post(server, "/ids?count=5"), HttpResponse.BodyHandlers.ofString());
        awaitOrFail(minting);
        final Thread closer = new Thread(server::close, "closer");
        closer.start();
        awaitRefused(server.port());
        mayMint.countDown();

        final HttpResponse<String> answered = inFlight.get(5, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).matches("\\{\"ids\":\\[\\d+(,\\d+){4}]}");
        closer.join(TimeUnit.SECONDS.toMillis(HttpNodeServer.DRAIN_SECONDS + 5));
        assertThat(closer.isAlive()).isFalse();
        assertThatThrownBy(() -> connect(server.port())).isInstanceOf(ConnectException.class);
        server.close(); // idempotent
    }

    @Test
    void failsWithTheAddressWhenThePortIsTaken() {
        try (HttpNodeServer first = HttpNodeServer.start(node, ANY_PORT, new PrometheusRegistry())) {
            final HttpSettings taken = new HttpSettings("127.0.0.1", first.port(), 10, 1024);

            assertThatThrownBy(() -> HttpNodeServer.start(node, taken, new PrometheusRegistry()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + first.port() + ": ");
        }
    }

    private static HttpRequest post(HttpNodeServer server, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    /** Polls, at most 5 s, until nothing listens on the port any more. */
    private static void awaitRefused(int port) throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            try {
                connect(port);
            } catch (ConnectException refused) {
                return;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("port " + port + " still accepts connections 5 s after close began");
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
    }

    /** Waits at most 5 s for the latch, else fails the test. */
    static void awaitOrFail(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("waited 5 s for " + latch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
