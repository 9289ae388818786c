package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.service.http.RawConnection.Answer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real server on loopback under clumsy and hostile clients, over raw sockets: half-closes, deep
 * pipelines, broken encodings and framings, odd versions and media ranges. Every request gets a
 * well-formed answer or a clean close; no input is answered with a 500 or logs a stack trace.
 */
class HostileClientsTest {

    private static final String HOST = "Host: node\r\n";

    private LoopbackNode node = new LoopbackNode(LoopbackNode.anyPort());

    @AfterEach
    void stop() {
        node.close();
    }

    /** Bug: a request followed by a half-close got no answer, though its IDs were minted. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST /ids?count=2", "POST /ids?count=100000", "POST /ids/ranges?count=5", "GET /health",
        "GET /metrics", "POST /ids"})
    void answersARequestFollowedByAHalfCloseThenCloses(String requestLine) {
        try (RawConnection client = node.connect()) {
            final List<Answer> answers = client.send(requestLine + " HTTP/1.1\r\n" + HOST + "\r\n").halfClose()
                    .readUntilClosed();

            assertThat(answers).extracting(Answer::status).containsExactly(200);
        }
    }

    @Test
    void answersEveryPipelinedRequestBeforeAHalfClose() {
        try (RawConnection client = node.connect()) {
            final List<Answer> answers = client.send(("POST /ids?count=3 HTTP/1.1\r\n" + HOST + "\r\n").repeat(20))
                    .halfClose().readUntilClosed();

            assertThat(answers).hasSize(20).allSatisfy(answer -> assertThat(answer.ids()).hasSize(3));
            assertDistinct(answers, 60);
        }
    }

    /** Bug: over 128 requests in one write closed the connection with no answer, after minting 128 of them. */
    @ParameterizedTest(name = "{0} requests")
    @ValueSource(ints = {129, 1000})
    void answersEveryRequestOfADeepPipelineInOrder(int depth) {
        try (RawConnection client = node.connect()) {
            client.send(("POST /ids?count=2 HTTP/1.1\r\n" + HOST + "\r\n").repeat(depth)
                    + "GET /health HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n");

            final List<Answer> answers = client.readUntilClosed();

            assertThat(answers).hasSize(depth + 1);
            assertThat(answers.subList(0, depth)).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
            assertThat(answers.get(depth).text()).contains("\"status\"");
            assertDistinct(answers.subList(0, depth), 2 * depth);
            assertThat(node.generator.idsMinted()).isEqualTo(2L * depth);
        }
    }

