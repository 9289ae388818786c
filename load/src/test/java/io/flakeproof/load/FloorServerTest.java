package io.flakeproof.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The floor's trivial servers answer what the load generator counts as a success (200, exactly the
 * plan's IDs), and {@code --baseline} runs the same plan against one before the node, printing both.
 */
class FloorServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theNettyFloorAnswersEveryRequestWithTheCountAskedFor() throws Exception {
        try (FloorServer floor = FloorServer.start(FloorServer.Kind.NETTY, 3)) {
            assertThat(floor.description()).startsWith("netty");
            assertAnswersThreeIds(floor.port());
        }
    }

    /** Where nginx is installed (CI installs it), the floor runs on it; elsewhere there is nothing to test. */
    @Test
    void theNginxFloorAnswersEveryRequestWithTheCountAskedFor() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed");
        try (FloorServer auto = FloorServer.start(FloorServer.Kind.AUTO, 3)) {
            assertThat(auto.description()).as("auto prefers nginx").startsWith("nginx");
            assertAnswersThreeIds(auto.port());
        }
    }

    /**
     * A port taken between its pick and nginx's bind, as an outgoing connection's source port takes one:
     * a socket bound to it and not listening. nginx exits, and is started again on another port.
     */
    @Test
    void nginxStartsAgainOnAnotherPortWhenItsPortWasTakenMeanwhile() throws Exception {
        final Path nginx = Path.of("/usr/sbin/nginx");
        assumeTrue(Files.isExecutable(nginx), "nginx is not installed");
        try (Socket taken = new Socket(); ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final int freePort = free.getLocalPort();
            free.close();
            final Iterator<Integer> ports = List.of(taken.getLocalPort(), freePort).iterator();

            try (FloorServer floor = FloorServer.startNginx(nginx, 3, ports::next)) {
                assertThat(floor.port()).isEqualTo(freePort);
                assertAnswersThreeIds(floor.port());
            }

            final Iterator<Integer> allTaken = Collections.nCopies(FloorServer.NGINX_PORT_TRIES, taken.getLocalPort()).iterator();
            assertThatThrownBy(() -> FloorServer.startNginx(nginx, 3, allTaken::next).close())
                    .isInstanceOf(IOException.class).hasMessageContaining("could not bind()");
            assertThat(allTaken.hasNext()).as("tried " + FloorServer.NGINX_PORT_TRIES + " times").isFalse();
        }
    }

    @Test
    void theFloorsAnswerIsAsLongAsTheNodesAndCountsRight() {
        final String body = FloorServer.body(1_000);
        assertThat(IdsBody.countIds(new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)))).isEqualTo(1_000);
        assertThat(body.length()).isBetween(19_000, 20_000);
    }

    /** The node here is another trivial server: what is tested is the run, not a node. */
    @Test
    void aBaselineRunMeasuresTheFloorThenTheNodeAndPrintsTheOverhead(@TempDir Path dir) throws IOException {
        final StringWriter out = new StringWriter();
        final Path json = dir.resolve("load.json");
        try (FloorServer node = FloorServer.start(FloorServer.Kind.NETTY, 1)) {
            final int code = LoadCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                    "--url", "http://127.0.0.1:" + node.port(), "--rate", "200", "--duration", "1s",
                    "--connections", "2", "--baseline", "netty", "--gate-p99-ms", "60000", "--json", json.toString());
            assertThat(code).as(out.toString()).isZero();
        }
        assertThat(out.toString())
                .contains("the floor: netty")
                .contains("the node:")
                .containsPattern("the node over the floor \\(latency, ms\\): p50 [+-]\\d+\\.\\d{3}")
                .containsPattern("PASS: p99 .* ms < 60000 ms and no request failed; the floor \\(netty.*\\) measured p99 "
                        + "\\d+\\.\\d{3} ms in the same run");
        assertThat(out.toString().split("200 of 200 requests succeeded", -1)).as("floor and node both whole").hasSize(3);
        assertThat(Files.readString(json)).contains("\"floor\"").contains("\"over_floor_ms\"").contains("\"server\" : \"netty");
    }

    /** A gate no server can make (1 microsecond): the floor misses it too, so every run is inconclusive. */
    @Test
    void aRunWhoseFloorMissesTheGateTooIsMeasuredAgainThenFailsAsInconclusive() throws IOException {
        final StringWriter out = new StringWriter();
        try (FloorServer node = FloorServer.start(FloorServer.Kind.NETTY, 1)) {
            final int code = LoadCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                    "--url", "http://127.0.0.1:" + node.port(), "--rate", "100", "--duration", "1s",
                    "--connections", "1", "--baseline", "netty", "--gate-p99-ms", "0.001", "--gate-attempts", "2");
            assertThat(code).as(out.toString()).isEqualTo(1);
        }
        assertThat(out.toString())
                .contains("inconclusive: the node missed the gate, and the floor took half the gate or more, so the machine could not measure "
                        + "it then; measuring both again (run 2 of 2)")
                .containsPattern("FAIL: p99 .* ms >= 0.001 ms and no request failed; the floor \\(netty.*\\) measured p99 "
                        + "\\d+\\.\\d{3} ms in the same run: inconclusive, as the floor took half the gate or more, in each of 2 runs: "
                        + "this machine could not measure 0.001 ms while it ran");
        assertThat(out.toString().split("the floor: netty", -1)).as("two runs of floor and node").hasSize(3);
    }

    /** In turns: the floor and the node alternate, and each one's turns are summed up as one run. */
    @Test
    void aRunInTurnsAlternatesTheFloorAndTheNodeAndSumsEachUp(@TempDir Path dir) throws IOException {
        final StringWriter out = new StringWriter();
        final Path json = dir.resolve("load.json");
        try (FloorServer node = FloorServer.start(FloorServer.Kind.NETTY, 1)) {
            final int code = LoadCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                    "--url", "http://127.0.0.1:" + node.port(), "--rate", "100", "--duration", "3s", "--turns", "3",
                    "--connections", "2", "--baseline", "netty", "--gate-p99-ms", "60000", "--json", json.toString());
            assertThat(code).as(out.toString()).isZero();
        }
        assertThat(out.toString())
                .contains("in 3 turns each of 1s, alternating (0ms of warm-up before each one's first, 1s before every other)")
                .containsPattern("turn  1 of 3: the floor p99 \\d+\\.\\d{3} ms, 0 failed; the node p99 \\d+\\.\\d{3} ms, 0 failed")
                .contains("turn  3 of 3:")
                .containsPattern("PASS: p99 .* ms < 60000 ms and no request failed; the floor \\(netty.*\\) measured p99 "
                        + "\\d+\\.\\d{3} ms in turns with the node");
        assertThat(out.toString().split("300 of 300 requests succeeded", -1)).as("floor and node, their turns together").hasSize(3);
        assertThat(Files.readString(json)).contains("\"requests\" : 300").contains("\"floor\"").contains("\"duration_s\" : 3");
    }

    /** In turns, a gate no server can make: every run is inconclusive, and after the last the gate fails saying so. */
    @Test
    void inTurnsAGateTheFloorMissesTooIsMeasuredAgainThenFails() throws IOException {
        final StringWriter out = new StringWriter();
        try (FloorServer node = FloorServer.start(FloorServer.Kind.NETTY, 1)) {
            final int code = LoadCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                    "--url", "http://127.0.0.1:" + node.port(), "--rate", "50", "--duration", "2s", "--turns", "2",
                    "--connections", "1", "--baseline", "netty", "--gate-p99-ms", "0.001", "--gate-attempts", "2");
            assertThat(code).as(out.toString()).isEqualTo(1);
        }
        assertThat(out.toString())
                .contains("inconclusive: the node missed the gate, and the floor took half the gate or more in the same turns")
                .containsPattern("FAIL: p99 .* ms >= 0.001 ms and no request failed; the floor \\(netty.*\\) measured p99 "
                        + "\\d+\\.\\d{3} ms in turns with the node: inconclusive, as the floor took half the gate or more, in each of 2 runs");
        assertThat(out.toString().split("turn  2 of 2", -1)).as("two runs of two turns").hasSize(3);
    }

    /** In turns, a node slower than the gate while the floor made it over the same turns: it fails at once. */
    @Test
    void inTurnsAMissWithTheFloorUnderTheGateFailsAtOnce() throws IOException {
        final StringWriter out = new StringWriter();
        try (java.net.ServerSocket slow = slowNode()) {
            final int code = LoadCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                    "--url", "http://127.0.0.1:" + slow.getLocalPort(), "--rate", "20", "--duration", "2s", "--turns", "2",
                    "--connections", "1", "--warmup", "1s", "--baseline", "netty", "--gate-p99-ms", "500", "--gate-attempts", "3");
            assertThat(code).as(out.toString()).isEqualTo(1);
        }
        assertThat(out.toString())
                .containsPattern("FAIL: p99 .* ms >= 500 ms and no request failed; the floor \\(netty.*\\) measured p99 "
                        + "\\d+\\.\\d{3} ms in turns with the node, under half the gate: the miss is the node's$")
                .doesNotContain("inconclusive");
        assertThat(out.toString().split("turn  2 of 2", -1)).as("one run").hasSize(2);
    }

    /** A node slower than the gate, the floor well under it: the floor is measured again after the node, and the miss stands. */
    @Test
    void aMissWithTheFloorUnderTheGateBeforeAndAfterFails() throws IOException {
        final StringWriter out = new StringWriter();
        try (java.net.ServerSocket slow = slowNode()) {
            final int code = LoadCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                    "--url", "http://127.0.0.1:" + slow.getLocalPort(), "--rate", "20", "--duration", "1s",
                    "--connections", "1", "--warmup", "2s", "--baseline", "netty", "--gate-p99-ms", "500", "--gate-attempts", "3");
            assertThat(code).as(out.toString()).isEqualTo(1);
        }
        assertThat(out.toString())
                .contains("the node missed the gate; the floor again, after it:")
                .containsPattern("FAIL: p99 .* ms >= 500 ms and no request failed; the floor \\(netty.*\\) measured p99 "
                        + "\\d+\\.\\d{3} ms in the same run, and p99 \\d+\\.\\d{3} ms after it")
                .doesNotContain("inconclusive");
        assertThat(out.toString().split("the floor: netty", -1)).as("one run: the floor before and after").hasSize(3);
    }

    /**
     * A node that answers each request 100 ms late, one connection at a time. A plain socket, not the
     * JDK's HTTP server: that one reads its settings once per JVM, when its first server starts, and
     * LoadCommandStallTest needs to be first to set them.
     */
    private static java.net.ServerSocket slowNode() throws IOException {
        final java.net.ServerSocket slow = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        final byte[] answer = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + FloorServer.body(1).length() + "\r\n\r\n" + FloorServer.body(1)).getBytes(StandardCharsets.US_ASCII);
        final Thread server = new Thread(() -> {
            while (!slow.isClosed()) {
                try (java.net.Socket client = slow.accept()) {
                    final java.io.InputStream in = new java.io.BufferedInputStream(client.getInputStream());
                    for (int matched = 0, b; (b = in.read()) >= 0; ) {
                        matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
                        if (matched == 4) { // a whole request head (the load generator sends no body)
                            matched = 0;
                            Thread.sleep(100);
                            client.getOutputStream().write(answer);
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }, "slow-node");
        server.setDaemon(true);
        server.start();
        return slow;
    }

    private void assertAnswersThreeIds(int port) throws Exception {
        for (String method : new String[] {"POST", "GET"}) {
            final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/ids?count=3"))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(method).isEqualTo(200);
            assertThat(IdsBody.countIds(new ByteArrayInputStream(answer.body().getBytes(StandardCharsets.US_ASCII))))
                    .as(method).isEqualTo(3);
        }
    }
}
