package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.AdjustableLease;
import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.service.IdNode;
import io.flakeproof.service.NodeHealth;
import io.flakeproof.service.StaticNode;
import io.flakeproof.service.http.NodeChannel.Reply;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class HttpErrorsTest {

    private final ManualClock clock = new ManualClock(NodeChannel.NOW);
    private final StaticNode staticNode = NodeChannel.staticNode(clock);
    private final NodeChannel node = new NodeChannel(staticNode);

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "POST | /ids?count=                          | count must be a whole number in [1, 100000]: ''",
        "POST | /ids?count                           | count must be a whole number in [1, 100000]: ''",
        "POST | /ids?count=abc                       | count must be a whole number in [1, 100000]: 'abc'",
        "POST | /ids?count=1.5                       | count must be a whole number in [1, 100000]: '1.5'",
        "POST | /ids?count=0                         | count must be in [1, 100000]: 0",
        "POST | /ids?count=-3                        | count must be in [1, 100000]: -3",
        "POST | /ids?count=100001                    | count must be in [1, 100000]: 100001",
        "POST | /ids?count=99999999999999999999      | count must be in [1, 100000]: 99999999999999999999",
        "POST | /ids?count=1&count=2                 | count must be given once: [1, 2]",
        "POST | /ids?format=xml                      | format must be number or string: 'xml'",
        "POST | /ids/ranges?count=0                  | count must be in [1, 100000]: 0",
        "POST | /ids/ranges?count=100001             | count must be in [1, 100000]: 100001",
        "POST | /ids/ranges?count=x                  | count must be a whole number in [1, 100000]: 'x'",
        "GET  | /ids/abc                             | id must be a whole number in [0, 9223372036854775807]: 'abc'",
        "GET  | /ids/-5                              | id must be in [0, 9223372036854775807]: -5",
        "GET  | /ids/9223372036854775808              | id must be in [0, 9223372036854775807]: 9223372036854775808",
    })
    void rejectsABadParameterWith400NamingTheValueAndTheBound(String method, String uri, String message) {
        final Reply reply = node.send(method, uri);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(reply.text()).isEqualTo("{\"error\":\"" + message + "\"}");
    }

    @Test
    void boundsTheCountByTheSettings() {
        final NodeChannel small = new NodeChannel(staticNode, new HttpSettings("127.0.0.1", 0, 10, 1024));

        assertThat(small.post("/ids?count=11").text()).isEqualTo("{\"error\":\"count must be in [1, 10]: 11\"}");
        assertThat(small.post("/ids?count=10").jsonIds()).hasSize(10);
    }

    @Test
    void mintsNothingForARejectedRequest() {
        node.post("/ids?count=0");

        final long first = node.post("/ids").jsonIds()[0];

        assertThat(BitLayout.snowflake().sequenceOf(first)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/nope", "/ids/", "/ids/1/2", "/health/", "/"})
    void answers404ForAnUnknownPath(String path) {
        final Reply reply = node.get(path);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.text()).isEqualTo("{\"error\":\"no route for " + path + "; routes: POST /ids, "
                + "POST /ids/ranges, GET /ids/{id}, GET /health, GET /metrics\"}");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "GET, /ids, /ids, POST",
        "PUT, /ids?count=3, /ids, POST",
        "GET, /ids/ranges, /ids/ranges, POST",
        "POST, /ids/123, /ids/{id}, GET",
        "DELETE, /ids/123, /ids/{id}, GET",
        "POST, /health, /health, GET",
        "OPTIONS, /metrics, /metrics, GET",
    })
    void answers405WithAllowForAnotherMethodOnAKnownPath(String method, String uri, String route, String allowed) {
        final Reply reply = node.send(method, uri);

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header(HttpHeaderNames.ALLOW)).isEqualTo(allowed);
        assertThat(reply.text()).isEqualTo("{\"error\":\"method " + method + " is not allowed on " + route
                + "; allowed: " + allowed + "\"}");
    }

    @Test
    void answers405ToHead() {
        final Reply reply = node.head("/health");

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header(HttpHeaderNames.ALLOW)).isEqualTo("GET");
        assertThat(reply.body()).isEmpty(); // HEAD: the length of the JSON error, but no body
        assertThat(reply.header(HttpHeaderNames.CONTENT_LENGTH)).isNotEqualTo("0");
    }

    /** Oversized requests to a node that takes bodies of at most 16 bytes, and the 413 message for each. */
    static Stream<Arguments> oversizedRequests() {
        final String post = "POST /ids HTTP/1.1\r\nHost: node\r\n";
        return Stream.of(
                Arguments.of("declared length", post + "Content-Length: 17\r\n\r\n0123456789abcdefg",
                        "request body of 17 bytes exceeds the limit of 16 bytes"),
                Arguments.of("chunks that grow over it",
                        post + "Transfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n5\r\nxxxxx\r\n0\r\n\r\n",
                        "request body exceeds the limit of 16 bytes"),
                // Not 100 Continue, and not Netty's empty 417.
                Arguments.of("announced with Expect: 100-continue",
                        post + "Content-Length: 1000\r\nExpect: 100-continue\r\n\r\n",
                        "request body of 1000 bytes exceeds the limit of 16 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversizedRequests")
    void answers413AsJsonAndClosesTheConnection(String what, String request, String message) {
        final NodeChannel limited = limitedTo16Bytes();

        final List<Reply> replies = limited.sendRaw(request);

        assertThat(replies).singleElement().satisfies(reply -> {
            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.header(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
            assertThat(reply.header(HttpHeaderNames.CONNECTION)).isEqualTo("close");
            assertThat(reply.text()).isEqualTo("{\"error\":\"" + message + "\"}");
        });
        // The rest of the body may still come: the byte stream cannot be trusted to hold a next request.
        assertThat(limited.channel.isOpen()).isFalse();
    }

    @Test
    void acceptsABodyUpToTheLimit() {
        final NodeChannel limited = limitedTo16Bytes();

        final List<Reply> replies = limited.sendRaw("POST /ids HTTP/1.1\r\nHost: node\r\nContent-Length: 16\r\n\r\n"
                + "0123456789abcdef");

        assertThat(replies).singleElement().satisfies(reply -> assertThat(reply.status()).isEqualTo(200));
        assertThat(limited.channel.isOpen()).isTrue();
    }

    @Test
    void answers503WithRetryAfterWhenTheGeneratorIsSealed() {
        staticNode.generator().seal();

        for (String uri : List.of("/ids", "/ids/ranges?count=2")) {
            final Reply reply = node.post(uri);
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.header(HttpHeaderNames.RETRY_AFTER)).isEqualTo("5"); // the refusal gives no hint
            assertThat(reply.text()).isEqualTo(
                    "{\"error\":\"generator is sealed: its lease for worker 7 in datacenter 0 was released\"}");
        }
    }

    @ParameterizedTest(name = "count {0}, ceiling {1} ticks after the clock: Retry-After {2}")
    @CsvSource({
        // One ID, ceiling a tick behind the clock: the generator's hint is its minimum, 1 ms.
        "1, -1, 1",
        // 4,097 IDs need two ticks of 1.5 s; with the ceiling at the clock's tick the hint is 1,500 ms.
        "4097, 0, 2",
    })
    void answers503WithRetryAfterInWholeSecondsWhenTheCeilingIsReached(int count, long ceilingOffset,
            String retryAfter) {
        final BitLayout slowTicks = BitLayout.parse("41/0/10/12", 1500L, null);
        final long tick = slowTicks.tickAt(clock.wallMillis());
        final AdjustableLease lease = new AdjustableLease(0, 7, -1, tick + ceilingOffset);
        final NodeChannel ceilinged = new NodeChannel(new StaticNode(NodeChannel.generator(slowTicks, lease, clock)));

        final Reply reply = ceilinged.post("/ids?count=" + count);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header(HttpHeaderNames.RETRY_AFTER)).isEqualTo(retryAfter);
        assertThat(reply.text()).startsWith("{\"error\":\"tick ")
                .contains(" is above the lease ceiling " + (tick + ceilingOffset) + " of worker 7 in datacenter 0");
    }

    @Test
    void answers503WhenTheNodeHasNoGenerator() {
        final Reply reply = new NodeChannel(nodeWithoutLease()).post("/ids?count=3");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header(HttpHeaderNames.RETRY_AFTER)).isEqualTo("5");
        assertThat(reply.text()).isEqualTo("{\"error\":\"no lease held: the registry is unreachable\"}");
    }

    @ParameterizedTest(name = "{0} ms -> {1} s")
    @CsvSource({"-1, 5", "0, 1", "1, 1", "1000, 1", "1001, 2", "86400000, 86400"})
    void roundsTheRetryHintUpToWholeSeconds(long millis, int seconds) {
        final MintRefusedException refusal = new MintRefusedException(MintRefusedException.Cause.CEILING_REACHED, "x", millis);

        assertThat(NodeRequestHandler.retryAfterSeconds(refusal)).isEqualTo(seconds);
    }

    @Test
    void answers500WithoutDetailsForAnUnexpectedFailure() {
        final Reply reply = new NodeChannel(nodeWhoseHealthFails()).get("/health");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.text()).isEqualTo("{\"error\":\"internal error\"}");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "414, request line over 4 KiB",
        "431, headers over 8 KiB",
        "400, unknown HTTP version",
    })
    void answersAMalformedRequestAsJsonAndCloses(int status, String what) {
        final String request = switch (status) {
            case 414 -> "GET /" + "a".repeat(5000) + " HTTP/1.1\r\n\r\n";
            case 431 -> "GET /health HTTP/1.1\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n";
            default -> "GET /health HTTP/9.9x\r\n\r\n";
        };

        final List<Reply> replies = node.sendRaw(request);

        assertThat(replies).singleElement().satisfies(reply -> {
            assertThat(reply.status()).isEqualTo(status);
            assertThat(reply.text()).startsWith("{\"error\":\"malformed request: ");
            assertThat(reply.header(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        });
        assertThat(node.channel.isOpen()).isFalse();
    }

    private IdNode nodeWithoutLease() {
        return new DelegatingNode(staticNode) {
            @Override
            public SnowflakeGenerator generator() {
                throw new MintRefusedException(MintRefusedException.Cause.LEASE_NOT_HELD,
                        "no lease held: the registry is unreachable", -1);
            }
        };
    }

    private IdNode nodeWhoseHealthFails() {
        return new DelegatingNode(staticNode) {
            @Override
            public NodeHealth health() {
                throw new IllegalStateException("a detail that must not leak");
            }
        };
    }

    private NodeChannel limitedTo16Bytes() {
        return new NodeChannel(staticNode, new HttpSettings("127.0.0.1", 0, 10, 16));
    }
}
