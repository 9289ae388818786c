package io.flakeproof.service;

import static io.flakeproof.registry.ZooKeeperFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.SystemClock;
import io.flakeproof.registry.LeaseSettings;
import io.flakeproof.registry.ZooKeeperFixture;
import io.flakeproof.service.http.HttpNodeServer;
import io.flakeproof.service.http.HttpSettings;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators' figures of a node on a leased worker (worker pool, layout time left, lease state,
 * configured bounds) in {@code /metrics} and {@code /health}, over real HTTP against a real ZooKeeper;
 * and every metric the alert rules (docs/ops/flakeproof-alerts.yml) read is one the node exports.
 */
class OperationsMetricsTest {

    /** Sixteen workers per datacenter in four datacenters. */
    private static final BitLayout LAYOUT = new BitLayout(41, 2, 4, 16, 1, BitLayout.DEFAULT_EPOCH.toEpochMilli());
    private static final Path ALERT_RULES = Path.of("..", "docs", "ops", "flakeproof-alerts.yml");

    @TempDir
    File dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void exportsTheWorkerPoolLayoutTimeLeftLeaseStateAndBoundsInMetricsAndHealth() throws Exception {
        try (TestingServer zk = new TestingServer(ZooKeeperFixture.loopbackSpec(new File(dir, "zk")), true)) {
            final LeasedNode first = start(zk, "first");
            final LeasedNode second = start(zk, "second");
            try (HttpNodeServer server = serve(second, new PrometheusRegistry())) {
                // The second node read its pool after its own claim: both workers of datacenter 1 are held.
                await("the second node's first pool reading", Duration.ofSeconds(10),
                        () -> second.operations().workerPool() != null);
                final String metrics = get(server, "/metrics");
                assertThat(metrics).contains(
                        "flakeproof_worker_pool_capacity{cluster=\"ops\",datacenter=\"1\"} 16.0",
                        "flakeproof_worker_pool_held{cluster=\"ops\",datacenter=\"1\"} 2.0",
                        "flakeproof_lease_state{state=\"held\"} 1.0",
                        "flakeproof_lease_state{state=\"renewing_late\"} 0.0",
                        "flakeproof_lease_state{state=\"suspended\"} 0.0",
                        "flakeproof_lease_state{state=\"lost\"} 0.0",
                        "flakeproof_lease_state{state=\"closed\"} 0.0",
                        "flakeproof_clock_offset_bound_ms 1000.0",
                        "flakeproof_lease_window_ms 1500.0",
                        "flakeproof_drift_tolerance_ms{policy=\"absorb\"} 5.0",
                        "flakeproof_drift_max_wait_ms{policy=\"absorb\"} 1000.0",
                        "# HELP flakeproof_layout_remaining_seconds Time until the layout's tick field overflows and "
                                + "the node refuses to mint, in seconds");
                final double remaining = value(metrics, "flakeproof_layout_remaining_seconds");
                final double expected = (LAYOUT.overflowInstant().toEpochMilli() - System.currentTimeMillis()) / 1000.0;
                assertThat(remaining).as("seconds until %s", LAYOUT.overflowInstant()).isBetween(expected - 60, expected + 1);
                assertThat(value(metrics, "flakeproof_worker_pool_reading_age_seconds{cluster=\"ops\",datacenter=\"1\"}"))
                        .as("a reading taken at start, at most one period old").isBetween(0.0, 10.0);

                final String health = get(server, "/health");
                assertThat(health).contains("\"cluster\":\"ops\",\"lease_state\":\"held\",\"clock_offset_bound_ms\":1000,"
                        + "\"lease_window_ms\":1500,\"drift_policy\":{\"kind\":\"absorb\",\"tolerance_ms\":5,"
                        + "\"max_wait_ms\":1000},\"layout_remaining_seconds\":" + (long) remaining)
                        .containsPattern("\"worker_pool\":\\{\"datacenter\":1,\"capacity\":16,\"held\":2,"
                                + "\"reading_age_seconds\":[0-9.]+\\}");
            } finally {
                second.close();
                first.close();
            }
            assertThat(scrape(second)).as("a released lease").contains("flakeproof_lease_state{state=\"closed\"} 1.0",
                    "flakeproof_lease_state{state=\"held\"} 0.0");
        }
    }

    @Test
    void everyMetricTheAlertRulesReadIsExported() throws Exception {
        final Set<String> read = new TreeSet<>();
        final Matcher names = Pattern.compile("flakeproof_[a-z_]+").matcher(Files.readString(ALERT_RULES));
        while (names.find()) {
            read.add(names.group());
        }
        read.removeIf(name -> name.startsWith("flakeproof_alerts")); // the rule group's name
        assertThat(read).as("metrics the rules read").isNotEmpty();
        try (TestingServer zk = new TestingServer(ZooKeeperFixture.loopbackSpec(new File(dir, "zk")), true)) {
            final LeasedNode node = start(zk, "rules");
            try {
                await("the first pool reading", Duration.ofSeconds(10), () -> node.operations().workerPool() != null);
                final PrometheusRegistry registry = new PrometheusRegistry();
                try (HttpNodeServer server = serve(node, registry)) {
                    get(server, "/ids?count=1");
                    final Set<String> exported = new TreeSet<>();
                    final Matcher samples = Pattern.compile("(?m)^(flakeproof_[a-z_]+)").matcher(get(server, "/metrics"));
                    while (samples.find()) {
                        exported.add(samples.group(1));
                    }
                    assertThat(exported).containsAll(read);
                }
            } finally {
                node.close();
            }
        }
    }

    private LeasedNode start(TestingServer zk, String holder) {
        return LeasedNode.start(LAYOUT, zk.getConnectString(), null, 0,
                LeaseSettings.of("ops", 1, holder).withWindow(ZooKeeperFixture.WINDOW).withRetryDelay(Duration.ofMillis(100))
                        .withStartupTimeout(Duration.ofSeconds(20)),
                ZooKeeperFixture.SESSION, SystemClock.INSTANCE);
    }

    private static HttpNodeServer serve(LeasedNode node, PrometheusRegistry registry) {
        NodeMetrics.register(node, registry);
        return HttpNodeServer.start(node, new HttpSettings("127.0.0.1", 0, 1000, HttpSettings.DEFAULT_MAX_REQUEST_BYTES),
                registry);
    }

    private String get(HttpNodeServer server, String path) throws IOException, InterruptedException {
        final URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
        final HttpRequest request = path.startsWith("/ids") ? HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build()
                : HttpRequest.newBuilder(uri).GET().build();
        final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private static String scrape(LeasedNode node) throws IOException {
        final PrometheusRegistry registry = new PrometheusRegistry();
        NodeMetrics.register(node, registry);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The value of the sample {@code series} (name and labels as printed) in {@code metrics}. */
    private static double value(String metrics, String series) {
        final Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("%s in %s", series, metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
