package io.flakeproof.service.http;

import io.netty.handler.codec.http.HttpMethod;

/**
 * The node's routes: one method each. A known path asked with another method is a 405 naming this
 * one; any other path is a 404. The {@link #label} is the path template, the {@code route} label of
 * the request metrics, so their cardinality is bounded by this table.
 */
enum Route {
    IDS(HttpMethod.POST, "/ids"),
    RANGES(HttpMethod.POST, "/ids/ranges"),
    DECODE(HttpMethod.GET, "/ids/{id}"),
    HEALTH(HttpMethod.GET, "/health"),
    METRICS(HttpMethod.GET, "/metrics"),
    /** Not a route: every path the table does not know. */
    UNKNOWN(null, "other");

    /** {@code /ids/}: the prefix of {@link #DECODE}. */
    private static final String IDS_PREFIX = "/ids/";

    private final HttpMethod method;
    private final String label;

    Route(HttpMethod method, String label) {
        this.method = method;
        this.label = label;
    }

    /** The route of a decoded path (no query string). */
    static Route of(String path) {
        switch (path) {
            case "/ids":
                return IDS;
            case "/ids/ranges":
                return RANGES;
            case "/health":
                return HEALTH;
            case "/metrics":
                return METRICS;
            default:
                return path.length() > IDS_PREFIX.length() && path.startsWith(IDS_PREFIX)
                        && path.indexOf('/', IDS_PREFIX.length()) < 0 ? DECODE : UNKNOWN;
        }
    }

    /** The {@code {id}} segment of a {@link #DECODE} path. */
    static String idSegment(String path) {
        return path.substring(IDS_PREFIX.length());
    }

    /** The one method this route answers; null for {@link #UNKNOWN}. */
    HttpMethod method() {
        return method;
    }

    /** The path template, such as {@code /ids/{id}}. */
    String label() {
        return label;
    }

    /** {@code POST /ids, POST /ids/ranges, GET /ids/{id}, GET /health, GET /metrics}: for the 404 message. */
    static String describeAll() {
        final StringBuilder all = new StringBuilder();
        for (Route route : values()) {
            if (route.method != null) {
                all.append(all.length() == 0 ? "" : ", ").append(route.method).append(' ').append(route.label);
            }
        }
        return all.toString();
    }
}
