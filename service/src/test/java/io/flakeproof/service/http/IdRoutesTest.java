package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.StaticLease;
import io.flakeproof.service.StaticNode;
import io.flakeproof.service.http.NodeChannel.Reply;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdRoutesTest {

    private final ManualClock clock = new ManualClock(NodeChannel.NOW);
    private final NodeChannel node = new NodeChannel(NodeChannel.staticNode(clock));
    private final BitLayout layout = BitLayout.snowflake();
    /** The tick the clock reads: 5,375,167,123 ms after the epoch. */
    private final long tick = layout.tickAt(NodeChannel.NOW.toEpochMilli());

    private long id(long tickOffset, long sequence) {
        return layout.compose(tick + tickOffset, 0, NodeChannel.WORKER, sequence);
    }

    @Test
    void mintsOneIdWhenNoCountIsGiven() {
        final Reply reply = node.post("/ids");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(reply.text()).isEqualTo("{\"ids\":[22545084964696064]}").isEqualTo("{\"ids\":[" + id(0, 0) + "]}");
    }

    @Test
    void mintsCountIdsAsJsonNumbers() {
        assertThat(node.post("/ids?count=3").text())
                .isEqualTo("{\"ids\":[" + id(0, 0) + "," + id(0, 1) + "," + id(0, 2) + "]}");
    }

    @Test
    void mintsTheLargestDefaultBatchAsDistinctIncreasingIds() {
        final long[] ids = node.post("/ids?count=100000").jsonIds();

        assertThat(ids).hasSize(100_000).startsWith(id(0, 0));
        for (int i = 1; i < ids.length; i++) {
            assertThat(ids[i]).isGreaterThan(ids[i - 1]); // strictly increasing, hence distinct
        }
        // 4,096 IDs a tick: the batch spans ticks, borrowed ahead of the manual clock or waited for.
        assertThat(layout.tickOf(ids[ids.length - 1])).isEqualTo(tick + 100_000 / 4096);
    }

    @Test
    void writesIdsAsJsonStringsWhenFormatIsString() {
        assertThat(node.post("/ids?count=2&format=string").text())
                .isEqualTo("{\"ids\":[\"" + id(0, 0) + "\",\"" + id(0, 1) + "\"]}");
        assertThat(node.post("/ids?format=number").text()).isEqualTo("{\"ids\":[" + id(0, 2) + "]}");
    }

    @Test
    void writesEightByteBigEndianIdsForOctetStream() {
        final Reply reply = node.post("/ids?count=5000", "Accept: application/octet-stream");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/octet-stream");
        assertThat(reply.body()).hasSize(8 * 5000);
        final long[] ids = reply.longs();
        assertThat(ids[0]).isEqualTo(id(0, 0));
        assertThat(ids[4095]).isEqualTo(id(0, 4095));
        assertThat(ids[4096]).isEqualTo(id(1, 0));
        assertThat(ids[4999]).isEqualTo(id(1, 903));
    }

    @Test
    void findsOctetStreamAmongSeveralMediaRanges() {
        final Reply reply = node.post("/ids?count=2", "Accept: application/json;q=0.5, application/octet-stream;q=1");

        assertThat(reply.header(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/octet-stream");
        assertThat(reply.longs()).containsExactly(id(0, 0), id(0, 1));
    }

    @Test
    void answersRangesOnePerTickThatSumToTheCount() {
        final Reply reply = node.post("/ids/ranges?count=10000");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("{\"ranges\":["
                + "{\"first\":" + id(0, 0) + ",\"count\":4096},"
                + "{\"first\":" + id(1, 0) + ",\"count\":4096},"
                + "{\"first\":" + id(2, 0) + ",\"count\":1808}]}");
        final Matcher counts = Pattern.compile("\"count\":(\\d+)").matcher(reply.text());
        long sum = 0;
        while (counts.find()) {
            sum += Long.parseLong(counts.group(1));
        }
        assertThat(sum).isEqualTo(10_000);
    }

    @Test
    void writesTheFirstIdOfARangeAsAStringWhenFormatIsString() {
        assertThat(node.post("/ids/ranges?count=3&format=string").text())
                .isEqualTo("{\"ranges\":[{\"first\":\"" + id(0, 0) + "\",\"count\":3}]}");
    }

    @Test
    void decodesAMintedIdBackToItsFields() {
        final long minted = node.post("/ids").jsonIds()[0];

        final Reply reply = node.get("/ids/" + minted);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("{\"id\":" + minted + ",\"timestamp\":\"2025-03-04T05:06:07.123Z\",\"tick\":"
                + tick + ",\"datacenter\":0,\"worker\":7,\"sequence\":0}");
    }

    @Test
    void decodesUnderTheNodesLayout() {
        final BitLayout custom = BitLayout.parse("41/5/5/12", 10L, "2020-01-01T00:00:00Z");
        final StaticNode onCustom = new StaticNode(NodeChannel.generator(custom, new StaticLease(31, 17), clock));
        final long id = custom.compose(1_234_567, 31, 17, 4095);

        // 1,234,567 ticks of 10 ms = 3 h 25 min 45.670 s after the epoch.
        assertThat(new NodeChannel(onCustom).get("/ids/" + id).text()).isEqualTo("{\"id\":" + id
                + ",\"timestamp\":\"2020-01-01T03:25:45.670Z\",\"tick\":1234567,\"datacenter\":31,\"worker\":17,"
                + "\"sequence\":4095}");
    }

    @Test
    void decodesTheLargestId() {
        assertThat(node.get("/ids/" + Long.MAX_VALUE).text())
                .startsWith("{\"id\":9223372036854775807,\"timestamp\":\"2094-09-07T15:47:35.551Z\",")
                .endsWith("\"worker\":1023,\"sequence\":4095}");
    }
}
