package io.flakeproof.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --when-inconclusive}, end to end: a gate of 10 us, which no floor on loopback makes half of,
 * so every run is inconclusive. A node that answers 200 ms late fails over the floor (the Netty floor);
 * a node that answers at once passes over a floor that answers 200 ms late (the test's own). With
 * {@code fail}, the default, the gate fails as inconclusive; a node that fails requests fails in its
 * first run, however busy the floor. {@link GateTest} has the rule's bounds.
 */
class GateOverFloorTest {

    private static final long LATE_MILLIS = 200;

    static {
        // See LoadCommandStallTest: without it, every answer of the JDK server waits 40 ms for an ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<ExecutorService> threads = new ArrayList<>();
    private final AtomicLong answered = new AtomicLong();

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
        threads.forEach(ExecutorService::shutdownNow);
    }

    @Test
    void aSlowNodeFailsOverTheFloorWithEveryInconclusiveRunsPairsOfTurns(@TempDir Path dir) throws IOException {
        final Path json = dir.resolve("gate.json");
        final StringWriter out = new StringWriter();

        final int exit = run(LoadCommand::run, serve(this::answerLate), out, json, "--gate-attempts", "2",
                "--when-inconclusive", "over-floor");

        final String printed = out.toString();
        assertThat(exit).as(printed).isEqualTo(1);
        assertThat(printed).contains("measuring both again (run 2 of 2)")
                .contains("run 2 of 2 was inconclusive too: the floor took half the gate or more in each, so the node is "
                        + "judged over the floor, pair of turns by pair")
                .contains("the node, its turns of all 2 runs together:")
                .containsPattern("(?m)^FAIL over the floor: the node's p99 less than 0\\.01 ms over the floor's in 0 of 4 "
                        + "pairs of turns, not more than half \\(median \\+\\d+\\.\\d{3} ms, from \\+\\d+\\.\\d{3} to "
                        + "\\+\\d+\\.\\d{3} ms\\) and no request to the node failed \\(2 runs, each inconclusive: the floor "
                        + "took half the gate or more\\)$");
        final Map<String, String> summary = LoadCommandStallTest.flatten(json);
        assertThat(summary).containsEntry("gate.judged_over_floor", "true").containsEntry("gate.passed", "false");
        // Both runs' turns are in the summary: 2 runs of 2 turns of 4 requests each; the verdict's 4 pairs.
        assertThat(summary).containsEntry("requests", "16").containsEntry("floor.requests", "16");
        assertThat(summary.get("gate.over_floor_by_turn_ms").split(",")).hasSize(4)
                .allSatisfy(over -> assertThat(Double.parseDouble(over)).isPositive());
        assertThat(Double.parseDouble(summary.get("latency_ms.p99"))).isGreaterThanOrEqualTo(LATE_MILLIS);
    }

    @Test
    void aFastNodePassesOverASlowFloor(@TempDir Path dir) throws IOException {
        final Path json = dir.resolve("gate.json");
        final StringWriter out = new StringWriter();
        final int floorPort = serve(this::answerLate);
        final LoadCommand.FloorStarter slowFloor = (kind, count) -> FloorServer.runBy(floorPort, "a floor 200 ms late", () -> { });

        final int exit = run((o, e, args) -> LoadCommand.run(slowFloor, o, e, args), serve(this::answerAtOnce), out, json,
                "--when-inconclusive", "over-floor");

        final String printed = out.toString();
        assertThat(exit).as(printed).isEqualTo(0);
        assertThat(printed).contains("the floor: a floor 200 ms late on 127.0.0.1:" + floorPort)
                .contains("the only run was inconclusive: the floor took half the gate or more, so the node is judged over "
                        + "the floor, pair of turns by pair")
                .containsPattern("(?m)^PASS over the floor: the node's p99 less than 0\\.01 ms over the floor's in 2 of 2 "
                        + "pairs of turns \\(median -\\d+\\.\\d{3} ms, from -\\d+\\.\\d{3} to -\\d+\\.\\d{3} ms\\) and no "
                        + "request to the node failed \\(the only run, inconclusive: the floor took half the gate or more\\)$");
        final Map<String, String> summary = LoadCommandStallTest.flatten(json);
        assertThat(summary).containsEntry("gate.judged_over_floor", "true").containsEntry("gate.passed", "true")
                .containsEntry("floor.server", "a floor 200 ms late").containsEntry("requests", "8");
        assertThat(summary.get("gate.over_floor_by_turn_ms").split(",")).hasSize(2)
                .allSatisfy(over -> assertThat(Double.parseDouble(over)).isNegative());
    }

    @Test
    void withoutItTheInconclusiveRunFailsAsSuch(@TempDir Path dir) throws IOException {
        final Path json = dir.resolve("gate.json");
        final StringWriter out = new StringWriter();

        final int exit = run(LoadCommand::run, serve(this::answerLate), out, json);

        final String printed = out.toString();
        assertThat(exit).as(printed).isEqualTo(1);
        assertThat(printed).doesNotContain("over the floor:")
                .containsPattern("(?m)^FAIL: p99 .* in turns with the node: inconclusive, as the floor took half the gate "
                        + "or more, in the only run: this machine could not measure 0\\.010 ms while it ran$");
        final Map<String, String> summary = LoadCommandStallTest.flatten(json);
        assertThat(summary).containsEntry("gate.judged_over_floor", "false").containsEntry("requests", "8")
                .doesNotContainKey("gate.over_floor_by_turn_ms");
    }

    @Test
    void aNodeThatFailsRequestsFailsInItsFirstRunHoweverBusyTheFloor(@TempDir Path dir) throws IOException {
        final Path json = dir.resolve("gate.json");
        final StringWriter out = new StringWriter();

        final int exit = run(LoadCommand::run, serve(this::answerError), out, json, "--gate-attempts", "3",
                "--when-inconclusive", "over-floor");

        final String printed = out.toString();
        assertThat(exit).as(printed).isEqualTo(1);
        assertThat(printed).doesNotContain("measuring both again").doesNotContain("over the floor:")
                .containsPattern("(?m)^FAIL: p99 .*; 8 of 8 requests failed; the floor \\(.*\\) measured p99 .* ms in turns "
                        + "with the node: a failed request is the node's, whatever the floor$");
        assertThat(LoadCommandStallTest.flatten(json)).containsEntry("gate.judged_over_floor", "false");
    }

    @Test
    void withoutTurnsTooANodeThatFailsRequestsFailsInItsFirstRun(@TempDir Path dir) throws IOException {
        final Path json = dir.resolve("gate.json");
        final StringWriter out = new StringWriter();
        final List<String> args = List.of("--url", "http://127.0.0.1:" + serve(this::answerError), "--rate", "4",
                "--duration", "2s", "--connections", "2", "--baseline", "netty", "--gate-p99-ms", "0.01",
                "--gate-attempts", "3", "--json", json.toString());
        final StringWriter err = new StringWriter();

        final int exit = LoadCommand.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));

        final String printed = out.toString();
        assertThat(err.toString()).isEmpty();
        assertThat(exit).as(printed).isEqualTo(1);
        assertThat(printed).doesNotContain("measuring both again").doesNotContain("the floor again, after it")
                .containsPattern("(?m)^FAIL: p99 .*; 8 of 8 requests failed; the floor \\(.*\\) measured p99 .* ms in the "
                        + "same run: a failed request is the node's, whatever the floor$");
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

    private void answerAtOnce(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            LoadCommandStallTest.sendJson(exchange, "{\"ids\":[" + (1_000_000 + answered.incrementAndGet()) + "]}");
        }
    }

    private void answerError(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(503, -1);
        }
    }

    /** A loopback server of 4 threads answering {@code /} with {@code handler}; its port. */
    private int serve(HttpHandler handler) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.createContext("/", handler);
        server.start();
        servers.add(server);
        threads.add(pool);
        return server.getAddress().getPort();
    }

    /** How the command is run: as users run it, or with a floor of the test's own. */
    private interface Command {
        int run(PrintWriter out, PrintWriter err, String... args);
    }

    /**
     * 4 requests/s for 2 s in 2 turns against the node on {@code port} (1 s of warm-up before each
     * server's first, so that a cold JVM's first requests are not measured), a gate of 10 us, the floor
     * Netty's unless replaced.
     */
    private static int run(Command command, int port, StringWriter out, Path json, String... more) {
        final List<String> args = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + port, "--rate", "4", "--duration", "2s",
                "--connections", "2", "--warmup", "1s", "--baseline", "netty", "--turns", "2", "--gate-p99-ms", "0.01", "--json",
                json.toString()));
        args.addAll(List.of(more));
        final StringWriter err = new StringWriter();
        final int exit = command.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertThat(err.toString()).isEmpty();
        return exit;
    }
}