    @Test
    void answersAnOversizedBodyAfterTheRequestsBeforeItThenCloses() {
        try (RawConnection client = node.connect()) {
            final List<Answer> answers = client.send(("POST /ids?count=2 HTTP/1.1\r\n" + HOST + "\r\n").repeat(3)
                    + "POST /ids HTTP/1.1\r\n" + HOST + "Content-Length: 70000\r\n\r\n" + "x".repeat(70_000)
                    + "POST /ids HTTP/1.1\r\n" + HOST + "\r\n").readUntilClosed();

            assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 200, 413);
            assertThat(answers.get(3).text())
                    .isEqualTo("{\"error\":\"request body of 70000 bytes exceeds the limit of 65536 bytes\"}");
        }
        assertThat(node.generator.idsMinted()).isEqualTo(6);
    }

    @Test
    void mintsNothingForRequestsPipelinedBehindAConnectionClose() {
        try (RawConnection client = node.connect()) {
            final List<Answer> answers = client.send("POST /ids?count=2 HTTP/1.1\r\n" + HOST + "\r\n"
                    + "POST /ids?count=2 HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n"
                    + "POST /ids?count=5 HTTP/1.1\r\n" + HOST + "\r\n").readUntilClosed();

            assertThat(answers).extracting(Answer::status).containsExactly(200, 200);
        }
        assertThat(node.generator.idsMinted()).isEqualTo(4);
    }

    /** Bug: malformed percent-encoding answered 500 and logged a stack trace. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "POST | /ids?count=%zz    | malformed percent-encoding in the query: 'count=%zz'",
        "POST | /ids?count=%3     | malformed percent-encoding in the query: 'count=%3'",
        "POST | /ids?%zz=1        | malformed percent-encoding in the query: '%zz=1'",
        "GET  | /ids/%zz          | malformed percent-encoding in the path: '/ids/%zz'",
        "GET  | /health%zz        | malformed percent-encoding in the path: '/health%zz'",
        "GET  | /health%          | malformed percent-encoding in the path: '/health%'",
    })
    void rejectsMalformedPercentEncodingWith400AndNoStackTrace(String method, String target, String message) {
        try (RawConnection client = node.connect()) {
            final Answer answer = client.send(method + " " + target + " HTTP/1.1\r\n" + HOST + "\r\n").read();

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.text()).isEqualTo("{\"error\":\"" + message + "\"}");
            assertThat(client.send("GET /health HTTP/1.1\r\n" + HOST + "\r\n").read().status()).isEqualTo(200);
        }
        assertThat(node.log()).doesNotContain("Exception").doesNotContain("ERROR");
    }

    /** Risk: the path was percent-decoded before routing, so an encoded '/' reached another route. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/ids%2Franges?count=2", "/ids%2franges", "/ids/%2F1", "/health%2F"})
    void rejectsAnEncodedSlashInThePathWith400(String target) {
        try (RawConnection client = node.connect()) {
            final Answer answer = client.send("POST " + target + " HTTP/1.1\r\n" + HOST + "\r\n").read();

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.text()).startsWith("{\"error\":\"the path must not encode '/' (%2F): '");
        }
        assertThat(node.generator.idsMinted()).isZero();
    }

    @Test
    void routesAPathWhoseOtherCharactersArePercentEncoded() {
        try (RawConnection client = node.connect()) {
            assertThat(client.send("GET /h%65alth HTTP/1.1\r\n" + HOST + "\r\n").read().status()).isEqualTo(200);
        }
    }

    /** Bug: an unsupported expectation got Netty's 417 with an empty body. */
    @Test
    void answersAnUnsupportedExpectationWith417AsJson() {
        try (RawConnection client = node.connect()) {
            final Answer answer = client.send("POST /ids?count=2 HTTP/1.1\r\n" + HOST + "Expect: bogus\r\n\r\n").read();

            assertThat(answer.status()).isEqualTo(417);
            assertThat(answer.header("content-type")).isEqualTo("application/json");
            assertThat(answer.text()).isEqualTo("{\"error\":\"Expect must be 100-continue: 'bogus'\"}");
        }
        assertThat(node.generator.idsMinted()).isZero();
    }

    /** Bug: a Content-Length that is not a number closed the connection with no answer. */
    @ParameterizedTest(name = "Content-Length: {0}")
    @ValueSource(strings = {"abc", "1e3", "99999999999999999999", "-1", "1, 2", "+5"})
    void answersABadContentLengthWith400AsJsonAndCloses(String length) {
        try (RawConnection client = node.connect()) {
            final List<Answer> answers = client.send("POST /ids HTTP/1.1\r\n" + HOST + "Content-Length: " + length
                    + "\r\n\r\n").readUntilClosed();

            assertThat(answers).singleElement().satisfies(answer -> {
                assertThat(answer.status()).isEqualTo(400);
                assertThat(answer.header("connection")).isEqualTo("close");
                assertThat(answer.text()).startsWith("{\"error\":\"malformed request: ");
            });
        }
        assertThat(node.log()).doesNotContain("Exception");
    }

    /** Bug: q-values were ignored, so octet-stream at q=0 (not acceptable) was what the client got. */
    @ParameterizedTest(name = "Accept: {0}")
    @CsvSource(delimiter = '|', value = {
        "application/octet-stream;q=0                               | application/json",
        "application/octet-stream;q=0.1, application/json;q=1       | application/json",
        "application/octet-stream; q=0.000                          | application/json",
        "application/json;q=0.5, application/octet-stream           | application/octet-stream",
        "*/*;q=0.2, application/octet-stream;q=0.3                  | application/octet-stream",
        "application/octet-stream, */*                              | application/octet-stream",
        "application/*                                              | application/json",
    })
    void choosesTheMediaTypeByQValue(String accept, String expected) {
        try (RawConnection client = node.connect()) {
            final Answer answer = client.send("POST /ids?count=2 HTTP/1.1\r\n" + HOST + "Accept: " + accept + "\r\n\r\n")
                    .read();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("content-type")).isEqualTo(expected);
        }
    }

    /** Risk: any HTTP version was accepted. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "HTTP/2.0 | 505", "HTTP/9.9 | 505", "HTTP/1.2 | 505", "http/1.1 | 400", "Http/1.0 | 400",
    })
    void refusesAnotherHttpVersion(String version, int status) {
        try (RawConnection client = node.connect()) {
            final List<Answer> answers = client.send("POST /ids?count=2 " + version + "\r\n" + HOST + "\r\n")
                    .readUntilClosed();

            assertThat(answers).singleElement().satisfies(answer -> {
                assertThat(answer.status()).isEqualTo(status);
                assertThat(answer.text()).contains("'" + version + "'");
            });
        }
        assertThat(node.generator.idsMinted()).isZero();
    }

    /**
     * Bug: connections were pinned to one of two mint threads, so one connection's batches held up
     * others. Here the first batch of one connection cannot finish until the test says so; small
     * requests on two fresh connections (which the old pinning spread over both threads) are answered.
     */
    @Test
    void answersOtherConnectionsWhileOneConnectionsBatchIsHeld() throws Exception {
        node.close();
        final AtomicBoolean armed = new AtomicBoolean(true);
        final CountDownLatch minting = new CountDownLatch(1);
        final CountDownLatch mayMint = new CountDownLatch(1);
        final SnowflakeGenerator generator = node.generator;
        node = new LoopbackNode(LoopbackNode.anyPort(), new DelegatingNode(new io.flakeproof.service.StaticNode(generator)) {
            @Override
            public SnowflakeGenerator generator() {
                if (armed.compareAndSet(true, false)) {
                    minting.countDown();
                    HttpNodeServerTest.awaitOrFail(mayMint);
                }
                return super.generator();
            }
        });
        try (RawConnection heavy = node.connect()) {
            heavy.send(("POST /ids?count=100000 HTTP/1.1\r\n" + HOST + "\r\n").repeat(5));
            assertThat(minting.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 2; i++) {
                try (RawConnection fresh = node.connect()) {
                    assertThat(fresh.send("POST /ids?count=2 HTTP/1.1\r\n" + HOST + "\r\n").read().ids()).hasSize(2);
                    assertThat(fresh.send("GET /health HTTP/1.1\r\n" + HOST + "\r\n").read().status()).isEqualTo(200);
                    assertThat(fresh.send("GET /metrics HTTP/1.1\r\n" + HOST + "\r\n").read().status()).isEqualTo(200);
                }
            }
            mayMint.countDown();
            for (int i = 0; i < 5; i++) {
                assertThat(heavy.read().ids()).hasSize(100_000);
            }
        } finally {
            mayMint.countDown();
        }
    }

    static void assertDistinct(List<Answer> answers, int expected) {
        final Set<Long> ids = new HashSet<>();
        for (Answer answer : answers) {
            for (long id : answer.ids()) {
                ids.add(id);
            }
        }
        assertThat(ids).hasSize(expected);
    }
}
