package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.service.IdNode;
import io.flakeproof.service.NodeHealth;
import io.flakeproof.service.StaticNode;
import io.flakeproof.service.http.NodeChannel.Reply;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthAndMetricsTest {

    private final ManualClock clock = new ManualClock(NodeChannel.NOW);
    private final StaticNode staticNode = NodeChannel.staticNode(clock);
    private final NodeChannel node = new NodeChannel(staticNode);

    @Test
    void reportsAHealthyNodeWithEveryField() {
        final Reply reply = node.get("/health");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(reply.text()).isEqualTo("{\"status\":\"ok\",\"worker_id\":7,\"datacenter_id\":0,"
                + "\"clock_offset_ms\":null,\"lease_remaining_ms\":-1,\"sequence_utilization\":0.0,"
                + "\"layout\":{\"name\":\"snowflake\",\"bits\":\"41/0/10/12\",\"tick_ms\":1,"
                + "\"epoch\":\"2025-01-01T00:00:00.000Z\"},"
                + "\"layout_exhausts_at\":\"2094-09-07T15:47:35.552Z\",\"reasons\":[]}");
    }

    @Test
    void reportsADegradedNodeWithItsReasonsAs200() {
        final BitLayout layout = BitLayout.parse("41/5/5/12", 10L, "2020-01-01T00:00:00Z");
        final NodeHealth degraded = new NodeHealth(NodeHealth.Status.DEGRADED, 3, 2, "c0ffee-1", -42L, 1500, 0.25, layout,
                Instant.parse("2716-09-05T13:05:15.520Z"), List.of("clock offset is 42 ms", "lease \"renewal\" late"));

        final Reply reply = new NodeChannel(nodeWithHealth(degraded)).get("/health");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("{\"status\":\"degraded\",\"worker_id\":3,\"datacenter_id\":2,"
                + "\"cluster_id\":\"c0ffee-1\",\"clock_offset_ms\":-42,\"lease_remaining_ms\":1500,\"sequence_utilization\":0.25,"
                + "\"layout\":{\"name\":\"41/5/5/12 10 ms from 2020-01-01T00:00:00Z\",\"bits\":\"41/5/5/12\","
                + "\"tick_ms\":10,\"epoch\":\"2020-01-01T00:00:00.000Z\"},"
                + "\"layout_exhausts_at\":\"2716-09-05T13:05:15.520Z\","
                + "\"reasons\":[\"clock offset is 42 ms\",\"lease \\\"renewal\\\" late\"]}");
    }

    @Test
    void aWarmingNodeSaysSoFirstAndIsAnswered503SoThatALoadBalancerWaits() {
        final BitLayout layout = BitLayout.parse("41/5/5/12", 10L, "2020-01-01T00:00:00Z");
        final NodeHealth degraded = new NodeHealth(NodeHealth.Status.DEGRADED, 3, 2, "c0ffee-1", -42L, 1500, 0.25, layout,
                Instant.parse("2716-09-05T13:05:15.520Z"), List.of("clock offset is 42 ms"));

        final Reply reply = new NodeChannel(nodeWithHealth(degraded.warming("warming up"))).get("/health");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.text()).startsWith("{\"status\":\"warming\",\"worker_id\":3,")
                .endsWith("\"reasons\":[\"warming up\",\"clock offset is 42 ms\"]}");
    }

    @Test
    void aNodeThatCannotMintStaysUnavailableWhileWarming() {
        final NodeHealth unavailable = new NodeHealth(NodeHealth.Status.UNAVAILABLE, -1, 0, null, null, 0, 0,
                BitLayout.preset("snowflake"), BitLayout.preset("snowflake").overflowInstant(), List.of("no lease"));

        assertThat(unavailable.warming("warming up")).isEqualTo(unavailable);
    }

    @Test
    void answers503WhenTheGeneratorIsSealed() {
        staticNode.generator().seal();

        final Reply reply = node.get("/health");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.text()).startsWith("{\"status\":\"unavailable\",\"worker_id\":7,")
                .endsWith("\"reasons\":[\"the generator was released\"]}");
    }

    @Test
    void exposesTheRegistryInPrometheusTextWithTheRequestMetrics() {
        node.post("/ids?count=3");
        node.post("/ids/ranges?count=5");
        node.post("/ids?count=0");

        final Reply reply = node.get("/metrics");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(reply.text()).contains(
                "flakeproof_http_requests_total{route=\"/ids\",status=\"200\"} 1.0",
                "flakeproof_http_requests_total{route=\"/ids\",status=\"400\"} 1.0",
                "flakeproof_http_requests_total{route=\"/ids/ranges\",status=\"200\"} 1.0",
                "flakeproof_http_ids_served_total{route=\"/ids\"} 3.0",
                "flakeproof_http_ids_served_total{route=\"/ids/ranges\"} 5.0",
                "flakeproof_http_request_duration_seconds_count{route=\"/ids\",status=\"200\"} 1",
                "flakeproof_http_request_duration_seconds_bucket{route=\"/ids\",status=\"200\",le=\"0.001\"}",
                // The scrape runs while its own request is in flight.
                "flakeproof_http_requests_in_flight 1.0");
    }

    @Test
    void exposesMetricsOthersRegisteredInTheSameRegistry() {
        io.prometheus.metrics.core.metrics.Counter.builder().name("flakeproof_ids_minted").help("IDs minted")
                .register(node.registry).inc(12);

        assertThat(node.get("/metrics").text()).contains("flakeproof_ids_minted_total 12.0");
    }

    /** The static node, reporting {@code health}. */
    private IdNode nodeWithHealth(NodeHealth health) {
        return new DelegatingNode(staticNode) {
            @Override
            public NodeHealth health() {
                return health;
            }
        };
    }
}
