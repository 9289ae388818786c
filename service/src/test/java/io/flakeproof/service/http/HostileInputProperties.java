package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.service.http.RawConnection.Answer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated garbage against the real server over raw sockets: random request lines, methods,
 * targets and percent-encodings, versions, headers, framings (lengths, chunks, expectations), line
 * endings, pipelines and half-closes. For every input the node answers well-formed HTTP/1.1 (each
 * answer with a length, errors as JSON) and then closes cleanly; it never answers 500 and never logs
 * a stack trace; and every 200 holds exactly the count asked for, each ID distinct from every ID of
 * the whole run.
 *
 * <p>Each try asks every {@code /ids} request of it for the same count, so a 200 can be checked
 * whichever request of a spoiled pipeline it answers. HEAD is left out: its answers have a length but
 * no body, which a reader of raw bytes cannot tell from a short answer (a test of its own covers it).
 */
class HostileInputProperties {

    private static final Pattern RANGE_COUNT = Pattern.compile("\"count\":(\\d+)");

    private static LoopbackNode node;
    private static final Set<Long> SEEN = ConcurrentHashMap.newKeySet();

    @BeforeContainer
    static void start() {
        node = new LoopbackNode(LoopbackNode.anyPort().withClientBounds(64, 4, Duration.ofMillis(300),
                Duration.ofSeconds(2)));
    }

    @AfterContainer
    static void stop() {
        node.close();
    }

    /** One try: the requests' bytes, the count every /ids request asks for, and whether to half-close. */
    record Try(byte[] bytes, int count, boolean halfClose) {
        @Override
        public String toString() {
            return (halfClose ? "half-closed " : "") + "count " + count + ": "
                    + new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n\n");
        }
    }

    @Property(tries = 1000, seed = "20261201")
    void answersAnyInputWithWellFormedHttpOrACleanClose(@ForAll("tries") Try attempt) {
        final int logBefore = node.log().length();
        final List<Answer> answers;
        try (RawConnection client = node.connect()) {
            client.send(attempt.bytes);
            if (attempt.halfClose) {
                client.halfClose();
            }
            answers = client.readUntilClosed();
        }
        for (Answer answer : answers) {
            assertThat(answer.status()).as("status").isIn(200, 400, 404, 405, 408, 413, 414, 417, 431, 505);
            if (answer.status() == 200) {
                checkIds(answer, attempt.count);
            } else {
                assertThat(answer.header("content-type")).isEqualTo("application/json");
                assertThat(answer.text()).startsWith("{\"error\":\"").endsWith("\"}");
            }
        }
        final String logged = node.log().substring(logBefore);
        assertThat(logged).doesNotContain("Exception").doesNotContain("ERROR").doesNotContain("\tat ");
    }

    /** Exactly {@code count} IDs (for /ids and /ids/ranges), none seen before in the whole run. */
    private static void checkIds(Answer answer, int count) {
        final String type = answer.header("content-type");
        final String text = answer.text();
        if ("application/octet-stream".equals(type)) {
            assertThat(answer.body()).hasSize(8 * count);
            final ByteBuffer longs = ByteBuffer.wrap(answer.body());
            while (longs.hasRemaining()) {
                assertThat(SEEN.add(longs.getLong())).as("distinct").isTrue();
            }
        } else if (text.startsWith("{\"ids\":")) {
            final long[] ids = answer.ids();
            assertThat(ids).hasSize(count);
            for (long id : ids) {
                assertThat(SEEN.add(id)).as("distinct").isTrue();
            }
        } else if (text.startsWith("{\"ranges\":")) {
            final Matcher counts = RANGE_COUNT.matcher(text);
            long total = 0;
            while (counts.find()) {
                total += Long.parseLong(counts.group(1));
            }
            assertThat(total).isEqualTo(count);
        }
    }

    @Provide
    Arbitrary<Try> tries() {
        return Arbitraries.integers().between(1, 3000).flatMap(count -> Combinators.combine(request(count).list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.of(true, true, false))
                .as((requests, halfClose) -> {
                    final StringBuilder all = new StringBuilder();
                    requests.forEach(all::append);
                    if (!halfClose) {
                        all.append("GET /health HTTP/1.1\r\nHost: node\r\nConnection: close\r\n\r\n");
                    }
                    return new Try(all.toString().getBytes(StandardCharsets.ISO_8859_1), count, halfClose);
                }));
    }

    /** One request, well-formed or not, whose /ids targets all ask for {@code count}. */
    private static Arbitrary<String> request(int count) {
        final Arbitrary<String> eol = Arbitraries.of("\r\n", "\r\n", "\r\n", "\n");
        return Combinators.combine(method(), target(count), version(), header().list().ofMaxSize(6), body(), eol)
                .as((method, target, version, headers, body, end) -> {
                    final StringBuilder request = new StringBuilder(method).append(' ').append(target);
                    if (!version.isEmpty()) {
                        request.append(' ').append(version);
                    }
                    request.append(end).append("Host: node").append(end);
                    headers.forEach(line -> request.append(line).append(end));
                    return request.append(end).append(body).toString();
                });
    }

