package io.flakeproof.load;

import io.flakeproof.cli.Bounds;
import io.flakeproof.generator.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * What a load run does: {@code rate} requests per second of {@code POST /ids?count=COUNT} for
 * {@code duration}, over {@code connections} keep-alive HTTP/1.1 connections to {@code url}. Every
 * value is bounded; a bad one is refused with a message naming the value and its bound.
 *
 * @param url         the node, {@code http://HOST[:PORT]}, optionally with a path prefix
 * @param rate        requests per second, in [1, {@value #MAX_RATE}]
 * @param duration    how long requests are sent, in [1 s, 1 h]
 * @param count       IDs asked for by each request, in [1, {@value #MAX_COUNT}]
 * @param connections connections kept open, in [1, {@value #MAX_CONNECTIONS}]
 * @param warmup      how long requests are sent at the same rate before the measured ones, and not
 *                    measured: JIT compilation of client and node, connection set-up; in [0 s, 10 m]
 */
public record LoadPlan(URI url, long rate, Duration duration, int count, int connections, Duration warmup) {

    public static final long MAX_RATE = 1_000_000;
    public static final Duration MIN_DURATION = Duration.ofSeconds(1);
    public static final Duration MAX_DURATION = Duration.ofHours(1);
    /** The service's own ceiling for {@code --max-count}. */
    public static final int MAX_COUNT = 1_000_000;
    public static final int MAX_CONNECTIONS = 1024;
    public static final Duration MAX_WARMUP = Duration.ofMinutes(10);

    public LoadPlan {
        requireHttp(url);
        Bounds.requireIn("rate", rate, 1, MAX_RATE);
        Bounds.requireIn("duration", duration, MIN_DURATION, MAX_DURATION, Durations::format);
        Bounds.requireIn("count", count, 1, MAX_COUNT);
        Bounds.requireIn("connections", connections, 1, MAX_CONNECTIONS);
        Bounds.requireIn("warmup", warmup, Duration.ZERO, MAX_WARMUP, Durations::format);
    }

    /**
     * A plan from command-line text.
     *
     * @throws IllegalArgumentException naming the value that is wrong and what was expected
     */
    public static LoadPlan parse(String url, long rate, String duration, int count, int connections, String warmup) {
        final URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(urlExpected(url), e);
        }
        return new LoadPlan(uri, rate, Durations.parse(duration), count, connections, Durations.parse(warmup));
    }

    /** The same plan sent to {@code http://HOST:PORT} instead, with the same path. */
    public LoadPlan at(String host, int port) {
        return new LoadPlan(URI.create("http://" + host + ":" + port + (url.getRawPath() == null ? "" : url.getRawPath())),
                rate, duration, count, connections, warmup);
    }

    /** rate x duration: the requests measured. */
    public long requests() {
        return rate * duration.toSeconds();
    }

    /** rate x warmup: the requests sent before the measured ones. */
    public long warmupRequests() {
        return rate * warmup.toMillis() / 1000;
    }

    public String host() {
        return url.getHost();
    }

    public int port() {
        return url.getPort() == -1 ? 80 : url.getPort();
    }

    /** The request target: the URL's path prefix, then {@code /ids?count=COUNT}. */
    public String target() {
        final String prefix = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return prefix + "/ids?count=" + count;
    }

    /** {@code http://HOST:PORT/ids?count=N}, for messages. */
    public String describeTarget() {
        return "http://" + host() + ":" + port() + target();
    }

    private static void requireHttp(URI url) {
        final String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") || url.getHost() == null || url.getRawQuery() != null
                || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(urlExpected(url.toString()));
        }
    }

    private static String urlExpected(String url) {
        return "url must be http://HOST[:PORT], such as http://127.0.0.1:8080: '" + url + "'";
    }
}
