package io.flakeproof.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --when-inconclusive}, end to end: a gate of 10 us, which no floor on loopback makes half of,
 * so every run is inconclusive; a node that answers 200 ms late, far more than the gate over any floor.
 * With {@code over-floor} the runs' turns together decide, and the slow node fails over the floor; with
 * {@code fail} (the default) the gate fails as inconclusive. {@link GateTest} has the rule's bounds,
 * the passing side among them.
 */
class GateOverFloorTest {

    private static final long LATE_MILLIS = 200;

    static {
        // See LoadCommandStallTest: without it, every answer of the JDK server waits 40 ms for an ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private HttpServer node;
    private ExecutorService threads;
    private final AtomicLong answered = new AtomicLong();

    @BeforeEach
    void startNode() throws IOException {
        node = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        threads = Executors.newFixedThreadPool(4);
        node.setExecutor(threads);
        node.createContext("/ids", this::answerLate);
        node.start();
    }

    @AfterEach
    void stopNode() {
        node.stop(0);
        threads.shutdownNow();
    }

    private void answerLate(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Thread.sleep(LATE_MILLIS);
            LoadCommandStallTest.sendJson(exchange, "{\"ids\":[" + (1_000_000 + answered.incrementAndGet()) + "]}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void overTheFloorTheInconclusiveRunsTogetherFailASlowNode(@TempDir Path dir) throws IOException {
        final Path json = dir.resolve("gate.json");
        final StringWriter out = new StringWriter();

        final int exit = run(out, json, "--gate-attempts", "2", "--when-inconclusive", "over-floor");

        final String printed = out.toString();
        assertThat(exit).as(printed).isEqualTo(1);
        assertThat(printed).contains("measuring both again (run 2 of 2)")
                .contains("the node, its turns of all 2 runs together:")
                .containsPattern("(?m)^FAIL over the floor: p99 2\\d\\d\\.\\d{3} ms, \\+\\d+\\.\\d{3} ms over the floor's "
                        + "\\d+\\.\\d{3} ms in the same turns >= 0\\.01 ms and no request failed \\(2 runs together, each "
                        + "inconclusive: the floor took half the gate or more\\)$");
        final Map<String, String> summary = LoadCommandStallTest.flatten(json);
        assertThat(summary).containsEntry("gate.judged_over_floor", "true").containsEntry("gate.passed", "false");
        // Both runs' turns are in the verdict's figures: 2 runs of 2 turns of 4 requests each.
        assertThat(summary).containsEntry("requests", "16").containsEntry("floor.requests", "16");
        assertThat(Double.parseDouble(summary.get("latency_ms.p99"))).isGreaterThanOrEqualTo(LATE_MILLIS);
    }

    @Test
    void withoutItTheInconclusiveRunFailsAsSuch(@TempDir Path dir) throws IOException {
        final Path json = dir.resolve("gate.json");
        final StringWriter out = new StringWriter();

        final int exit = run(out, json);

        final String printed = out.toString();
        assertThat(exit).as(printed).isEqualTo(1);
        assertThat(printed).doesNotContain("over the floor:")
                .containsPattern("(?m)^FAIL: p99 .* in turns with the node: inconclusive, as the floor took half the gate "
                        + "or more, in the only run: this machine could not measure 0\\.010 ms while it ran$");
        final Map<String, String> summary = LoadCommandStallTest.flatten(json);
        assertThat(summary).containsEntry("gate.judged_over_floor", "false").containsEntry("requests", "8");
    }

    /** 4 requests/s for 2 s in 2 turns against the late node, the floor a one-loop Netty server. */
    private int run(StringWriter out, Path json, String... more) {
        final String[] args = {"--url", "http://127.0.0.1:" + node.getAddress().getPort(), "--rate", "4", "--duration", "2s",
                "--connections", "2", "--baseline", "netty", "--turns", "2", "--gate-p99-ms", "0.01", "--json", json.toString()};
        final String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        final StringWriter err = new StringWriter();
        final int exit = LoadCommand.run(new PrintWriter(out), new PrintWriter(err), all);
        assertThat(err.toString()).isEmpty();
        return exit;
    }
}