    private static Arbitrary<String> method() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("POST")),
                Tuple.of(4, Arbitraries.of("GET")),
                Tuple.of(1, Arbitraries.of("PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH", "post",
                        "", "G\u00e9T", "GET\u0000")),
                Tuple.of(1, Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(12)
                        .filter(m -> !m.equals("HEAD"))));
    }

    private static Arbitrary<String> target(int count) {
        final Arbitrary<String> countParam = Arbitraries.of(
                "count=" + count, "count=" + count, "count=" + percentEncoded(count), "count=" + count + "&format=string",
                "format=string&count=" + count, "count=" + count + "&format=xml", "count=" + count + "&count=" + count,
                "count=%zz", "count=%3", "count=0", "count=-1", "count=100001", "count=99999999999999999999",
                "count=" + count + "%00", "count=1.5", "count=", "count=+" + count);
        final Arbitrary<String> known = Combinators.combine(
                Arbitraries.of("/ids", "/ids", "/ids", "/ids/ranges", "/ids%2Franges", "/i%64s", "/ids/"), countParam)
                .as((path, query) -> path + "?" + query);
        final Arbitrary<String> others = Arbitraries.of("/health", "/metrics", "/health%zz", "/health%", "/ids/%zz",
                "/ids/123456789", "/ids/-1", "/ids/9223372036854775808", "/ids/1/2", "/", "*", "http://node/health",
                "/%2e%2e/health", "/health?x=%zz", "/h%65alth", "//ids", "/ids?" + "a=".repeat(3000), "");
        final Arbitrary<String> garbage = Arbitraries.strings()
                .withChars("/%?&=#;+ \t\u0000\u007f\u00ff\u00e9abcXYZ019fF")
                .ofMaxLength(40).map(text -> "/x" + text);
        return Arbitraries.frequencyOf(
                Tuple.of(6, known), Tuple.of(3, others), Tuple.of(2, garbage),
                Tuple.of(1, Arbitraries.of("/" + "a".repeat(5000))));
    }

    private static String percentEncoded(int count) {
        final StringBuilder encoded = new StringBuilder();
        for (char digit : Integer.toString(count).toCharArray()) {
            encoded.append('%').append(Integer.toHexString(digit).toUpperCase());
        }
        return encoded.toString();
    }

    private static Arbitrary<String> version() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of("HTTP/1.1")),
                Tuple.of(2, Arbitraries.of("HTTP/1.0")),
                Tuple.of(2, Arbitraries.of("http/1.1", "HTTP/2.0", "HTTP/9.9", "HTTP/1.2", "HTTP/1.1x",
                        "HTTP/1", "HTTP/1.1 extra", "", "HTTP/0.9", "HTTP/1.1\u0000", "ICE/1.0")));
    }

    private static Arbitrary<String> header() {
        return Arbitraries.oneOf(
                Arbitraries.of("Content-Length: 0", "Content-Length: 3", "Content-Length: abc", "Content-Length: 1e3",
                        "Content-Length: -1", "Content-Length: 99999999999999999999", "Content-Length: 1, 2",
                        "Content-Length: +5", "Content-Length: 70000", "Content-Length:", "Content-Length: 5\u0000"),
                Arbitraries.of("Transfer-Encoding: chunked", "Transfer-Encoding: gzip", "Transfer-Encoding: chunked, chunked",
                        "Transfer-Encoding: identity", "Transfer-Encoding: xchunked"),
                Arbitraries.of("Expect: 100-continue", "Expect: bogus", "Expect: 100-Continue", "Expect:"),
                Arbitraries.of("Accept: application/octet-stream", "Accept: application/octet-stream;q=0",
                        "Accept: application/octet-stream;q=0.1, application/json;q=1", "Accept: */*;q=x",
                        "Accept: application/*;q=2", "Accept: ;;;,,,", "Accept: application/octet-stream;q=0.5;q=1",
                        "Accept: text/html", "Accept: application/octet-stream; Q=1.000"),
                Arbitraries.of("Connection: close", "Connection: keep-alive", "Connection: upgrade, close", "Connection:"),
                Arbitraries.of("No-Colon-Here", " folded continuation", ": no name", "X-Nul: a\u0000b", "X-Del: \u007f",
                        "X-Long: " + "v".repeat(9000), "Host: other", "Bad Name: x", "X-Latin: \u00e9\u00ff"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30).map(value -> "X-Random: " + value));
    }

    private static Arbitrary<String> body() {
        final Arbitrary<String> chunked = Arbitraries.of("3\r\nabc\r\n0\r\n\r\n", "0\r\n\r\n", "zz\r\nabc\r\n0\r\n\r\n",
                "3\r\nabcdef\r\n0\r\n\r\n", "ffffffffffffffff\r\n", "3;ext=1\r\nabc\r\n0\r\nTrailer: x\r\n\r\n",
                "5\r\nab", "-1\r\n\r\n");
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just("")),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(60)),
                Tuple.of(2, chunked));
    }
}
